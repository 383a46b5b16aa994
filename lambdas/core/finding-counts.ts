/** Counting findings by final status and failing findings by severity: one definition for the
 *  evaluation summary, the stored scan record and the reports. Pure. */
import { SEVERITIES, STATUSES, type FindingStatus, type Severity } from './model';

/** Every final status, in report order. */
export const FINDING_STATUSES: readonly FindingStatus[] = ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];

// Keep the list complete: every rule status plus SUPPRESSED.
if (FINDING_STATUSES.length !== STATUSES.length + 1) throw new Error('FINDING_STATUSES is missing a status');

export function zeroFindingCounts(): Record<FindingStatus, number> {
  return Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
}

export function zeroSeverityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export interface FindingCounts {
  byStatus: Record<FindingStatus, number>;
  /** Findings whose final status is FAIL, by severity. */
  failBySeverity: Record<Severity, number>;
}

export function countFindings(findings: Iterable<{ status: FindingStatus; severity: Severity }>): FindingCounts {
  const counts: FindingCounts = { byStatus: zeroFindingCounts(), failBySeverity: zeroSeverityCounts() };
  for (const finding of findings) countFinding(counts, finding);
  return counts;
}

/** Adds one finding to `counts` (countFindings one finding at a time). */
export function countFinding(counts: FindingCounts, finding: { status: FindingStatus; severity: Severity }): void {
  counts.byStatus[finding.status]++;
  if (finding.status === 'FAIL') counts.failBySeverity[finding.severity]++;
}
