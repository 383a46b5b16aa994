/** The port through which handlers keep scans, findings, finding states and waivers. */
import type { FindingState } from '../../core/finding-states';
import type { FindingStatus, RuleId, ScanRecord, Severity, StoredFinding, Suppression } from '../../core/model';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  nextToken?: string;
}

export interface PageRequest {
  /** 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when absent. */
  limit?: number;
  nextToken?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface FindingFilter extends PageRequest {
  status?: FindingStatus;
  severity?: Severity;
  ruleId?: RuleId;
}

export interface ResourceRef {
  accountId: string;
  region: string;
  resourceId: string;
}

/** A nextToken that was not issued for this query (tampered, truncated, or from another listing). */
export class InvalidNextTokenError extends Error {
  override name = 'InvalidNextTokenError';
  constructor(reason: string) {
    super(`invalid nextToken: ${reason}`);
  }
}

export interface FindingsStore {
  /** Creates or replaces a scan record (RUNNING first, then its final status). */
  putScan(scan: ScanRecord): Promise<void>;
  getScan(scanId: string): Promise<ScanRecord | undefined>;
  /** The most recently started scan, whatever its status. */
  latestScan(): Promise<ScanRecord | undefined>;
  /** Scans newest first, any status. */
  listScans(page?: PageRequest): Promise<Page<ScanRecord>>;
  /**
   * Finished scans (COMPLETE or PARTIAL) newest first; with `before`, only those started before it
   * (the previous scan, the trend).
   */
  listFinishedScans(options: { limit: number; before?: Pick<ScanRecord, 'scanId' | 'startedAt'> }): Promise<ScanRecord[]>;

  /**
   * Writes a scan's findings (same scan id, same findings => same items) and removes items of that
   * scan no longer among them. Throws when some items could not be written after retries.
   */
  putFindings(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>, findings: readonly StoredFinding[]): Promise<void>;
  /** Findings of a scan, worst first, optionally by status, severity and rule. */
  listFindings(scanId: string, filter?: FindingFilter): Promise<Page<StoredFinding>>;
  /** Every finding of a scan (all pages). */
  allFindings(scanId: string): Promise<StoredFinding[]>;
  /** Findings about one resource across scans, newest scan first. */
  resourceHistory(resource: ResourceRef, page?: PageRequest): Promise<Page<StoredFinding>>;

  listFindingStates(): Promise<FindingState[]>;
  getFindingState(ref: ResourceRef & { ruleId: RuleId }): Promise<FindingState | undefined>;
  putFindingStates(states: readonly FindingState[]): Promise<void>;

  putSuppression(suppression: Suppression): Promise<void>;
  getSuppression(id: string): Promise<Suppression | undefined>;
  /** True when it existed. */
  deleteSuppression(id: string): Promise<boolean>;
  listSuppressions(): Promise<Suppression[]>;
}
