/**
 * The fan-out's failure path (lambdas/handlers/scan-failed.ts), called by the state machine's Catch
 * and by the EventBridge rule on FAILED / TIMED_OUT / ABORTED executions: the scan recorded FAILED
 * with the reason, announced, its lease released; idempotent; a refused start records nothing.
 * On a real DynamoDB API (dynalite, 127.0.0.1).
 */
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { ConfigSchema } from '../../lambdas/core/config';
import { recordScanFailure } from '../../lambdas/handlers/scan-failed';
import { handler as scanHandler, scanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { useScanLeaseHarness, HOUR, NOW } from '../support/scan-lease-harness';
import { highlyAvailableEstate } from '../support/highly-available-estate';
import { lambdaContext } from '../support/lambda-events';

const harness = useScanLeaseHarness('scan-failed');

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
    expect((await harness.post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    const deps = { store: harness.store, publisher, clock: fixedClock('2030-01-02T05:00:06.000Z') };
    const event = statusChange('TIMED_OUT', 'scan-20300102T020005Z-api00001', { trigger: 'api', scanId: 'scan-20300102T020005Z-api00001' });
    expect(await recordScanFailure(event, deps)).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: true, released: true });
    const scan = (await harness.store.getScan('scan-20300102T020005Z-api00001'))!;
    expect(scan).toMatchObject({ status: 'FAILED', trigger: 'api', finishedAt: '2030-01-02T05:00:06.000Z' });
    expect(scan.errors).toEqual([expect.objectContaining({ operation: 'fanOut', code: 'ExecutionTIMED_OUT', message: expect.stringContaining('ended TIMED_OUT') })]);
    expect(publisher.events).toEqual([{ scanId: 'scan-20300102T020005Z-api00001', status: 'FAILED' }]);
    // A second delivery (EventBridge delivers at least once; the Catch path ran too) changes nothing.
    expect(await recordScanFailure(event, deps)).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: false, released: false });
    expect(publisher.events).toHaveLength(1);
    expect((await harness.post()).statusCode).toBe(202);
  });

  test('a scheduled run that failed before any record (ListTargets) is recorded FAILED under its scheduled scan id, with the error and cause', async () => {
    await harness.scheduledStart('exec-1');
    const publisher = new CollectingPublisher();
    const caught = { executionName: 'exec-1', startedAt: NOW, input: { trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' }, error: 'Lambda.Unknown', cause: 'The Lambda function timed out' };
    expect(await recordScanFailure(caught, { store: harness.store, publisher, clock: fixedClock(NOW) })).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled', recorded: true, released: true });
    expect((await harness.store.getScan('scan-20300102T020000Z-scheduled'))!.errors[0]).toMatchObject({ code: 'Lambda.Unknown', message: expect.stringContaining('The Lambda function timed out') });
  });

  test('an aborted execution whose merge had already stored the scan leaves the scan as it is and frees the lease', async () => {
    expect((await harness.post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    scanDependencies.set({ store: harness.store, snapshots: fixedSnapshotSource(highlyAvailableEstate().snapshot()), publisher, clock: fixedClock(NOW), config: ConfigSchema.parse({}), leaseMs: HOUR });
    // The scan finished but its lease was retaken (a retried step) and never released.
    await scanHandler(harness.started[0]!, lambdaContext('scan-fn'));
    await harness.store.acquireScanLease('scan-20300102T020005Z-api00001', new Date(NOW), HOUR);
    const out = await recordScanFailure(statusChange('ABORTED', 'scan-20300102T020005Z-api00001', { trigger: 'api', scanId: 'scan-20300102T020005Z-api00001' }), { store: harness.store, publisher, clock: fixedClock(NOW) });
    expect(out).toEqual({ scanId: 'scan-20300102T020005Z-api00001', recorded: false, released: true });
    expect((await harness.store.getScan('scan-20300102T020005Z-api00001'))!.status).toBe('COMPLETE');
  });

  test('a start refused because another scan runs records nothing and leaves the running scan\'s lease alone', async () => {
    expect((await harness.post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    const refused = statusChange('FAILED', 'exec-2', { trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' }, { error: 'ScanAlreadyRunning', cause: 'scan ... is running' });
    expect(await recordScanFailure(refused, { store: harness.store, publisher, clock: fixedClock(NOW) })).toEqual({ scanId: 'scan-20300102T020000Z-scheduled', recorded: false, released: false });
    expect((await harness.store.getScanLease())?.scanId).toBe('scan-20300102T020005Z-api00001');
    expect(await harness.store.getScan('scan-20300102T020000Z-scheduled')).toBeUndefined();
    expect(publisher.events).toEqual([]);
  });
});

