/**
 * The fan-out's failure path (lambdas/handlers/scan-failed.ts), called by the state machine's Catch
 * and by the EventBridge rule on FAILED / TIMED_OUT / ABORTED executions: the scan recorded FAILED
 * with the reason, announced, its lease released; idempotent; a refused start records nothing.
 * On a real DynamoDB API (dynalite, 127.0.0.1).
 */
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { ConfigSchema } from '../../lambdas/core/config';
import { apiDependencies, handler as apiHandler } from '../../lambdas/handlers/api';
import { listTargets } from '../../lambdas/handlers/fanout-list-targets';
import { recordScanFailure } from '../../lambdas/handlers/scan-failed';
import { handler as scanHandler, scanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import type { ScanStartRequest } from '../../lambdas/handlers/wiring/scan-invoker';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { highlyAvailableEstate } from '../support/highly-available-estate';
import { apiEvent, captureLogs, lambdaContext } from '../support/lambda-events';

const NOW = '2030-01-02T02:00:05.000Z';
const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:list-targets';
const HOUR = 3600_000;

let table: TestTable;
let store: DynamoDbFindingsStore;
let started: ScanStartRequest[];
let logs: ReturnType<typeof captureLogs>;

beforeEach(async () => {
  logs = captureLogs();
  table = await createTestTable('scan-failed');
  store = new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 90, clock: fixedClock(NOW) });
  started = [];
  let n = 0;
  apiDependencies.set({ store, scans: { start: async (r) => void started.push(r), scansConfiguredTargetsOnly: true }, clock: fixedClock(NOW), configSuppressions: [], scanLeaseMs: 3 * HOUR, newScanId: () => `scan-20300102T020005Z-api0000${++n}` });
  process.env['TARGET_SOURCE'] = 'self';
  process.env['TARGET_REGIONS'] = 'eu-west-1';
});
afterEach(async () => {
  apiDependencies.reset();
  scanDependencies.reset();
  logs.restore();
  delete process.env['TARGET_SOURCE'];
  delete process.env['TARGET_REGIONS'];
  await table.drop();
});

async function post() {
  const result = await apiHandler(apiEvent('POST', '/scans'), lambdaContext('api-fn'));
  return { ...result, json: () => JSON.parse(result.body) as Record<string, any> };
}

/** The fan-out's first step of a scheduled execution (input as the Scheduler sends it). */
function scheduledStart(executionName: string, scheduledTime = '2030-01-02T02:00:00Z') {
  return listTargets({ scanId: executionName, startedAt: NOW, input: { trigger: 'scheduled', scheduledTime } }, { invokedFunctionArn: FN_ARN }, store, () => new Date(NOW));
}

describe('the failure path', () => {
  function statusChange(status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', name: string, input: unknown, extra: Record<string, unknown> = {}) {
    return {
      version: '0',
      id: '315c1398-40ff-a850-213b-158f73e60175',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '111122223333',
      time: '2030-01-02T05:00:06Z',
      region: 'eu-west-1',
      resources: [`arn:aws:states:eu-west-1:111122223333:execution:FanOut:${name}`],
      detail: {
        executionArn: `arn:aws:states:eu-west-1:111122223333:execution:FanOut:${name}`,
        stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:FanOut',
        name,
        status,
        startDate: Date.parse(NOW),
        stopDate: Date.parse(NOW) + 3 * HOUR,
        input: JSON.stringify(input),
        output: null,
        ...extra,
      },
    };
  }

  test('an API scan whose execution timed out is recorded FAILED with the reason, announced, and the lease released', async () => {
    expect((await post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    const deps = { store, publisher, clock: fixedClock('2030-01-02T05:00:06.000Z') };
    const event = statusChange('TIMED_OUT', 'scan-20300102T020005Z-api00001', { trigger: 'api', scanId: 'scan-20300102T020005Z-api00001' });
    expect(await recordScanFailure(event, deps)).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: true, released: true });
    const scan = (await store.getScan('scan-20300102T020005Z-api00001'))!;
    expect(scan).toMatchObject({ status: 'FAILED', trigger: 'api', finishedAt: '2030-01-02T05:00:06.000Z' });
    expect(scan.errors).toEqual([expect.objectContaining({ operation: 'fanOut', code: 'ExecutionTIMED_OUT', message: expect.stringContaining('ended TIMED_OUT') })]);
    expect(publisher.events).toEqual([{ scanId: 'scan-20300102T020005Z-api00001', status: 'FAILED' }]);
    // A second delivery (EventBridge delivers at least once; the Catch path ran too) changes nothing.
    expect(await recordScanFailure(event, deps)).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: false, released: false });
    expect(publisher.events).toHaveLength(1);
    expect((await post()).statusCode).toBe(202);
  });

  test('a scheduled run that failed before any record (ListTargets) is recorded FAILED under its scheduled scan id, with the error and cause', async () => {
    await scheduledStart('exec-1');
    const publisher = new CollectingPublisher();
    const caught = { executionName: 'exec-1', startedAt: NOW, input: { trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' }, error: 'Lambda.Unknown', cause: 'The Lambda function timed out' };
    expect(await recordScanFailure(caught, { store, publisher, clock: fixedClock(NOW) })).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled', recorded: true, released: true });
    expect((await store.getScan('scan-20300102T020000Z-scheduled'))!.errors[0]).toMatchObject({ code: 'Lambda.Unknown', message: expect.stringContaining('The Lambda function timed out') });
  });

  test('an aborted execution whose merge had already stored the scan leaves the scan as it is and frees the lease', async () => {
    expect((await post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    scanDependencies.set({ store, snapshots: fixedSnapshotSource(highlyAvailableEstate().snapshot()), publisher, clock: fixedClock(NOW), config: ConfigSchema.parse({}), leaseMs: HOUR });
    // The scan finished but its lease was retaken (a retried step) and never released.
    await scanHandler(started[0]!, lambdaContext('scan-fn'));
    await store.acquireScanLease('scan-20300102T020005Z-api00001', new Date(NOW), HOUR);
    const out = await recordScanFailure(statusChange('ABORTED', 'scan-20300102T020005Z-api00001', { trigger: 'api', scanId: 'scan-20300102T020005Z-api00001' }), { store, publisher, clock: fixedClock(NOW) });
    expect(out).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: false, released: true });
    expect((await store.getScan('scan-20300102T020005Z-api00001'))!.status).toBe('COMPLETE');
  });

  test('a start refused because another scan runs records nothing and leaves the running scan\'s lease alone', async () => {
    expect((await post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    const refused = statusChange('FAILED', 'exec-2', { trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' }, { error: 'ScanAlreadyRunning', cause: 'scan ... is running' });
    expect(await recordScanFailure(refused, { store, publisher, clock: fixedClock(NOW) })).toEqual({ scanId: 'scan-20300102T020000Z-scheduled', recorded: false, released: false });
    expect((await store.getScanLease())?.scanId).toBe('scan-20300102T020005Z-api00001');
    expect(await store.getScan('scan-20300102T020000Z-scheduled')).toBeUndefined();
    expect(publisher.events).toEqual([]);
  });
});

