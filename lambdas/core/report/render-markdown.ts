/** The Markdown (GFM) report. Every dynamic string goes through escapeMarkdown (inline, table-safe). */
import { SEVERITIES, type StoredFinding } from '../model';
import { COMPLIANCE_DEFINITION, formatPercent } from './compliance';
import { escapeMarkdown as md } from './escaping';
import { environmentLabel, formatDate, formatTime, locationLabel, notEnrolledSentence, REPORT_TITLE, resourceLabel, scanStatusSentence, STATUS_LABEL } from './labels';
import { FINDING_STATUSES, type ReportModel } from './report-model';

export function renderMarkdown(model: ReportModel): string {
  const { scan } = model;
  const out: string[] = [
    `# ${md(REPORT_TITLE)}`,
    '',
    `Scan ${md(scan.scanId)} (${md(scan.trigger)}), status **${md(scan.status)}**, started ${md(formatTime(scan.startedAt))}, finished ${md(formatTime(scan.finishedAt))}${model.capturedAt ? `, evidence captured ${md(formatTime(model.capturedAt))}` : ''}.`,
    '',
    `Targets: ${scan.targets.length === 0 ? 'none' : scan.targets.map((t) => md(locationLabel(t))).join(', ')}. ${scan.redisServers} Redis server(s), ${scan.frontends} front-end(s), ${scan.clusters} cluster(s).`,
  ];
  if (model.reportUrl) out.push('', `HTML report: ${plainUrl(model.reportUrl) ?? md(model.reportUrl)}`);

  if (scan.status !== 'COMPLETE' || scan.errors.length > 0) {
    out.push('', '## Scan errors', '', `**${md(scanStatusSentence(scan))}**`);
    if (scan.errors.length > 0) {
      out.push('', table(['Target', 'Call', 'Code', 'Message'], scan.errors.map((e) => [locationLabel(e), `${e.service}:${e.operation}`, e.code, e.message])));
    }
  }

  out.push(
    '',
    '## Summary',
    '',
    `Compliance: **${md(formatPercent(model.compliancePercent))}** (${md(COMPLIANCE_DEFINITION)})`,
    '',
    table(['Status', 'Findings'], FINDING_STATUSES.map((s) => [STATUS_LABEL[s], String(model.counts[s])])),
    '',
    '### Failing findings by severity',
    '',
    table([...SEVERITIES], [SEVERITIES.map((s) => String(model.failBySeverity[s]))]),
  );

  if (model.trend.length > 1) {
    out.push('', '### Compliance trend', '', table(['Scan', 'Finished', 'Compliance'], model.trend.map((p) => [p.scanId, formatDate(p.finishedAt), formatPercent(p.compliancePercent)])));
  }

  out.push('', '## Changes since the previous scan', '');
  if (!model.changes.compared) out.push('No previous scan to compare with.');
  else {
    out.push(`### New (${model.changes.new.length})`, '', ...bullets(model.changes.new, 'Nothing new fails.'), '');
    out.push(`### Resolved (${model.changes.resolved.length})`, '', ...bullets(model.changes.resolved, 'Nothing was resolved.'));
  }

  out.push('', '## Waivers', '');
  if (model.waivers.expired.length > 0) {
    out.push(`### Expired (${model.waivers.expired.length}): these findings count again`, '');
    for (const { finding, waiver } of model.waivers.expired) {
      out.push(`- ${line(finding)}: waiver ${md(waiver.id)} by ${md(waiver.owner)} (${md(waiver.reason)}) expired ${md(formatTime(waiver.expiredAt))}`);
    }
    out.push('');
  }
  out.push(`### Active (${model.waivers.active.length})`, '');
  if (model.waivers.active.length === 0) out.push('None.');
  else {
    out.push(
      table(
        ['Waiver', 'Rule', 'Resources', 'Owner', 'Reason', 'Expires', 'Suppresses'],
        model.waivers.active.map(({ suppression: s, suppressedFindings }) => [s.id, s.ruleId, s.resourcePattern, s.owner, s.reason, formatDate(s.expiresAt), `${suppressedFindings} finding(s)`]),
      ),
    );
  }
  out.push('');
  out.push(`### Expiring within ${model.waivers.expiringWithinDays} days (${model.waivers.expiringSoon.length})`, '');
  if (model.waivers.expiringSoon.length === 0) out.push('None.');
  else {
    out.push(
      table(
        ['Waiver', 'Rule', 'Resources', 'Owner', 'Reason', 'Expires', 'Suppresses'],
        model.waivers.expiringSoon.map(({ suppression: s, daysLeft, suppressedFindings }) => [
          s.id,
          s.ruleId,
          s.resourcePattern,
          s.owner,
          s.reason,
          `${formatDate(s.expiresAt)} (in ${daysLeft} day(s))`,
          `${suppressedFindings} finding(s)`,
        ]),
      ),
    );
  }

  out.push('', `## Findings (${model.findings.length})`, '');
  if (model.findings.length === 0) out.push('No findings: nothing was evaluated.');
  else {
    out.push(
      table(
        ['#', 'Status', 'Severity', 'Rule', 'Resource', 'Where', 'Title', 'Observed', 'Required', 'Requirement', 'Remediation', 'Waiver'],
        model.findings.map((f, i) => [
          String(i + 1),
          f.status,
          f.severity,
          f.ruleId,
          `${f.resourceType} ${resourceLabel(f)}`,
          `${locationLabel(f)}, ${environmentLabel(f)}`,
          f.title,
          f.observed,
          f.required,
          f.requirement,
          f.remediation,
          waiverText(f),
        ]),
      ),
    );
  }

  if (scan.notEvaluated.length > 0) {
    out.push('', `## Instances not evaluated (${scan.notEvaluated.length})`, '', table(['Instance', 'Role', 'Where', 'State', 'Reason'], scan.notEvaluated.map((n) => [n.instanceId, n.role, locationLabel(n), n.state, n.reason])));
  }
  const notEnrolled = scan.notEnrolled ?? [];
  if (notEnrolled.length > 0) {
    out.push('', `## Accounts not enrolled (${notEnrolled.length})`, '', md(notEnrolledSentence(notEnrolled)), '', notEnrolled.map((id) => `\`${id}\``).join(', '));
  }
  out.push('', `Generated ${md(formatTime(model.generatedAt))}.`, '');
  return out.join('\n');
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const row = (cells: readonly string[]): string => `| ${cells.map((c) => md(c)).join(' | ')} |`;
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

function line(f: StoredFinding): string {
  return `**${md(f.status)}** ${md(f.severity)}: ${md(f.title)}, ${md(resourceLabel(f))} (${md(locationLabel(f))}, ${md(f.ruleId)})`;
}

function bullets(list: readonly StoredFinding[], empty: string): string[] {
  return list.length === 0 ? [empty] : list.map((f) => `- ${line(f)}`);
}

function waiverText(f: StoredFinding): string {
  if (f.suppression) return `Suppressed by ${f.suppression.id} (${f.suppression.reason}), owner ${f.suppression.owner}, expires ${formatTime(f.suppression.expiresAt)}`;
  if (f.waiverExpired) return `Waiver ${f.waiverExpired.id} (${f.waiverExpired.reason}), owner ${f.waiverExpired.owner}, EXPIRED ${formatTime(f.waiverExpired.expiredAt)}`;
  return '';
}

/** Our own report URL, written bare (GFM links it) when it is a plain http(s) URL. */
function plainUrl(url: string): string | undefined {
  return /^https?:\/\/[^\s<>()[\]|`*_~\\]+$/i.test(url) ? url : undefined;
}
