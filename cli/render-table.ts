/** The terminal report: a coloured table of findings (worst first) and a summary. */
import { createColors } from 'picocolors';
import { SEVERITIES, type FindingStatus, type Severity, type StoredFinding } from '../lambdas/core/model';
import type { WaivedScanResult } from '../lambdas/core/suppressions/waive-scan-result';
import { drawTable, padCell, wrapCell, type CellLines } from './table-cell';
import { safeTerminalText } from './terminal-text';

export interface TableOptions {
  color: boolean;
  /** Terminal width in columns. */
  width: number;
  /** Also list PASS and NOT_APPLICABLE findings (default: only FAIL and UNKNOWN in the table). */
  all: boolean;
}

export function renderTable(result: WaivedScanResult, options: TableOptions): string {
  const c = createColors(options.color);
  const statusColor: Record<FindingStatus, (s: string) => string> = { FAIL: (s) => c.bold(c.red(s)), UNKNOWN: c.yellow, PASS: c.green, NOT_APPLICABLE: c.dim, SUPPRESSED: c.blue };
  const severityColor: Record<Severity, (s: string) => string> = { critical: (s) => c.bold(c.magenta(s)), high: c.red, medium: c.yellow, low: c.cyan, info: c.dim };
  const shown = options.all ? result.findings : result.findings.filter((f) => f.status === 'FAIL' || f.status === 'UNKNOWN' || f.status === 'SUPPRESSED');
  const fixed = 12 + 10 + 30 + 30 + 7 * 3;
  const textWidth = Math.max(30, Math.floor((options.width - fixed) / 2));
  const colWidths = [12, 10, 30, 30, textWidth, textWidth];
  // Each cell wrapped to its column (one space of padding each side) and cut (table-cell.ts).
  const wrap = (text: string, column: number) => wrapCell(text, colWidths[column]! - 2);
  const head = ['Status', 'Severity', 'Rule', 'Resource', 'Observed', 'Fix'].map((h, column) => padCell(c.bold(h), colWidths[column]! - 2));
  const rows: CellLines[][] = shown.map((f) => [
    padCell(statusColor[f.status](f.status === 'NOT_APPLICABLE' ? 'N/A' : f.status), colWidths[0]! - 2),
    padCell(severityColor[f.severity](f.severity), colWidths[1]! - 2),
    wrap(f.ruleId, 2),
    resourceCell(f, (text) => wrap(text, 3)),
    wrap(safeTerminalText(f.observed), 4),
    wrap(fixCell(f), 5),
  ]);
  const lines: string[] = [];
  lines.push(c.bold('Redis requirements for OutSystems: compliance scan'));
  lines.push(`Captured ${result.scan.capturedAt}, evaluated ${result.scan.evaluatedAt}; scan ${scanStatus(result, c)}`);
  lines.push('');
  if (shown.length > 0) lines.push(drawTable(head, rows, colWidths));
  else lines.push(c.green('No failing or unknown findings.'));
  lines.push('');
  lines.push(...summaryLines(result, c, statusColor, severityColor));
  return lines.join('\n');
}

function fixCell(f: StoredFinding): string {
  if (f.status === 'PASS' || f.status === 'NOT_APPLICABLE') return '';
  if (f.suppression) return safeTerminalText(`Waived until ${f.suppression.expiresAt} by ${f.suppression.owner}: ${f.suppression.reason} (was ${f.ruleStatus}). Fix: ${f.remediation}`);
  const expired = f.waiverExpired ? `Waiver ${f.waiverExpired.id} expired ${f.waiverExpired.expiredAt}. ` : '';
  return safeTerminalText(expired + f.remediation);
}

/** Id, name, environment / cluster: each line wrapped and cut on its own, so a long name leaves the rest visible. */
function resourceCell(f: StoredFinding, wrap: (text: string) => string[]): string[] {
  const lines = [f.resourceId];
  if (f.resourceName) lines.push(safeTerminalText(f.resourceName));
  lines.push(`${safeTerminalText(f.environment)}${f.cluster && f.cluster !== f.environment ? ` / ${safeTerminalText(f.cluster)}` : ''}`);
  return lines.flatMap(wrap);
}

function scanStatus(result: WaivedScanResult, c: ReturnType<typeof createColors>): string {
  return result.scan.status === 'COMPLETE' ? c.green('COMPLETE') : c.yellow(result.scan.status);
}

function summaryLines(
  result: WaivedScanResult,
  c: ReturnType<typeof createColors>,
  statusColor: Record<FindingStatus, (s: string) => string>,
  severityColor: Record<Severity, (s: string) => string>,
): string[] {
  const s = result.summary;
  const lines = [c.bold('Summary')];
  lines.push(`  Scope: ${s.redisServers} Redis server(s) in ${s.clusters} cluster(s), ${s.frontends} front-end(s), ${result.scan.targets.length} account/region target(s)`);
  lines.push(`  Findings: ${s.total} — ${(['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'] as const).map((st) => statusColor[st](`${st} ${s.byStatus[st]}`)).join(', ')}`);
  const failing = SEVERITIES.filter((sev) => s.failBySeverity[sev] > 0).map((sev) => severityColor[sev](`${sev} ${s.failBySeverity[sev]}`));
  lines.push(`  Failing by severity: ${failing.length ? failing.join(', ') : c.green('none')}`);
  for (const target of result.scan.targets) {
    for (const e of target.errors) lines.push(c.yellow(`  Capture error in ${target.accountId}/${target.region}: ${e.service}:${e.operation} ${e.code}: ${safeTerminalText(e.message)}`));
  }
  for (const n of result.scan.notEvaluated) lines.push(c.dim(`  Not evaluated: ${n.instanceId} (${n.role}, ${n.accountId}/${n.region}): ${n.reason}`));
  const calls = Object.entries(s.apiCalls);
  if (calls.length) lines.push(`  API calls: ${calls.reduce((sum, [, n]) => sum + n, 0)} (${calls.map(([op, n]) => `${op} ${n}`).join(', ')})`);
  return lines;
}
