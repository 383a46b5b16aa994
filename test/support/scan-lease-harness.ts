/**
 * What the scan-lease and scan-failed handler tests share: a fresh dynalite table and findings store
 * per test, the API wired to record the starts it asks for, the fan-out's target settings, and the
 * two ways a scan starts (POST /scans, a scheduled execution's first step).
 */
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { apiDependencies, handler as apiHandler } from '../../lambdas/handlers/api';
import { listTargets } from '../../lambdas/handlers/fanout-list-targets';
import { scanDependencies } from '../../lambdas/handlers/scan';
import type { ScanStartRequest } from '../../lambdas/handlers/wiring/scan-invoker';
import { createTestTable, type TestTable } from './dynamodb-test-table';
import { apiEvent, captureLogs, lambdaContext } from './lambda-events';

export const NOW = '2030-01-02T02:00:05.000Z';
export const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:list-targets';
export const HOUR = 3600_000;

export interface ScanLeaseHarness {
  readonly table: TestTable;
  readonly store: DynamoDbFindingsStore;
  /** The starts POST /scans handed to the (recording) scan invoker. */
  readonly started: ScanStartRequest[];
  readonly logs: ReturnType<typeof captureLogs>;
  post(): Promise<Awaited<ReturnType<typeof apiHandler>> & { json(): Record<string, any> }>;
  /** The fan-out's first step of a scheduled execution (input as the Scheduler sends it). */
  scheduledStart(executionName: string, scheduledTime?: string): ReturnType<typeof listTargets>;
}

/** Registers the per-test set-up and tear-down; the returned object reads the current test's parts. */
export function useScanLeaseHarness(tablePrefix: string): ScanLeaseHarness {
  let table: TestTable;
  let store: DynamoDbFindingsStore;
  let started: ScanStartRequest[];
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    logs = captureLogs();
    table = await createTestTable(tablePrefix);
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

  return {
    get table() { return table; },
    get store() { return store; },
    get started() { return started; },
    get logs() { return logs; },
    async post() {
      const result = await apiHandler(apiEvent('POST', '/scans'), lambdaContext('api-fn'));
      return { ...result, json: () => JSON.parse(result.body) as Record<string, any> };
    },
    scheduledStart(executionName: string, scheduledTime = '2030-01-02T02:00:00Z') {
      return listTargets({ scanId: executionName, startedAt: NOW, input: { trigger: 'scheduled', scheduledTime } }, { invokedFunctionArn: FN_ARN }, store, () => new Date(NOW));
    },
  };
}
