import { severityRank, type Finding, type Status } from './model';

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, UNKNOWN: 1, PASS: 2, NOT_APPLICABLE: 3 };

/** Worst first: FAIL, then UNKNOWN, by severity, then stable by account, region, resource and rule. */
export function compareFindings(a: Finding, b: Finding): number {
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
  return a < b ? -1 : a > b ? 1 : 0;
}
