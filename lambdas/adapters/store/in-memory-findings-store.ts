/**
 * The FindingsStore in memory: for handler tests and anything else that needs a store without a
 * database. Same contract as the DynamoDB store (ordering, paging, token validation), simpler means.
 */
import type { FindingState, FindingStateHead } from '../../core/finding-states';
import { leaseAvailable, newLease, type ScanLease, type ScanLeaseResult } from '../../core/scan-lease';
import type { ExportedPair } from '../../core/export/exported-pairs';
import type { FindingOutline } from '../../core/report/passing-resources';
import { findingKey, type FindingStatus, type RuleId, type ScanRecord, type StoredFinding, type Suppression } from '../../core/model';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type FindingFilter, type FindingsStore, type FindingsWrite, type Page, type PageRequest, type ResourceRef } from './findings-store';
import { decodePageToken, encodePageToken } from './page-token';
import { findingItemKeys, FINDING_OUTLINE_FIELDS, keys } from './table-design';

interface Sorted<T> {
  sortKey: string;
  value: T;
}

export class InMemoryFindingsStore implements FindingsStore {
  private readonly scans = new Map<string, ScanRecord>();
  private readonly findings = new Map<string, Map<string, StoredFinding>>();
  private readonly scanStart = new Map<string, string>();
  private readonly states = new Map<string, FindingState>();
  private readonly exported = new Map<string, ExportedPair>();
  private readonly suppressions = new Map<string, Suppression>();
  private lease: ScanLease | undefined;

  async putScan(scan: ScanRecord): Promise<void> {
    this.scans.set(scan.scanId, clone(scan));
  }

  async getScan(scanId: string): Promise<ScanRecord | undefined> {
    return maybeClone(this.scans.get(scanId));
  }

  async latestScan(): Promise<ScanRecord | undefined> {
    return (await this.listScans({ limit: 1 })).items[0];
  }

  async listScans(page: PageRequest = {}): Promise<Page<ScanRecord>> {
    return paginate('scans', this.scanList(), page, true);
  }

  async listFinishedScans(options: { limit: number; before?: Pick<ScanRecord, 'scanId' | 'startedAt'> }): Promise<ScanRecord[]> {
    const below = options.before ? keys.scanTime(options.before) : undefined;
    const finished = this.scanList().filter((s) => (s.value.status === 'COMPLETE' || s.value.status === 'PARTIAL') && (below === undefined || s.sortKey < below));
    return paginate('finished', finished, { limit: options.limit }, true).items;
  }

  async putFindings(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>, findings: readonly StoredFinding[]): Promise<void> {
    this.findings.set(scan.scanId, new Map(findings.map((f) => [findingKey(f), clone(f)])));
    this.scanStart.set(scan.scanId, scan.startedAt);
  }

  async openFindingsWrite(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>): Promise<FindingsWrite> {
    const written = new Map<string, StoredFinding>();
    return {
      write: async (findings) => {
        for (const f of findings) written.set(findingKey(f), clone(f));
      },
      finish: async () => {
        this.findings.set(scan.scanId, written);
        this.scanStart.set(scan.scanId, scan.startedAt);
      },
    };
  }

  async listFindings(scanId: string, filter: FindingFilter = {}): Promise<Page<StoredFinding>> {
    const selected = this.sortedFindings(scanId).filter(
      ({ value: f }) =>
        (filter.status === undefined || f.status === filter.status) &&
        (filter.severity === undefined || f.severity === filter.severity) &&
        (filter.ruleId === undefined || f.ruleId === filter.ruleId),
    );
    const listing = `findings:${scanId}:${filter.status ?? ''}:${filter.severity ?? ''}:${filter.ruleId ?? ''}`;
    return paginate(listing, selected, filter, false);
  }

  async allFindings(scanId: string): Promise<StoredFinding[]> {
    return this.sortedFindings(scanId).map((s) => clone(s.value));
  }

  async listFindingOutlines(scanId: string, filter: PageRequest & { status: FindingStatus }): Promise<Page<FindingOutline>> {
    const page = await this.listFindings(scanId, { ...filter, status: filter.status });
    return { ...page, items: page.items.map(outlineOf) };
  }

  async resourceHistory(resource: ResourceRef, page: PageRequest = {}): Promise<Page<StoredFinding>> {
    const matches: Array<Sorted<StoredFinding>> = [];
    for (const [scanId, byKey] of this.findings) {
      const startedAt = this.scanStart.get(scanId)!;
      for (const f of byKey.values()) {
        if (f.accountId === resource.accountId && f.region === resource.region && f.resourceId === resource.resourceId) {
          matches.push({ sortKey: findingItemKeys({ scanId, startedAt }, f).GSI1SK!, value: f });
        }
      }
    }
    return paginate(keys.resourcePartition(resource), sortBy(matches), page, true);
  }

