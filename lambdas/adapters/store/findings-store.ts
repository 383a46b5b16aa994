/** The port through which handlers keep scans, findings, finding states and waivers. */
import type { FindingState, FindingStateHead } from '../../core/finding-states';
import type { ExportedPair } from '../../core/export/exported-pairs';
import type { FindingOutline } from '../../core/report/passing-resources';
import type { FindingStatus, RuleId, ScanRecord, Severity, StoredFinding, Suppression } from '../../core/model';
import type { ScanLease, ScanLeaseResult } from '../../core/scan-lease';

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

/** Hands every item of every page `readPage` answers to `each`, in order, asking for the largest pages. */
export async function forEachPagedItem<T>(readPage: (request: PageRequest) => Promise<Page<T>>, each: (item: T) => void): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await readPage({ limit: MAX_PAGE_SIZE, ...(nextToken ? { nextToken } : {}) });
    for (const item of page.items) each(item);
    nextToken = page.nextToken;
  } while (nextToken);
}

/** Every item of every page `readPage` answers, in order. */
export async function allPagedItems<T>(readPage: (request: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  await forEachPagedItem(readPage, (item) => all.push(item));
  return all;
}

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

/** A scan's findings written as they are made (FindingsStore.openFindingsWrite). */
export interface FindingsWrite {
  /**
   * Stores these findings, more may follow. Resolves once every full batch of them is written
   * (a DynamoDB store keeps fewer than one batch waiting), so a caller that waits for it never
   * holds more than what it hands over.
   */
  write(findings: readonly StoredFinding[]): Promise<void>;
  /**
   * After the last write: writes what is still waiting and removes the items of the scan that no
   * write named (an earlier attempt's). Throws as putFindings does when items could not be written.
   */
  finish(): Promise<void>;
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
  /**
   * putFindings in pieces: the findings handed to the write's `write` calls, then `finish`, leave
   * the same items as one putFindings of all of them.
   */
  openFindingsWrite(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>): Promise<FindingsWrite>;
  /** Findings of a scan, worst first, optionally by status, severity and rule. */
  listFindings(scanId: string, filter?: FindingFilter): Promise<Page<StoredFinding>>;
  /** Every finding of a scan (all pages). */
  allFindings(scanId: string): Promise<StoredFinding[]>;
  /**
   * A scan's findings of one status, in listFindings' order, each reduced to the fields the
   * report's passing lists read (FindingOutline): the PASS and NOT_APPLICABLE findings of a large
   * scan page by page without their sentences.
   */
  listFindingOutlines(scanId: string, filter: PageRequest & { status: FindingStatus }): Promise<Page<FindingOutline>>;
  /** Findings about one resource across scans, newest scan first. */
  resourceHistory(resource: ResourceRef, page?: PageRequest): Promise<Page<StoredFinding>>;

  listFindingStates(): Promise<FindingState[]>;
  /** Every finding state without its last failing finding (what a scan reads of each), a page at a time. */
  findingStateHeadPages(): AsyncIterable<FindingStateHead[]>;
  /** The full states of these pairs (those stored; in any order). */
  getFindingStates(refs: ReadonlyArray<ResourceRef & { ruleId: RuleId }>): Promise<FindingState[]>;
  getFindingState(ref: ResourceRef & { ruleId: RuleId }): Promise<FindingState | undefined>;
  putFindingStates(states: readonly FindingState[]): Promise<void>;

  /**
   * Takes the one-scan-at-a-time lease for `scanId` until `now + durationMs` (lambdas/core/scan-lease.ts):
   * in one conditional write, granted when no lease is held, the held one has lapsed, or `scanId`
   * holds it already (renewed); otherwise refused with the holder.
   */
  acquireScanLease(scanId: string, now: Date, durationMs: number): Promise<ScanLeaseResult>;
  /** Gives the lease up if `scanId` holds it (a conditional delete); true when it did. */
  releaseScanLease(scanId: string): Promise<boolean>;
  /** The lease as stored (possibly lapsed), or undefined. */
  getScanLease(): Promise<ScanLease | undefined>;
  /** Every pair the exports have told a consumer about (exported-pairs.ts). */
  listExportedPairs(): Promise<ExportedPair[]>;
  /** Writes these entries; one whose resource is gone expires after the retention period. */
  putExportedPairs(pairs: readonly ExportedPair[]): Promise<void>;

  putSuppression(suppression: Suppression): Promise<void>;
  getSuppression(id: string): Promise<Suppression | undefined>;
  /** True when it existed. */
  deleteSuppression(id: string): Promise<boolean>;
  listSuppressions(): Promise<Suppression[]>;
}
