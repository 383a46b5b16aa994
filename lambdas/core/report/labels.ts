/** Words and short labels shared by the renderers (raw text: each renderer escapes). */
import type { FindingStatus, ScanRecord, StoredFinding } from '../model';

export const REPORT_TITLE = 'Redis compliance report';

export const STATUS_LABEL: Record<FindingStatus, string> = {
  FAIL: 'Failing',
  UNKNOWN: 'Unknown',
  SUPPRESSED: 'Suppressed',
  PASS: 'Passing',
  NOT_APPLICABLE: 'Not applicable',
};

/** `i-0abc (Name)` or `i-0abc`. */
export function resourceLabel(finding: Pick<StoredFinding, 'resourceId' | 'resourceName'>): string {
  return finding.resourceName ? `${finding.resourceId} (${finding.resourceName})` : finding.resourceId;
}

/** `111122223333 / eu-west-1`. */
export function locationLabel(item: { accountId: string; region: string }): string {
  return `${item.accountId} / ${item.region}`;
}

/** `production "prod"`, or `non-production "dev"`, with the cluster when there is one. */
export function environmentLabel(finding: Pick<StoredFinding, 'environment' | 'production' | 'cluster'>): string {
  const env = `${finding.production ? 'production' : 'non-production'} "${finding.environment}"`;
  return finding.cluster === null ? env : `${env}, cluster "${finding.cluster}"`;
}

/** `2025-06-01 02:00 UTC`, or the input unchanged when it is not a date. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2025-06-01`. */
export function formatDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : iso;
}

/** One line saying how the scan ended. */
/**
 * Organization accounts the scan could not read because the reader role is not deployed there:
 * a coverage note, not a capture error (the scan stays COMPLETE and no alarm fires).
 */
export function notEnrolledSentence(accountIds: readonly string[]): string {
  return `${accountIds.length} organization account(s) not enrolled: the reader role's StackSet has no successful stack instance there, so they were not scanned. Deploy the StackSet to their organizational units to scan them.`;
}

export function scanStatusSentence(scan: ScanRecord): string {
  switch (scan.status) {
    case 'COMPLETE':
      return 'Scan complete: every target was read.';
    case 'PARTIAL':
      return `Scan PARTIAL: ${scan.errors.length} collection error(s); findings that depend on the missing data are UNKNOWN.`;
    case 'FAILED':
      return `Scan FAILED: ${scan.errors.length} error(s); the findings below are incomplete.`;
    case 'RUNNING':
      return 'Scan still RUNNING: the findings below are incomplete.';
  }
}

/** The "and N more" line used wherever a list is cut. */
export function andMore(count: number, what: string): string {
  return `and ${count} more ${what}`;
}
