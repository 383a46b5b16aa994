import { zeroFindingCounts, zeroSeverityCounts } from './finding-counts';
import type { Finding, FindingStatus, ScanSummary } from './model';

/** Counts findings by status, failing findings by severity, and statuses by rule. */
export function summarise(
  findings: ReadonlyArray<Pick<Finding, 'ruleId' | 'severity'> & { status: FindingStatus }>,
  extra: Pick<ScanSummary, 'redisServers' | 'frontends' | 'clusters' | 'notEvaluated' | 'apiCalls'>,
): ScanSummary {
  const byStatus = zeroFindingCounts();
  const failBySeverity = zeroSeverityCounts();
  const byRule: Record<string, Record<FindingStatus, number>> = {};
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    byStatus[finding.status]++;
    if (finding.status === 'FAIL') failBySeverity[finding.severity]++;
    (byRule[finding.ruleId] ??= zeroFindingCounts())[finding.status]++;
  }
  return { total: findings.length, byStatus, failBySeverity, byRule, ...extra };
}
