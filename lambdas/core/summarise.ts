import { SEVERITIES, STATUSES, type Finding, type FindingStatus, type ScanSummary, type Severity } from './model';

const FINDING_STATUSES: readonly FindingStatus[] = [...STATUSES, 'SUPPRESSED'];

function zeroStatuses(): Record<FindingStatus, number> {
  return Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
}

/** Counts findings by status, failing findings by severity, and statuses by rule. */
export function summarise(
  findings: ReadonlyArray<Pick<Finding, 'ruleId' | 'severity'> & { status: FindingStatus }>,
  extra: Pick<ScanSummary, 'redisServers' | 'frontends' | 'clusters' | 'notEvaluated' | 'apiCalls'>,
): ScanSummary {
  const byStatus = zeroStatuses();
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, Record<FindingStatus, number>> = {};
  for (const finding of findings) {
    byStatus[finding.status]++;
    if (finding.status === 'FAIL') failBySeverity[finding.severity]++;
    (byRule[finding.ruleId] ??= zeroStatuses())[finding.status]++;
  }
  return { total: findings.length, byStatus, failBySeverity, byRule, ...extra };
}
