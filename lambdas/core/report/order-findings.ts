/** The order of findings in every report: worst first, as everywhere (../sort-findings). */
import type { StoredFinding } from '../model';
export { compareFindings as compareStoredFindings, sortFindings } from '../sort-findings';

/** A finding that needs someone to act: it fails, or its compliance could not be established. */
export function needsAttention(finding: Pick<StoredFinding, 'status'>): boolean {
  return finding.status === 'FAIL' || finding.status === 'UNKNOWN';
}
