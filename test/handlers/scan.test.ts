import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { fixedClock, type Clock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { ConfigSchema } from '../../lambdas/core/config';
import { runningScanRecord } from '../../lambdas/core/scan-record';
import type { Snapshot } from '../../lambdas/core/snapshot/schema';
import { handler, parseScanEvent, runScan, scanDependencies, ScanRequestError, type ScanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fixedSnapshotSource, type SnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { scheduledScanId } from '../../lambdas/handlers/wiring/scan-id';
import { REDIS_IDS } from '../support/estate-builder';
import { highlyAvailableEstate } from '../support/highly-available-estate';
import { INSTANCE_TYPES } from '../support/instance-types';
import { captureLogs, lambdaContext, scheduledEvent } from '../support/lambda-events';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';

/** The compliant baseline (highly available, the high-availability rules too) with the first Redis server on m5.large (2 vCPUs): vCPU and bandwidth fail. */
function undersizedEstate(): Snapshot {
  return highlyAvailableEstate()
    .mutate((t) => {
      t.ec2.Reservations[0]!.Instances![0]!.InstanceType = 'm5.large';
      t.ec2.InstanceTypes.push(INSTANCE_TYPES['m5.large']);
    })
    .snapshot();
}

function steppingClock(start: string): Clock {
  let t = Date.parse(start);
  return { now: () => new Date((t += 1000)) };
}

function deps(overrides: Partial<ScanDependencies> = {}): ScanDependencies & { store: InMemoryFindingsStore; publisher: CollectingPublisher } {
  return {
    store: new InMemoryFindingsStore(),
    snapshots: fixedSnapshotSource(undersizedEstate()),
    publisher: new CollectingPublisher(),
    clock: steppingClock('2030-01-01T02:00:00Z'),
    config: ConfigSchema.parse({}),
    newScanId: () => 'scan-fixed',
    ...overrides,
  } as ScanDependencies & { store: InMemoryFindingsStore; publisher: CollectingPublisher };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  scanDependencies.reset();
});

describe('scan handler (middy chain) on an EventBridge scheduled event', () => {
  it('evaluates, stores the scan, its findings and states, and announces it', async () => {
    const d = deps();
    scanDependencies.set(d);
    const event = scheduledEvent();
    const outcome = await handler(event, lambdaContext());

    const scanId = scheduledScanId(event);
    expect(outcome).toMatchObject({ scanId, status: 'COMPLETE' });
    const expected = evaluateSnapshot(undersizedEstate());
    const stored = await d.store.allFindings(scanId);
    expect(stored).toHaveLength(expected.findings.length);
    const failing = stored.filter((f) => f.status === 'FAIL').map((f) => `${f.resourceId}:${f.ruleId}`).sort();
    expect(failing).toContain(`${REDIS_IDS[0]}:instance.vcpu`);
    expect(outcome.newFailures).toBe(failing.length);

    const record = (await d.store.getScan(scanId))!;
    expect(record).toMatchObject({ trigger: 'scheduled', status: 'COMPLETE', redisServers: 3, frontends: 2 });
    expect(record.counts.FAIL).toBe(failing.length);
    expect(record.counts.PASS).toBe(stored.filter((f) => f.status === 'PASS').length);
    expect(Date.parse(record.finishedAt!)).toBeGreaterThan(Date.parse(record.startedAt));

    const states = await d.store.listFindingStates();
    expect(states.map((s) => `${s.resourceId}:${s.ruleId}`).sort()).toEqual(failing);
    expect(states.every((s) => s.state === 'NEW')).toBe(true);
    expect(d.publisher.events).toEqual([{ scanId, status: 'COMPLETE' }]);
  });

  it('logs with the Lambda request id and the event id as correlation id', async () => {
    scanDependencies.set(deps());
    await handler(scheduledEvent('evt-1234'), lambdaContext('scan-fn', 'req-5678'));
    const started = logs.lines().find((l) => l.message === 'scan started');
    expect(started).toMatchObject({ function_request_id: 'req-5678', function_name: 'scan-fn', correlation_id: 'evt-1234', level: 'INFO' });
  });

  it('re-runs a re-delivered event as the same scan: same id, same findings, same states', async () => {
    const d = deps();
    scanDependencies.set(d);
    const first = await handler(scheduledEvent(), lambdaContext());
    const findingsBefore = await d.store.allFindings(first.scanId);
    const statesBefore = await d.store.listFindingStates();
    const startedBefore = (await d.store.getScan(first.scanId))!.startedAt;
    const again = await handler(scheduledEvent(), lambdaContext());
    expect(again.scanId).toBe(first.scanId);
    expect(again.newFailures).toBe(first.newFailures);
    expect(await d.store.allFindings(first.scanId)).toEqual(findingsBefore);
    expect((await d.store.getScan(first.scanId))!.startedAt).toBe(startedBefore);
    const statesAfter = await d.store.listFindingStates();
    expect(statesAfter.map((s) => [s.key, s.state, s.firstSeen])).toEqual(statesBefore.map((s) => [s.key, s.state, s.firstSeen]));
    expect((await d.store.listScans()).items).toHaveLength(1);
  });
});

describe('runScan', () => {
  it('logs, on its finished line, the share of Redis servers whose version no inventory reports (the inventory-gap alarm\'s metric)', async () => {
    const noInventory = highlyAvailableEstate().mutate((t) => {
      t.ssm.Entities = [];
    }).snapshot();
    await runScan({ scanId: 'scan-gap', trigger: 'cli', snapshot: noInventory }, deps());
    const finished = logs.lines().find((l) => l.message === 'scan finished');
    expect(finished).toMatchObject({ redisServers: 3, redisVersionUnknownPercent: 100 });
    await runScan({ scanId: 'scan-full', trigger: 'cli', snapshot: highlyAvailableEstate().snapshot() }, deps());
    expect(logs.lines().filter((l) => l.message === 'scan finished')[1]).toMatchObject({ redisServers: 3, redisVersionUnknownPercent: 0 });
  });

  it('resolves what was fixed since the previous scan', async () => {
    const d = deps();
    await runScan({ scanId: 'scan-1', trigger: 'cli' }, d);
    const second = await runScan({ scanId: 'scan-2', trigger: 'cli', snapshot: highlyAvailableEstate().snapshot() }, d);
    expect(second).toMatchObject({ status: 'COMPLETE', newFailures: 0 });
    expect(second.resolvedFailures).toBeGreaterThan(0);
    expect((await d.store.listFindingStates()).every((s) => s.state === 'RESOLVED')).toBe(true);
  });

  it('suppresses with stored and config waivers and marks expired ones', async () => {
    const config = ConfigSchema.parse({
      suppressions: [{ id: 'cfg-bw', ruleId: 'instance.network-bandwidth', resourcePattern: '111122223333/eu-west-1/i-0aaa*', reason: 'Upgrade booked', owner: 'ops', expiresAt: '2031-01-01T00:00:00Z' }],
    });
    const d = deps({ config });
    await d.store.putSuppression({ id: 'old-vcpu', ruleId: 'instance.vcpu', resourcePattern: REDIS_IDS[0], reason: 'Was fine', owner: 'ops', expiresAt: '2029-12-31T00:00:00Z', createdAt: '2029-01-01T00:00:00Z' });
    const outcome = await runScan({ trigger: 'cli' }, d);
    const findings = await d.store.allFindings(outcome.scanId);
    const bandwidth = findings.find((f) => f.resourceId === REDIS_IDS[0] && f.ruleId === 'instance.network-bandwidth')!;
    expect(bandwidth).toMatchObject({ status: 'SUPPRESSED', ruleStatus: 'FAIL', suppression: { id: 'cfg-bw' } });
    const vcpu = findings.find((f) => f.resourceId === REDIS_IDS[0] && f.ruleId === 'instance.vcpu')!;
    expect(vcpu).toMatchObject({ status: 'FAIL', waiverExpired: { id: 'old-vcpu', expiredAt: '2029-12-31T00:00:00Z' } });
    const record = (await d.store.getScan(outcome.scanId))!;
    expect(record.counts.SUPPRESSED).toBe(1);
    expect(record.counts.FAIL).toBe(findings.filter((f) => f.status === 'FAIL').length);
  });

  it('records a PARTIAL scan when a target had collection errors', async () => {
    const partial = highlyAvailableEstate().error({ service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'not authorized' }).snapshot();
    const d = deps({ snapshots: fixedSnapshotSource(partial) });
    const outcome = await runScan({ trigger: 'cli' }, d);
    expect(outcome.status).toBe('PARTIAL');
    const record = (await d.store.getScan(outcome.scanId))!;
    expect(record.errors).toEqual([{ accountId: '111122223333', region: 'eu-west-1', service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'not authorized' }]);
    expect(d.publisher.events).toEqual([{ scanId: outcome.scanId, status: 'PARTIAL' }]);
  });

  it('records a FAILED scan and announces it when no snapshot can be captured', async () => {
    const broken: SnapshotSource = { capture: async () => Promise.reject(Object.assign(new Error('AccessDenied: sts:AssumeRole'), { name: 'AccessDenied' })) };
    const d = deps({ snapshots: broken });
    const outcome = await runScan({ trigger: 'api' }, d);
    expect(outcome.status).toBe('FAILED');
    const record = (await d.store.getScan(outcome.scanId))!;
    expect(record.status).toBe('FAILED');
    expect(record.errors[0]).toMatchObject({ service: 'scanner', operation: 'captureSnapshot', code: 'AccessDenied', message: 'AccessDenied: sts:AssumeRole' });
    expect(await d.store.allFindings(outcome.scanId)).toEqual([]);
    expect(d.publisher.events).toEqual([{ scanId: outcome.scanId, status: 'FAILED' }]);
  });

  it('passes the requested regions and accounts to the snapshot source', async () => {
    const requests: unknown[] = [];
    const d = deps({ snapshots: { capture: async (r) => (requests.push({ regions: r.regions, accounts: r.accounts }), highlyAvailableEstate().snapshot()) } });
    await runScan(parseScanEvent({ regions: ['eu-west-1'], accounts: ['111122223333'], trigger: 'api' }), d);
    expect(requests).toEqual([{ regions: ['eu-west-1'], accounts: ['111122223333'] }]);
  });

  it('keeps the start time and trigger of a scan the API registered', async () => {
    const d = deps();
    await d.store.putScan(runningScanRecord('scan-api', 'api', '2030-01-01T01:59:00.000Z'));
    await runScan({ scanId: 'scan-api', trigger: 'cli' }, d);
    expect(await d.store.getScan('scan-api')).toMatchObject({ trigger: 'api', startedAt: '2030-01-01T01:59:00.000Z', status: 'COMPLETE' });
  });
});

describe('parseScanEvent', () => {
  it('reads a direct invocation, an inline snapshot included', () => {
    const snapshot = highlyAvailableEstate().snapshot();
    expect(parseScanEvent({ scanId: 'scan-x', trigger: 'api', snapshot })).toMatchObject({ scanId: 'scan-x', trigger: 'api', snapshot: { format: 'redis-compliance/snapshot@1' } });
    expect(parseScanEvent({})).toEqual({ trigger: 'cli' });
    expect(parseScanEvent(undefined)).toEqual({ trigger: 'cli' });
  });

  it.each([
    [{ regions: ['Europe'] }, /regions\.0/],
    [{ accounts: ['1234'] }, /accounts\.0/],
    [{ regions: [] }, /regions/],
    [{ trigger: 'manual' }, /trigger/],
    [{ scanId: '../etc/passwd' }, /scanId/],
    [{ colour: 'red' }, /colour: unknown field/],
    [{ snapshot: { format: 'other' } }, /snapshot/],
  ])('rejects %j, naming the field', (event, message) => {
    expect(() => parseScanEvent(event)).toThrow(message);
  });

  it('stores nothing for an invalid invocation', async () => {
    const d = deps();
    scanDependencies.set(d);
    await expect(handler({ regions: ['nowhere'] }, lambdaContext())).rejects.toBeInstanceOf(ScanRequestError);
    expect((await d.store.listScans()).items).toEqual([]);
  });
});

describe('scan on the DynamoDB store (dynalite)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('scan-handler');
  });
  afterAll(async () => {
    await table.drop();
  });

  it('stores the same scan the same way, twice', async () => {
    const store = new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 30, clock: fixedClock('2030-01-01T00:00:00Z') });
    const d = deps({ store });
    const first = await runScan({ scanId: 'scan-ddb', trigger: 'cli' }, d);
    const findings = await store.allFindings('scan-ddb');
    await runScan({ scanId: 'scan-ddb', trigger: 'cli' }, d);
    expect(await store.allFindings('scan-ddb')).toEqual(findings);
    expect(findings).toHaveLength(evaluateSnapshot(undersizedEstate()).findings.length);
    expect((await store.getScan('scan-ddb'))!.counts.FAIL).toBe(first.counts.FAIL);
    expect((await store.listFindings('scan-ddb', { status: 'FAIL' })).items.map((f) => f.ruleId).sort()).toEqual(['instance.network-bandwidth', 'instance.vcpu']);
  });
});
