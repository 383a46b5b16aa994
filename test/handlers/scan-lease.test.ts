/**
 * One scan at a time whatever starts it: the scan lease (one conditional DynamoDB write, with an
 * expiry) taken by POST /scans, the fan-out's first step and the scan Lambda, released at the end
 * and by the failure path, which also records the scan FAILED. On a real DynamoDB API (dynalite,
 * 127.0.0.1); Step Functions starts are the invoker's requests, recorded.
 */
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { ConfigSchema } from '../../lambdas/core/config';
import { apiDependencies } from '../../lambdas/handlers/api';
import { listTargets } from '../../lambdas/handlers/fanout-list-targets';
import { handler as scanHandler, scanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { useScanLeaseHarness, FN_ARN, HOUR, NOW } from '../support/scan-lease-harness';
import { highlyAvailableEstate } from '../support/highly-available-estate';
import { lambdaContext } from '../support/lambda-events';

const harness = useScanLeaseHarness('scan-lease');

describe('the lease in DynamoDB', () => {
  test('one holder; the same scan renews it; another is refused with the holder; a lapsed lease is taken over; only the holder releases', async () => {
    const t0 = new Date(NOW);
    expect(await harness.store.acquireScanLease('scan-a', t0, HOUR)).toMatchObject({ acquired: true, lease: { scanId: 'scan-a', expiresAt: '2030-01-02T03:00:05.000Z' } });
    expect(await harness.store.acquireScanLease('scan-b', new Date(t0.getTime() + 1000), HOUR)).toEqual({ acquired: false, holder: { scanId: 'scan-a', acquiredAt: NOW, expiresAt: '2030-01-02T03:00:05.000Z' } });
    expect(await harness.store.acquireScanLease('scan-a', new Date(t0.getTime() + 60_000), HOUR)).toMatchObject({ acquired: true, lease: { expiresAt: '2030-01-02T03:01:05.000Z' } });
    expect(await harness.store.releaseScanLease('scan-b')).toBe(false);
    expect((await harness.store.getScanLease())?.scanId).toBe('scan-a');
    expect(await harness.store.acquireScanLease('scan-b', new Date(t0.getTime() + HOUR + 60_000), HOUR)).toMatchObject({ acquired: true, lease: { scanId: 'scan-b' } });
    expect(await harness.store.releaseScanLease('scan-a')).toBe(false);
    expect(await harness.store.releaseScanLease('scan-b')).toBe(true);
    expect(await harness.store.getScanLease()).toBeUndefined();
    // The lease is no scan: listings do not see it.
    expect((await harness.store.listScans()).items).toEqual([]);
  });
});

describe('every start path is refused while another scan runs', () => {
  test('a scheduled fan-out run (no RUNNING record yet) makes POST /scans answer 409 naming it', async () => {
    const start = await harness.scheduledStart('0f1e2d3c-aaaa-bbbb-cccc-000000000001');
    expect(start).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled', trigger: 'scheduled' });
    // Recorded RUNNING from its first step: the scan the 409 names can be followed.
    expect(await harness.store.getScan('scan-20300102T020000Z-scheduled')).toMatchObject({ status: 'RUNNING', trigger: 'scheduled', startedAt: NOW });
    const response = await harness.post();
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ scanId: 'scan-20300102T020000Z-scheduled', error: { code: 'conflict' } });
    expect(response.json()['error']['message']).toContain('scan-20300102T020000Z-scheduled');
    expect(harness.started).toEqual([]);
  });

  test('a scan started by POST /scans refuses a manual start-execution and the scheduled scan Lambda, which write nothing', async () => {
    expect((await harness.post()).statusCode).toBe(202);
    await expect(listTargets({ scanId: 'manual-run', startedAt: NOW, input: {} }, { invokedFunctionArn: FN_ARN }, harness.store, () => new Date(NOW)))
      .rejects.toMatchObject({ name: 'ScanAlreadyRunning', message: expect.stringContaining('scan-20300102T020005Z-api00001 is running') });
    const publisher = new CollectingPublisher();
    scanDependencies.set({ store: harness.store, snapshots: fixedSnapshotSource(highlyAvailableEstate().snapshot()), publisher, clock: fixedClock(NOW), config: ConfigSchema.parse({}), leaseMs: HOUR });
    await expect(scanHandler({ trigger: 'scheduled', scheduledTime: '2030-01-02T02:00:00Z' }, lambdaContext('scan-fn'))).rejects.toMatchObject({ name: 'ScanAlreadyRunning' });
    expect((await harness.store.listScans()).items.map((s) => s.scanId)).toEqual(['scan-20300102T020005Z-api00001']);
    expect(publisher.events).toEqual([]);
  });

  test('the API\'s own scan takes the lease again (its first step) and releases it at the end; the next start is accepted', async () => {
    expect((await harness.post()).statusCode).toBe(202);
    const publisher = new CollectingPublisher();
    scanDependencies.set({ store: harness.store, snapshots: fixedSnapshotSource(highlyAvailableEstate().snapshot()), publisher, clock: fixedClock(NOW), config: ConfigSchema.parse({}), leaseMs: HOUR });
    const outcome = await scanHandler(harness.started[0]!, lambdaContext('scan-fn'));
    expect(outcome).toMatchObject({ scanId: 'scan-20300102T020005Z-api00001', status: 'COMPLETE' });
    expect(await harness.store.getScanLease()).toBeUndefined();
    expect((await harness.post()).statusCode).toBe(202);
  });
});

describe('POST /scans whose start fails', () => {
  test('records the scan FAILED and gives the lease back: the next POST starts a scan', async () => {
    let fail = true;
    apiDependencies.set({ ...apiDependencies.get(), scans: { start: async (r) => { if (fail) throw new Error('StartExecution throttled'); harness.started.push(r); } } });
    expect((await harness.post()).statusCode).toBe(500);
    expect((await harness.store.getScan('scan-20300102T020005Z-api00001'))!.status).toBe('FAILED');
    fail = false;
    expect((await harness.post()).statusCode).toBe(202);
  });
});
