/** The order of findings everywhere (evaluation results and every report): worst first. */
import { SEVERITIES, severityRank, type Finding, type FindingStatus } from './model';

/** What ordering reads of a finding, before or after waivers. */
type Sortable = Pick<Finding, 'severity' | 'accountId' | 'region' | 'resourceId' | 'ruleId'> & { status: FindingStatus };

/** FAIL and UNKNOWN need attention (absence of evidence is never compliance); waived ones next. */
const STATUS_ORDER: Record<FindingStatus, number> = { FAIL: 0, UNKNOWN: 1, SUPPRESSED: 2, PASS: 3, NOT_APPLICABLE: 4 };

/** Worst first: by status, then severity, then stably by account, region, resource and rule. */
export function compareFindings(a: Sortable, b: Sortable): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.accountId, b.accountId) ||
    cmp(a.region, b.region) ||
    cmp(a.resourceId, b.resourceId) ||
    cmp(a.ruleId, b.ruleId)
  );
}

function cmp(a: string, b: string): number {
  // Equality first: most compared pairs share their account and region (often the same string object).
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Ties of status and severity: by account, region, resource and rule. */
function compareWithinRank(a: Sortable, b: Sortable): number {
  return cmp(a.accountId, b.accountId) || cmp(a.region, b.region) || cmp(a.resourceId, b.resourceId) || cmp(a.ruleId, b.ruleId);
}

/**
 * Sorts in place in compareFindings order. Status and severity take few values, so findings are
 * first dealt into one bucket per (status, severity) in input order and only the ties are compared:
 * the same order as a stable sort with compareFindings, with a fraction of the comparisons.
 */
export function sortFindings<T extends Sortable>(findings: T[]): void {
  const buckets: T[][] = [];
  for (let i = 0; i < Object.keys(STATUS_ORDER).length * SEVERITIES.length; i++) buckets.push([]);
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    const rank = severityRank(finding.severity);
    const bucket = buckets[STATUS_ORDER[finding.status] * SEVERITIES.length + rank];
    // A status or severity outside the model has no bucket: keep the plain comparator's answer.
    if (bucket === undefined || rank < 0) {
      findings.sort(compareFindings);
      return;
    }
    bucket.push(finding);
  }
  let next = 0;
  for (const bucket of buckets) {
    bucket.sort(compareWithinRank);
    for (const finding of bucket) findings[next++] = finding;
  }
}
