/**
 * The scan Lambda hands its remaining time to the live capture: the snapshot source gets a deadline
 * that expires SCAN_DEADLINE_RESERVE_MS before the Lambda's timeout (time kept to evaluate and store
 * what was captured), and none when no Lambda context is given (local runs).
 */
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import type { CaptureDeadline } from '../../lambdas/adapters/collectors/capture-deadline';
import { ConfigSchema } from '../../lambdas/core/config';
import { scanDependencies, scanHandler, SCAN_DEADLINE_RESERVE_MS } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import type { SnapshotRequest } from '../../lambdas/handlers/wiring/snapshot-source';
import { compliantEstate } from '../support/estate-builder';
import { captureLogs, scheduledEvent } from '../support/lambda-events';

let logs: ReturnType<typeof captureLogs>;
let requests: SnapshotRequest[];
beforeEach(() => {
  logs = captureLogs();
  requests = [];
  scanDependencies.set({
    store: new InMemoryFindingsStore(),
    snapshots: { capture: async (request) => (requests.push(request), compliantEstate().snapshot()) },
    publisher: new CollectingPublisher(),
    clock: fixedClock('2030-01-01T02:00:00.000Z'),
    config: ConfigSchema.parse({}),
  });
});
afterEach(() => {
  logs.restore();
  scanDependencies.reset();
});

test('the capture gets a deadline that expires when less than the reserve is left', async () => {
  let remaining = 15 * 60_000;
  await scanHandler(scheduledEvent(), { getRemainingTimeInMillis: () => remaining });
  const deadline = requests[0]!.deadline as CaptureDeadline;
  expect(deadline).toBeDefined();
  expect(deadline.expired()).toBe(false);
  remaining = SCAN_DEADLINE_RESERVE_MS + 1;
  expect(deadline.expired()).toBe(false);
  remaining = SCAN_DEADLINE_RESERVE_MS;
  expect(deadline.expired()).toBe(true);
});

test('without a Lambda context (local runs) the capture has no deadline', async () => {
  await scanHandler(scheduledEvent());
  expect(requests[0]!.deadline).toBeUndefined();
});
