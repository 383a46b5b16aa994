import { SEVERITIES, STATUSES, type Finding, type ScanSummary, type Severity, type Status } from './model';

function zeroStatuses(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** Counts findings by status, failing findings by severity, and statuses by rule. */
export function summarise(
  findings: readonly Finding[],
  extra: Pick<ScanSummary, 'redisServers' | 'frontends' | 'clusters' | 'notEvaluated' | 'apiCalls'>,
): ScanSummary {
  const byStatus = zeroStatuses();
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, Record<Status, number>> = {};
  for (const finding of findings) {
    byStatus[finding.status]++;
    if (finding.status === 'FAIL') failBySeverity[finding.severity]++;
    (byRule[finding.ruleId] ??= zeroStatuses())[finding.status]++;
  }
  return { total: findings.length, byStatus, failBySeverity, byRule, ...extra };
}
