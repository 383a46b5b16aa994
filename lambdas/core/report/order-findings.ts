/** The order of findings in every report: worst first. */
import { severityRank, type FindingStatus, type StoredFinding } from '../model';

/** FAIL and UNKNOWN need attention (absence of evidence is never compliance); waived ones next. */
const STATUS_ORDER: Record<FindingStatus, number> = { FAIL: 0, UNKNOWN: 1, SUPPRESSED: 2, PASS: 3, NOT_APPLICABLE: 4 };

/** Worst first: by status, then severity, then stably by account, region, resource and rule. */
export function compareStoredFindings(a: StoredFinding, b: StoredFinding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.accountId, b.accountId) ||
    compareText(a.region, b.region) ||
    compareText(a.resourceId, b.resourceId) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/** A finding that needs someone to act: it fails, or its compliance could not be established. */
export function needsAttention(finding: Pick<StoredFinding, 'status'>): boolean {
  return finding.status === 'FAIL' || finding.status === 'UNKNOWN';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
