/**
 * A plain-text summary for the e-mail text part and the terminal. Every dynamic value goes through
 * plainText (no control characters, no ANSI escapes, no bidi overrides, one line) and is cut to a
 * readable length; the HTML report has the full text.
 */
import { SEVERITIES, type StoredFinding } from '../model';
import { COMPLIANCE_DEFINITION, formatPercent } from './compliance';
import { plainText, truncate } from './escaping';
import { andMore, environmentLabel, formatDate, formatTime, locationLabel, REPORT_TITLE, resourceLabel, scanStatusSentence } from './labels';
import type { ReportSummaryModel } from './report-model';

export interface TextSummaryOptions {
  /** Findings shown in full, worst first (default 10). */
  worstFindings?: number;
  /** Items per list (new, resolved, waivers, errors) before "and N more" (default 20). */
  listItems?: number;
  /** Characters per value before it is cut (default 400). */
  valueLength?: number;
}

export function renderTextSummary(model: ReportSummaryModel, options: TextSummaryOptions = {}): string {
  const worst = options.worstFindings ?? 10;
  const listItems = options.listItems ?? 20;
  const t = (value: string): string => truncate(plainText(value), options.valueLength ?? 400);
  const { scan } = model;
  const out: string[] = [
    `${REPORT_TITLE}: scan ${t(scan.scanId)} (${t(scan.trigger)})`,
    `Status: ${t(scan.status)}. Started ${t(formatTime(scan.startedAt))}, finished ${t(formatTime(scan.finishedAt))}${model.capturedAt ? `, evidence captured ${t(formatTime(model.capturedAt))}` : ''}.`,
    `Targets: ${scan.targets.length === 0 ? 'none' : scan.targets.map((x) => t(locationLabel(x))).join(', ')}. ${scan.redisServers} Redis server(s), ${scan.frontends} front-end(s), ${scan.clusters} cluster(s).`,
    '',
    `Compliance: ${formatPercent(model.compliancePercent)} (${COMPLIANCE_DEFINITION})`,
    `Failing: ${model.counts.FAIL} (${SEVERITIES.map((s) => `${s} ${model.failBySeverity[s]}`).join(', ')})`,
    `Unknown: ${model.counts.UNKNOWN}. Suppressed: ${model.counts.SUPPRESSED}. Passing: ${model.counts.PASS}. Not applicable: ${model.counts.NOT_APPLICABLE}.`,
  ];
  if (scan.status !== 'COMPLETE' || scan.errors.length > 0) {
    out.push('', scanStatusSentence(scan));
    out.push(...limited(scan.errors.map((e) => `  - ${t(locationLabel(e))} ${t(`${e.service}:${e.operation}`)} ${t(e.code)}: ${t(e.message)}`), listItems, 'error(s)'));
  }
  out.push('');
  if (!model.changes.compared) out.push('Changes: no previous scan to compare with.');
  else {
    out.push(`New since the previous scan: ${model.changes.new.length}`, ...limited(model.changes.new.map((f) => `  - ${oneLine(f, t)}`), listItems, 'new finding(s)'));
    out.push(`Resolved since the previous scan: ${model.changes.resolved.length}`, ...limited(model.changes.resolved.map((f) => `  - ${oneLine(f, t)}`), listItems, 'resolved finding(s)'));
  }

  const attention = model.attention;
  out.push('', attention.length === 0 ? 'Nothing fails and nothing is unknown.' : `Needing attention (${attention.length}), worst first:`);
  attention.slice(0, worst).forEach((f, i) => {
    out.push(
      `${i + 1}. ${oneLine(f, t)}`,
      `   Where: ${t(environmentLabel(f))}`,
      `   Observed: ${t(f.observed)}`,
      `   Required: ${t(f.required)}`,
      `   Remediation: ${t(f.remediation)}`,
    );
    if (f.waiverExpired) out.push(`   Waiver ${t(f.waiverExpired.id)} (${t(f.waiverExpired.reason)}, owner ${t(f.waiverExpired.owner)}) expired ${t(formatTime(f.waiverExpired.expiredAt))}.`);
  });
  if (attention.length > worst) out.push(`   ${andMore(attention.length - worst, 'finding(s) needing attention')}`);

  const { expired, expiringSoon, expiringWithinDays } = model.waivers;
  if (expired.length > 0) {
    out.push('', `Waivers expired (${expired.length}), these findings count again:`);
    out.push(...limited(expired.map(({ finding, waiver }) => `  - ${t(waiver.id)} by ${t(waiver.owner)} (${t(waiver.reason)}) expired ${t(formatTime(waiver.expiredAt))}: ${oneLine(finding, t)}`), listItems, 'expired waiver(s)'));
  }
  out.push('', `Waivers expiring within ${expiringWithinDays} days: ${expiringSoon.length}`);
  out.push(
    ...limited(
      expiringSoon.map(({ suppression: s, daysLeft, suppressedFindings }) => `  - ${t(s.id)} (${t(s.ruleId)} on ${t(s.resourcePattern)}), owner ${t(s.owner)}, expires ${t(formatDate(s.expiresAt))} (in ${daysLeft} day(s)), suppresses ${suppressedFindings} finding(s): ${t(s.reason)}`),
      listItems,
      'waiver(s)',
    ),
  );
  if (model.reportUrl) out.push('', `Full report: ${plainText(model.reportUrl)}`);
  out.push('');
  return out.join('\n');
}

function oneLine(f: StoredFinding, t: (value: string) => string): string {
  return `[${t(f.status)} ${t(f.severity)}] ${t(f.title)}: ${t(resourceLabel(f))} (${t(locationLabel(f))}, ${t(f.ruleId)})`;
}

function limited(lines: string[], max: number, what: string): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `  ${andMore(lines.length - max, what)}`];
}
