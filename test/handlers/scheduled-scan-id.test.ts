/**
 * A scheduled run is one scan however often the Scheduler delivers it: the schedule's input carries
 * `<aws.scheduler.scheduled-time>` (test/infra/scanner-stack.test.ts), the same for every attempt of
 * a run, and both scan paths name the scan after it. A retried delivery re-runs the same scan id
 * (same records, one scan in the listing), never a second scan.
 */
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { ConfigSchema } from '../../lambdas/core/config';
import { listTargets } from '../../lambdas/handlers/fanout-list-targets';
import { handler, parseScanEvent, scanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { highlyAvailableEstate } from '../support/highly-available-estate';
import { captureLogs, lambdaContext } from '../support/lambda-events';

const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:list-targets';
/** What the Scheduler sends: the schedule's input with the context attribute replaced. */
const attempt = { trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' };

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
  process.env['TARGET_SOURCE'] = 'self';
  process.env['TARGET_REGIONS'] = 'eu-west-1';
});
afterEach(() => {
  logs.restore();
  scanDependencies.reset();
  delete process.env['TARGET_SOURCE'];
  delete process.env['TARGET_REGIONS'];
});

test('the scan Lambda: two attempts of one scheduled run are one scan, named after the scheduled time', async () => {
  expect(parseScanEvent(attempt)).toEqual({ scanId: 'scan-20300102T020000Z-scheduled', trigger: 'scheduled' });
  const store = new InMemoryFindingsStore();
  const publisher = new CollectingPublisher();
  scanDependencies.set({ store, snapshots: fixedSnapshotSource(highlyAvailableEstate().snapshot()), publisher, clock: fixedClock('2030-01-02T02:00:03Z'), config: ConfigSchema.parse({}), newScanId: () => `scan-random-${Math.random()}` });
  const first = await handler(attempt, lambdaContext());
  const retry = await handler({ ...attempt }, lambdaContext());
  expect(first.scanId).toBe('scan-20300102T020000Z-scheduled');
  expect(retry.scanId).toBe(first.scanId);
  expect((await store.listScans()).items.map((s) => s.scanId)).toEqual(['scan-20300102T020000Z-scheduled']);
  // The next night is another scan.
  expect(parseScanEvent({ ...attempt, scheduledTime: '2030-01-03T02:00:00Z' }).scanId).toBe('scan-20300103T020000Z-scheduled');
});

test('the fan-out: two executions started by attempts of one scheduled run work on the same scan id', async () => {
  const store = new InMemoryFindingsStore();
  const a = await listTargets({ scanId: 'a1b2c3d4-0000-0000-0000-000000000001', startedAt: '2030-01-02T02:00:01.000Z', input: attempt }, { invokedFunctionArn: FN_ARN }, store);
  const b = await listTargets({ scanId: 'a1b2c3d4-0000-0000-0000-000000000002', startedAt: '2030-01-02T02:01:07.000Z', input: attempt }, { invokedFunctionArn: FN_ARN }, store);
  expect(a).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled', trigger: 'scheduled' });
  expect(b).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled' });
});
