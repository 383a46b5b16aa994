/**
 * A merge that cannot finish within one Lambda invocation: it stores its progress in the table
 * (dynalite, 127.0.0.1) and answers `continued`; the next invocation resumes there. The scan stored
 * at the end (record, findings, finding states, one announcement) is the one a single invocation stores.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CollectingPublisher } from '../../../lambdas/handlers/wiring/event-publisher';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { FANOUT_KEYS } from '../../../lambdas/adapters/fanout/fanout-keys';
import { TargetResultStore } from '../../../lambdas/adapters/fanout/target-result-store';
import { mergeScan, type MergeBudget } from '../../../lambdas/handlers/fanout-merge';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { generateTarget, Ids, Rng } from '../../support/estate-generator';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

const SCAN_ID = 'scan-20300101T020000Z-continued';
const EVENT = { scanId: SCAN_ID, startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled' as const };
/** An invocation whose time is always short of the reserve: it evaluates one target, then hands back. */
const ALWAYS_SHORT: MergeBudget = { remainingMs: () => 0, reserveMs: 60_000 };
const PLENTY: MergeBudget = { remainingMs: () => 900_000, reserveMs: 60_000 };

function targets(): SnapshotTarget[] {
  const ids = new Ids();
  const rng = new Rng(20261204);
  return [['111122223333', 'eu-west-1'], ['444455556666', 'eu-west-1']].map(([accountId, region]) => generateTarget(rng, 5, ids, accountId!, region!));
}

describe('a merge split over invocations', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('merge-continuation');
  });
  afterAll(async () => table.drop());

  async function storeTargets(store: TargetResultStore): Promise<void> {
    for (const target of targets()) await store.putTarget(SCAN_ID, target, 2000000000);
    // A worker that failed after its retries, as the state machine's Catch records it.
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK: FANOUT_KEYS.partition(SCAN_ID), SK: FANOUT_KEYS.failed('777788889999', 'eu-west-1'), accountId: '777788889999', region: 'eu-west-1', error: 'Lambda.Unknown', cause: 'timed out', expiresAt: 2000000000 } }));
  }

  function deps(findings: InMemoryFindingsStore, publisher: CollectingPublisher) {
    return { store: findings, publisher, clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } };
  }

  test('stores the same scan as one invocation, and hands back with its progress stored until the last target', async () => {
    const store = new TargetResultStore(table.documentClient, table.tableName);

    await storeTargets(store);
    const oneFindings = new InMemoryFindingsStore();
    const onePublisher = new CollectingPublisher();
    const one = await mergeScan(EVENT, store, deps(oneFindings, onePublisher), PLENTY);
    if (one.continued) throw new Error('a merge with time to spare finishes in one invocation');
    expect(one.status).toBe('PARTIAL');

    await storeTargets(store);
    const splitFindings = new InMemoryFindingsStore();
    const splitPublisher = new CollectingPublisher();
    const first = await mergeScan(EVENT, store, deps(splitFindings, splitPublisher), ALWAYS_SHORT);
    expect(first).toEqual({ scanId: SCAN_ID, continued: true, next: 1, targets: 3 });
    expect(await splitFindings.getScan(SCAN_ID)).toBeUndefined();
    expect(splitPublisher.events).toEqual([]);
    const second = await mergeScan(EVENT, store, deps(splitFindings, splitPublisher), ALWAYS_SHORT);
    expect(second).toEqual({ scanId: SCAN_ID, continued: true, next: 2, targets: 3 });
    const last = await mergeScan(EVENT, store, deps(splitFindings, splitPublisher), ALWAYS_SHORT);
    expect(last).toMatchObject({ continued: false, status: 'PARTIAL', counts: one.counts });
    expect((await oneFindings.allFindings(SCAN_ID)).length).toBeGreaterThan(10);

    expect(await splitFindings.getScan(SCAN_ID)).toEqual(await oneFindings.getScan(SCAN_ID));
    expect(await splitFindings.allFindings(SCAN_ID)).toEqual(await oneFindings.allFindings(SCAN_ID));
    expect(await splitFindings.listFindingStates()).toEqual(await oneFindings.listFindingStates());
    expect(splitPublisher.events).toEqual(onePublisher.events);
    // Targets and progress are gone once the scan is stored.
    expect(await store.readTargets(SCAN_ID)).toEqual([]);
    expect(await store.readMergeProgress(SCAN_ID)).toBeUndefined();
  });

  test('a progress write cut off half way is ignored: the merge starts over and still stores the whole scan', async () => {
    const store = new TargetResultStore(table.documentClient, table.tableName);
    await storeTargets(store);
    await store.putMergeProgress(SCAN_ID, 1, { findings: [] }, 2000000000);
    // A second chunk of another write: the chunks disagree on `next` and on the count.
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK: FANOUT_KEYS.partition(SCAN_ID), SK: FANOUT_KEYS.mergePart(1), next: 2, parts: 2, data: Buffer.from('x'), expiresAt: 2000000000 } }));
    expect(await store.readMergeProgress(SCAN_ID)).toBeUndefined();
    const findings = new InMemoryFindingsStore();
    const outcome = await mergeScan(EVENT, store, deps(findings, new CollectingPublisher()), PLENTY);
    expect(outcome).toMatchObject({ continued: false, status: 'PARTIAL' });
    expect((await findings.getScan(SCAN_ID))!.targets).toHaveLength(3);
  });
});
