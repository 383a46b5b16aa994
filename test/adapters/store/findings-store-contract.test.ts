/** The two FindingsStore implementations keep the same contract (handler tests rely on the in-memory one). */
import { DynamoDbFindingsStore } from '../../../lambdas/adapters/store/dynamodb-findings-store';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { InvalidNextTokenError, type FindingsStore } from '../../../lambdas/adapters/store/findings-store';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import type { FindingStatus, StoredFinding } from '../../../lambdas/core/model';
import { aScanRecord, aStoredFinding } from '../../support/findings-fixture';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('contract');
});
afterAll(async () => {
  await table.drop();
});

let counter = 0;
const implementations: Array<[string, () => FindingsStore]> = [
  ['in memory', () => new InMemoryFindingsStore()],
  // Each test gets fresh scan ids on the shared table, so tests stay independent.
  ['DynamoDB', () => new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 7, clock: fixedClock('2030-01-01T00:00:00Z') })],
];

describe.each(implementations)('FindingsStore contract: %s', (_name, makeStore) => {
  let store: FindingsStore;
  let prefix: string;
  beforeEach(() => {
    store = makeStore();
    prefix = `c${++counter}`;
  });

  function findings(scanId: string): StoredFinding[] {
    const statuses: FindingStatus[] = ['PASS', 'FAIL', 'UNKNOWN', 'FAIL', 'SUPPRESSED', 'NOT_APPLICABLE', 'FAIL'];
    return statuses.map((status, i) => aStoredFinding(scanId, { resourceId: `i-${prefix}-${i}`, status, ruleStatus: status === 'SUPPRESSED' ? 'FAIL' : status, severity: i % 2 ? 'high' : 'low' }));
  }

  it('keeps one scan lease: renewed by its holder, refused to others until it lapses, released only by its holder', async () => {
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    const [a, b] = [`${prefix}-a`, `${prefix}-b`];
    expect(await store.acquireScanLease(a, t0, 60_000)).toEqual({ acquired: true, lease: { scanId: a, acquiredAt: t0.toISOString(), expiresAt: '2030-01-01T00:01:00.000Z' } });
    expect(await store.acquireScanLease(b, new Date(t0.getTime() + 59_999), 60_000)).toEqual({ acquired: false, holder: { scanId: a, acquiredAt: t0.toISOString(), expiresAt: '2030-01-01T00:01:00.000Z' } });
    expect((await store.acquireScanLease(a, new Date(t0.getTime() + 30_000), 60_000)).acquired).toBe(true);
    expect(await store.acquireScanLease(b, new Date(t0.getTime() + 60_000), 60_000)).toMatchObject({ acquired: false, holder: { scanId: a } });
    expect(await store.acquireScanLease(b, new Date(t0.getTime() + 90_000), 60_000)).toMatchObject({ acquired: true, lease: { scanId: b } });
    expect(await store.releaseScanLease(a)).toBe(false);
    expect((await store.getScanLease())?.scanId).toBe(b);
    expect(await store.releaseScanLease(b)).toBe(true);
    expect(await store.getScanLease()).toBeUndefined();
  });

  it('pages findings worst first and filters exactly', async () => {
    const scan = aScanRecord(`${prefix}-scan`, '2030-01-01T00:00:00.000Z');
    await store.putFindings(scan, findings(scan.scanId));
    const seen: StoredFinding[] = [];
    let nextToken: string | undefined;
    do {
      const page = await store.listFindings(scan.scanId, { limit: 2, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE']);
    expect(seen.slice(0, 3).map((f) => f.severity)).toEqual(['high', 'high', 'low']);
    expect((await store.listFindings(scan.scanId, { status: 'FAIL', severity: 'high' })).items).toHaveLength(2);
    expect(await store.allFindings(scan.scanId)).toHaveLength(7);
  });

  it('rejects tokens from another listing', async () => {
    const scan = aScanRecord(`${prefix}-scan`, '2030-01-01T00:00:00.000Z');
    await store.putFindings(scan, findings(scan.scanId));
    const page = await store.listFindings(scan.scanId, { status: 'FAIL', limit: 1 });
    await expect(store.listFindings(scan.scanId, { status: 'PASS', nextToken: page.nextToken! })).rejects.toBeInstanceOf(InvalidNextTokenError);
    await expect(store.listScans({ nextToken: 'eyJ4IjoxfQ' })).rejects.toBeInstanceOf(InvalidNextTokenError);
  });

  it('replaces a scan record and lists only finished scans before a given one', async () => {
    const a = aScanRecord(`${prefix}-a`, '2031-01-01T00:00:00.000Z');
    const b = aScanRecord(`${prefix}-b`, '2031-01-02T00:00:00.000Z', { status: 'RUNNING' });
    await store.putScan(a);
    await store.putScan(b);
    expect((await store.listFinishedScans({ limit: 5, before: b })).map((s) => s.scanId)).toContain(a.scanId);
    expect((await store.listFinishedScans({ limit: 50 })).map((s) => s.scanId)).not.toContain(b.scanId);
    await store.putScan({ ...b, status: 'COMPLETE' });
    expect((await store.getScan(b.scanId))!.status).toBe('COMPLETE');
    expect((await store.listFinishedScans({ limit: 50 })).map((s) => s.scanId)).toContain(b.scanId);
  });

  it('replaces the findings of a re-run scan', async () => {
    const scan = aScanRecord(`${prefix}-rerun`, '2030-01-01T00:00:00.000Z');
    await store.putFindings(scan, findings(scan.scanId));
    await store.putFindings(scan, findings(scan.scanId).slice(0, 3));
    expect(await store.allFindings(scan.scanId)).toHaveLength(3);
  });
});
