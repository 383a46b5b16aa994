/**
 * POST /scans starts the Step Functions fan-out when the deployment has
 * one (STATE_MACHINE_ARN), under the scan id it answers with; and while a scan runs it answers
 * 409 with that scan's id instead of starting another (the scan lease: test/handlers/scan-lease.test.ts). The store is the DynamoDB store on dynalite;
 * Step Functions (no offline server) is aws-sdk-client-mock with the API's response shapes.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { runningScanRecord } from '../../lambdas/core/scan-record';
import { apiDependencies, handler } from '../../lambdas/handlers/api';
import { listTargets } from '../../lambdas/handlers/fanout-list-targets';
import type { ScanInvoker, ScanStartRequest } from '../../lambdas/handlers/wiring/scan-invoker';
import { StateMachineScanInvoker } from '../../lambdas/handlers/wiring/state-machine-scan-invoker';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { apiEvent, captureLogs, lambdaContext } from '../support/lambda-events';

const NOW = '2030-01-02T03:00:00.000Z';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:FanOutStateMachine';
const sfn = mockClient(SFNClient);

let table: TestTable;
let store: DynamoDbFindingsStore;
let logs: ReturnType<typeof captureLogs>;
let ids: string[];

function useInvoker(scans: ScanInvoker): void {
  apiDependencies.set({ store, scans, clock: fixedClock(NOW), configSuppressions: [], newScanId: () => ids.shift()! });
}

async function post(body?: unknown) {
  const result = await handler(apiEvent('POST', '/scans', body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }), lambdaContext('api-fn'));
  return { ...result, json: () => JSON.parse(result.body) as Record<string, any> };
}

beforeEach(async () => {
  logs = captureLogs();
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:x`, startDate: new Date(NOW) });
  table = await createTestTable('api-scan-start');
  store = new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 90, clock: fixedClock(NOW) });
  ids = ['scan-20300102T030000Z-aaaa0001', 'scan-20300102T030000Z-aaaa0002'];
});
afterEach(async () => {
  apiDependencies.reset();
  logs.restore();
  await table.drop();
});

describe('fan-out configured: POST /scans starts the state machine', () => {
  beforeEach(() => useInvoker(new StateMachineScanInvoker(new SFNClient({ region: 'eu-west-1' }), STATE_MACHINE)));

  test('one execution named after the scan id, the scan id in its input, the scan recorded RUNNING', async () => {
    const response = await post();
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ scanId: 'scan-20300102T030000Z-aaaa0001', status: 'RUNNING' });
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE,
      name: 'scan-20300102T030000Z-aaaa0001',
      input: JSON.stringify({ trigger: 'api', scanId: 'scan-20300102T030000Z-aaaa0001' }),
    });
    expect((await store.getScan('scan-20300102T030000Z-aaaa0001'))?.status).toBe('RUNNING');
  });

  test('the execution stores its scan under the id the API answered with', async () => {
    process.env['TARGET_SOURCE'] = 'self';
    process.env['TARGET_REGIONS'] = 'eu-west-1';
    try {
      const input = JSON.parse(String((await post(), sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input))) as Record<string, unknown>;
      const start = await listTargets({ scanId: 'scan-20300102T030000Z-aaaa0001', startedAt: NOW, input }, { invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:list' }, store, () => new Date(NOW));
      expect(start).toMatchObject({ scanId: 'scan-20300102T030000Z-aaaa0001', trigger: 'api' });
    } finally {
      delete process.env['TARGET_SOURCE'];
      delete process.env['TARGET_REGIONS'];
    }
  });

  test('regions or accounts in the body are refused with 400: the fan-out covers every configured target', async () => {
    const response = await post({ regions: ['eu-west-1'] });
    expect(response.statusCode).toBe(400);
    expect(response.json()['error']).toMatchObject({ code: 'invalid_body', field: 'regions' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect((await store.listScans()).items).toEqual([]);
  });

  test('a scan already running: 409 with its id, nothing started', async () => {
    expect((await post()).statusCode).toBe(202);
    const second = await post();
    expect(second.statusCode).toBe(409);
    expect(second.headers?.['Location']).toBe('/scans/scan-20300102T030000Z-aaaa0001');
    expect(second.json()).toMatchObject({ scanId: 'scan-20300102T030000Z-aaaa0001', error: { code: 'conflict' }, links: { scan: '/scans/scan-20300102T030000Z-aaaa0001' } });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect((await store.listScans()).items.map((s) => s.scanId)).toEqual(['scan-20300102T030000Z-aaaa0001']);
  });

  test('a RUNNING record whose scan no longer holds the lease (it died; its lease lapsed) does not block', async () => {
    await store.putScan(runningScanRecord('scan-old', 'scheduled', '2030-01-01T23:00:00.000Z'));
    await store.acquireScanLease('scan-old', new Date('2030-01-01T23:00:00.000Z'), 3600_000);
    expect((await post()).statusCode).toBe(202);
  });

  test('a finished scan does not block', async () => {
    await store.putScan({ ...runningScanRecord('scan-done', 'scheduled', '2030-01-02T02:00:00.000Z'), status: 'COMPLETE', finishedAt: '2030-01-02T02:10:00.000Z' });
    expect((await post()).statusCode).toBe(202);
  });

  test('Step Functions refusing a duplicate execution name is an error, not a silent success', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const response = await post();
    expect(response.statusCode).toBe(500);
    expect((await store.getScan('scan-20300102T030000Z-aaaa0001'))?.status).toBe('FAILED');
  });
});

describe('no fan-out: POST /scans invokes the scan Lambda, and also refuses a second scan', () => {
  test('409 while the first one runs', async () => {
    const started: ScanStartRequest[] = [];
    useInvoker({ start: async (r) => void started.push(r) });
    expect((await post({ regions: ['eu-west-1'] })).statusCode).toBe(202);
    const second = await post();
    expect(second.statusCode).toBe(409);
    expect(second.json()['scanId']).toBe('scan-20300102T030000Z-aaaa0001');
    expect(started).toEqual([{ scanId: 'scan-20300102T030000Z-aaaa0001', trigger: 'api', regions: ['eu-west-1'] }]);
  });
});
