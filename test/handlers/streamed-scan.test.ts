/**
 * runScan hands the findings to the store as the evaluation makes them: the stored items are those
 * of the whole-list path (evaluate everything, waive everything, store everything, then the finding
 * states from the full previous states), no store call carries every finding, and the previous
 * finding states are read without their last failing findings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { BatchGetCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readSnapshotFileTargets, writeSnapshotFile } from '../../lambdas/adapters/snapshots/snapshot-file';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import type { FindingsStore } from '../../lambdas/adapters/store/findings-store';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { ConfigSchema, type ScanConfig } from '../../lambdas/core/config';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { countFindings } from '../../lambdas/core/finding-counts';
import { nextFindingStates, type FindingState, type FindingStateHead } from '../../lambdas/core/finding-states';
import type { StoredFinding, Suppression } from '../../lambdas/core/model';
import { finishedScanRecord, runningScanRecord } from '../../lambdas/core/scan-record';
import { parseSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import type { Snapshot } from '../../lambdas/core/snapshot/schema';
import { applySuppressions } from '../../lambdas/core/suppressions/apply-suppressions';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { runScan, type ScanDependencies, type ScanRequest } from '../../lambdas/handlers/wiring/run-scan';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { captureLogs } from '../support/lambda-events';

const sample = parseSnapshot(readFileSync('examples/estate.sample.json', 'utf8'), 'examples/estate.sample.json');
const SCAN_ID = 'scan-20300102T020000Z';
const STARTED = '2030-01-02T02:00:00.000Z';
const PREVIOUS_SCAN_ID = 'scan-20300101T020000Z';
const config: ScanConfig = ConfigSchema.parse({});

/**
 * What a scan meets: two waivers on failing findings, and the previous scan's states: most failing
 * pairs open, one pair that now passes and one resource gone from a covered target (both resolve),
 * one pair resolved long ago (left alone); and an earlier attempt of this scan id that stored a
 * finding this one does not make (removed).
 */
async function seed(store: FindingsStore): Promise<void> {
  const now = new Date(STARTED);
  const findings = evaluateSnapshot(sample, { config, now: () => now }).findings;
  const failing = findings.filter((f) => f.status === 'FAIL' && f.severity !== 'critical');
  const passing = findings.filter((f) => f.status === 'PASS');
  expect(failing.length).toBeGreaterThan(3);
  expect(passing.length).toBeGreaterThan(2);
  const waivers: Suppression[] = failing.slice(0, 2).map((f, i) => ({ id: `w-${i}`, ruleId: f.ruleId, resourcePattern: f.resourceId, reason: 'accepted', owner: 'ops', expiresAt: '2031-01-01T00:00:00.000Z', createdAt: '2029-12-01T00:00:00.000Z' }));
  for (const w of waivers) await store.putSuppression(w);
  const previous = applySuppressions(findings, [], now, PREVIOUS_SCAN_ID);
  const asFailing = (f: StoredFinding): StoredFinding => ({ ...f, status: 'FAIL', ruleStatus: 'FAIL' });
  const nowPassing = previous.find((f) => f.status === 'PASS')!;
  const gone = { ...asFailing(previous.find((f) => f.status === 'FAIL')!), resourceId: 'i-0gone000000000000' };
  const earlier = { ...asFailing(passing[1]! as StoredFinding), resourceId: 'i-0resolvedlongago0' };
  const targets = sample.targets.map(({ accountId, region }) => ({ accountId, region }));
  const failingBefore = [...previous.filter((f) => f.ruleStatus === 'FAIL' || f.ruleStatus === 'UNKNOWN').slice(3), asFailing(nowPassing), gone, earlier];
  const { states } = nextFindingStates([], failingBefore, { scanId: PREVIOUS_SCAN_ID, at: '2030-01-01T02:00:00.000Z', targets });
  const resolvedLongAgo: FindingState = { ...states.find((s) => s.resourceId === earlier.resourceId)!, state: 'RESOLVED', resolvedAt: '2030-01-01T02:00:00.000Z' };
  await store.putFindingStates([...states.filter((s) => s !== resolvedLongAgo && s.resourceId !== earlier.resourceId), resolvedLongAgo]);
  await store.putFindings({ scanId: SCAN_ID, startedAt: STARTED }, [{ ...previous[0]!, resourceId: 'i-0earlierattempt00', scanId: SCAN_ID }]);
}