  async listFindingStates(): Promise<FindingState[]> {
    return [...this.states.values()].map(clone);
  }

  async *findingStateHeadPages(): AsyncGenerator<FindingStateHead[]> {
    yield [...this.states.values()].map(({ finding: _finding, ...head }) => clone(head));
  }

  async getFindingStates(refs: ReadonlyArray<ResourceRef & { ruleId: RuleId }>): Promise<FindingState[]> {
    return refs.flatMap((ref) => {
      const state = this.states.get(findingKey(ref));
      return state ? [clone(state)] : [];
    });
  }

  async getFindingState(ref: ResourceRef & { ruleId: RuleId }): Promise<FindingState | undefined> {
    return maybeClone(this.states.get(findingKey(ref)));
  }

  async putFindingStates(states: readonly FindingState[]): Promise<void> {
    for (const state of states) this.states.set(state.key, clone(state));
  }

  async acquireScanLease(scanId: string, now: Date, durationMs: number): Promise<ScanLeaseResult> {
    const lease = newLease(scanId, now, durationMs);
    if (!leaseAvailable(this.lease, scanId, now)) return { acquired: false, holder: clone(this.lease!) };
    this.lease = lease;
    return { acquired: true, lease: clone(lease) };
  }

  async releaseScanLease(scanId: string): Promise<boolean> {
    if (this.lease?.scanId !== scanId) return false;
    this.lease = undefined;
    return true;
  }

  async getScanLease(): Promise<ScanLease | undefined> {
    return maybeClone(this.lease);
  }

  async listExportedPairs(): Promise<ExportedPair[]> {
    return [...this.exported.values()].map(clone);
  }

  async putExportedPairs(pairs: readonly ExportedPair[]): Promise<void> {
    for (const pair of pairs) this.exported.set(pair.key, clone(pair));
  }

  async putSuppression(suppression: Suppression): Promise<void> {
    this.suppressions.set(suppression.id, clone(suppression));
  }

  async getSuppression(id: string): Promise<Suppression | undefined> {
    return maybeClone(this.suppressions.get(id));
  }

  async deleteSuppression(id: string): Promise<boolean> {
    return this.suppressions.delete(id);
  }

  async listSuppressions(): Promise<Suppression[]> {
    return [...this.suppressions.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(clone);
  }

  private scanList(): Array<Sorted<ScanRecord>> {
    return sortBy([...this.scans.values()].map((s) => ({ sortKey: keys.scanTime(s), value: s })));
  }

  private sortedFindings(scanId: string): Array<Sorted<StoredFinding>> {
    const startedAt = this.scanStart.get(scanId) ?? '';
    return sortBy([...(this.findings.get(scanId)?.values() ?? [])].map((f) => ({ sortKey: findingItemKeys({ scanId, startedAt }, f).GSI2SK!, value: f })));
  }
}

function sortBy<T>(items: Array<Sorted<T>>): Array<Sorted<T>> {
  return items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

/** Pages over items sorted ascending by sortKey; the token is the last returned sort key, bound to the listing. */
function paginate<T>(listing: string, ascending: Array<Sorted<T>>, page: PageRequest, newestFirst: boolean): Page<T> {
  const ordered = newestFirst ? [...ascending].reverse() : ascending;
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  let start = 0;
  if (page.nextToken !== undefined) {
    const after = decodePageToken(page.nextToken, ['listing', 'after'], { attribute: 'listing', value: listing }, undefined, ['after']).after!;
    start = ordered.findIndex((s) => (newestFirst ? s.sortKey < after : s.sortKey > after));
    if (start < 0) start = ordered.length;
  }
  const slice = ordered.slice(start, start + limit);
  const items = slice.map((s) => clone(s.value));
  if (start + limit >= ordered.length) return { items };
  return { items, nextToken: encodePageToken({ listing, after: slice[slice.length - 1]!.sortKey })! };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function maybeClone<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : clone(value);
}

/** The outline's fields of a finding, absent ones left out (as a DynamoDB projection leaves them). */
function outlineOf(finding: StoredFinding): FindingOutline {
  const outline: Record<string, unknown> = {};
  for (const field of FINDING_OUTLINE_FIELDS) if (finding[field] !== undefined) outline[field] = finding[field];
  return outline as unknown as FindingOutline;
}