function dependencies(store: FindingsStore): ScanDependencies {
  return { store, snapshots: fixedSnapshotSource(sample), publisher: new CollectingPublisher(), clock: fixedClock(STARTED), config, newScanId: () => SCAN_ID };
}

/** The scan as it was made before the findings were streamed: every list whole, one step after another. */
async function wholeListScan(store: FindingsStore): Promise<{ newFailures: number; resolvedFailures: number }> {
  const now = new Date(STARTED);
  const running = runningScanRecord(SCAN_ID, 'scheduled', STARTED);
  await store.putScan(running);
  const result = evaluateSnapshot(sample, { config, now: () => now });
  const findings = applySuppressions(result.findings, await store.listSuppressions(), now, SCAN_ID, config.waiverPolicy);
  await store.putFindings(running, findings);
  const targets = result.scan.targets.map(({ accountId, region }) => ({ accountId, region }));
  const { states, changes } = nextFindingStates(await store.listFindingStates(), findings, { scanId: SCAN_ID, at: STARTED, targets });
  await store.putFindingStates(states);
  await store.putScan(finishedScanRecord(running, result, countFindings(findings), STARTED));
  return { newFailures: changes.new.length, resolvedFailures: changes.resolved.length };
}

async function allItems(table: TestTable): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await table.documentClient.send(new ScanCommand({ TableName: table.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => (`${a.PK}\u0000${a.SK}` < `${b.PK}\u0000${b.SK}` ? -1 : 1));
}

/** A document client that records the commands it sends. */
function recording(client: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; sent: unknown[] } {
  const sent: unknown[] = [];
  const wrapped = Object.create(client) as DynamoDBDocumentClient;
  wrapped.send = ((command: unknown) => {
    sent.push(command);
    return client.send(command as QueryCommand);
  }) as DynamoDBDocumentClient['send'];
  return { client: wrapped, sent };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('runScan with findings streamed to the store (dynalite)', () => {
  let streamedTable: TestTable;
  let wholeTable: TestTable;
  beforeAll(async () => {
    [streamedTable, wholeTable] = await Promise.all([createTestTable('streamed-scan'), createTestTable('whole-list-scan')]);
  });
  afterAll(async () => {
    await Promise.all([streamedTable.drop(), wholeTable.drop()]);
  });

  it('stores the same items as the whole-list path, reads states without findings, and reads back only the states that resolve', async () => {
    const storeOf = (table: TestTable, client: DynamoDBDocumentClient = table.documentClient) => new DynamoDbFindingsStore(client, { tableName: table.tableName, retentionDays: 90, clock: fixedClock(STARTED) });
    await seed(storeOf(streamedTable));
    await seed(storeOf(wholeTable));
    const { client, sent } = recording(streamedTable.documentClient);

    const outcome = await runScan({ trigger: 'scheduled', scanId: SCAN_ID }, dependencies(storeOf(streamedTable, client)));
    const whole = await wholeListScan(storeOf(wholeTable));

    expect(outcome.status).toBe('PARTIAL');
    expect({ newFailures: outcome.newFailures, resolvedFailures: outcome.resolvedFailures }).toEqual(whole);
    expect(whole.resolvedFailures).toBe(2);
    expect(whole.newFailures).toBeGreaterThan(0);
    const streamedItems = await allItems(streamedTable);
    expect(streamedItems.some((item) => String(item.SK).startsWith('FINDING#') && (item.data as StoredFinding).status === 'SUPPRESSED')).toBe(true);
    expect(streamedItems.some((item) => String(item.SK).startsWith('FINDING#') && (item.data as StoredFinding).resourceId === 'i-0earlierattempt00')).toBe(false);
    expect(streamedItems).toEqual(await allItems(wholeTable));

    // The states are listed with a projection of the state's own fields, never its finding.
    const stateQueries = sent.filter((c): c is QueryCommand => c instanceof QueryCommand && c.input.ExpressionAttributeValues?.[':pk'] === 'STATES');
    expect(stateQueries.length).toBeGreaterThan(0);
    for (const query of stateQueries) {
      const projected = query.input.ProjectionExpression!.split(', ').map((path) => path.split('.').map((name) => query.input.ExpressionAttributeNames![name]).join('.'));
      expect(projected).toContain('data.state');
      expect(projected).toContain('data.lastScanId');
      expect(projected.some((path) => path.includes('finding'))).toBe(false);
    }
    const listed: FindingStateHead[] = [];
    for await (const page of storeOf(streamedTable).findingStateHeadPages()) listed.push(...page);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((head) => !('finding' in head) && typeof head.state === 'string' && typeof head.firstSeen === 'string')).toBe(true);
    // Full states are read back only for the two pairs that resolve.
    const readBack = sent.filter((c): c is BatchGetCommand => c instanceof BatchGetCommand).flatMap((c) => c.input.RequestItems![streamedTable.tableName]!.Keys!);
    expect(readBack).toHaveLength(2);
  });
});

describe('runScan stores findings as they are made', () => {
  /** The in-memory store, recording the size of each findings write and each states write. */
  function measuredStore() {
    const store = new InMemoryFindingsStore();
    const writes: number[] = [];
    const stateWrites: number[] = [];
    let putFindingsCalls = 0;
    const open = store.openFindingsWrite.bind(store);
    store.openFindingsWrite = async (scan) => {
      const write = await open(scan);
      return { write: (findings) => (writes.push(findings.length), write.write(findings)), finish: () => write.finish() };
    };
    const putStates = store.putFindingStates.bind(store);
    store.putFindingStates = (states) => (stateWrites.push(states.length), putStates(states));
    const putFindings = store.putFindings.bind(store);
    store.putFindings = (scan, findings) => (putFindingsCalls++, putFindings(scan, findings));
    return { store, writes, stateWrites, putFindingsCalls: () => putFindingsCalls };
  }

  it.each<[string, (file: string) => Partial<ScanRequest>]>([
    ['a snapshot', () => ({ snapshot: sample })],
    ['a snapshot file read as a feed', (file) => ({ feed: (onTarget) => readSnapshotFileTargets(file, onTarget) })],
  ])('from %s: no write carries every finding, and the result is the whole-list one', async (_name, source) => {
    const folder = mkdtempSync(join(tmpdir(), 'streamed-scan-'));
    try {
      const file = join(folder, 'estate.json');
      await writeSnapshotFile(file, sample as Snapshot);
      const measured = measuredStore();
      await seed(measured.store);
      measured.writes.length = 0;
      measured.stateWrites.length = 0;
      const seededPutFindings = measured.putFindingsCalls();
      const reference = new InMemoryFindingsStore();
      await seed(reference);
      const outcome = await runScan({ trigger: 'scheduled', scanId: SCAN_ID, ...source(file) }, dependencies(measured.store));
      const whole = await wholeListScan(reference);
      expect({ newFailures: outcome.newFailures, resolvedFailures: outcome.resolvedFailures }).toEqual(whole);
      const total = Object.values(outcome.counts).reduce((a, b) => a + b, 0);
      expect(measured.putFindingsCalls()).toBe(seededPutFindings);
      expect(measured.writes.length).toBeGreaterThan(sample.targets.length);
      expect(Math.max(...measured.writes)).toBeLessThan(total / sample.targets.length);
      expect(Math.max(...measured.stateWrites)).toBeLessThanOrEqual(25);
      expect(await measured.store.allFindings(SCAN_ID)).toEqual(await reference.allFindings(SCAN_ID));
      expect(await measured.store.listFindingStates()).toEqual(expect.arrayContaining(await reference.listFindingStates()));
      expect((await measured.store.listFindingStates()).length).toBe((await reference.listFindingStates()).length);
      expect(await measured.store.getScan(SCAN_ID)).toEqual(await reference.getScan(SCAN_ID));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('records the scan FAILED when the feed fails part-way', async () => {
    const store = new InMemoryFindingsStore();
    const outcome = await runScan(
      {
        trigger: 'scheduled',
        scanId: SCAN_ID,
        feed: async (onTarget) => {
          await onTarget(sample.targets[0]!);
          throw new Error('the file ends in the middle of a target');
        },
      },
      dependencies(store),
    );
    expect(outcome.status).toBe('FAILED');
    expect((await store.getScan(SCAN_ID))?.errors.at(-1)).toMatchObject({ operation: 'evaluateTargets', message: 'the file ends in the middle of a target' });
  });
});
