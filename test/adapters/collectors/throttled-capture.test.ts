/**
 * Captures under load: the fake's token buckets answer with each service's real throttling error,
 * the collectors' adaptive concurrency backs off and recovers, no read is lost (same snapshot as
 * without throttling), and a capture stopped at its deadline continues (through JSON, as the fan-out
 * stores it) to the same target as one uninterrupted capture.
 */
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListInventoryEntriesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AdaptiveConcurrency, throttleSignalPlugin } from '../../../lambdas/adapters/collectors/adaptive-concurrency';
import { retryThrottled, runAdaptively } from '../../../lambdas/adapters/collectors/adaptive-pool';
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { NO_DEADLINE, type CaptureDeadline } from '../../../lambdas/adapters/collectors/capture-deadline';
import { captureTargetUntil, type CaptureTargetOptions } from '../../../lambdas/adapters/collectors/capture-target';
import { collectEc2 } from '../../../lambdas/adapters/collectors/ec2-collector';
import { collectSsmUntil } from '../../../lambdas/adapters/collectors/ssm-collector';
import type { TargetContinuation } from '../../../lambdas/adapters/collectors/target-continuation';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import type { CollectionError } from '../../../lambdas/core/snapshot/schema';
import { ACCOUNT, REGION } from '../../support/estate-builder';
import { ApiLoad, TokenBucket } from '../../support/aws-fakes/api-load';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

const capturedAt = () => new Date('2026-11-25T02:00:00.000Z');
const withoutCalls = <T extends { apiCalls?: unknown }>({ apiCalls: _calls, ...rest }: T) => rest;

describe('the fake under load', () => {
  test('token bucket: a burst, then the refill rate; an empty bucket refuses without taking a token', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true); // one token after 100 ms
    expect(bucket.take(100)).toBe(false);
    expect(bucket.take(10_000)).toBe(true); // refilled to the burst, not beyond
    expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([true, true, false]);
  });

  test('throttling errors in each service wire shape: SSM ThrottlingException (JSON, 400), EC2 RequestLimitExceeded (XML, 503); buckets are per account, region and API', async () => {
    let now = 0;
    const fake = new FakeAws().add(generateEstate(10).builder.target);
    fake.load = new ApiLoad({ buckets: { ssm: { ratePerSecond: 1, burst: 1 }, 'ec2:DescribeSubnets': { ratePerSecond: 1, burst: 1 } }, now: () => now });
    const options = { region: REGION, maxAttempts: 1, requestHandler: fake.requestHandler } as const;
    const ssm = new SSMClient(options);
    const ec2 = new EC2Client(options);
    const list = () => ssm.send(new ListInventoryEntriesCommand({ InstanceId: 'i-00000000000000001', TypeName: 'AWS:Application' }));
    await list().catch(() => undefined); // takes the one token (whatever the answer)
    const ssmError = await list().then(() => undefined, (e: unknown) => e as Error & { $metadata: { httpStatusCode: number }; $fault: string });
    expect(ssmError?.name).toBe('ThrottlingException');
    expect(ssmError?.message).toBe('Rate exceeded');
    expect(ssmError?.$metadata.httpStatusCode).toBe(400);
    expect(ssmError?.$fault).toBe('client');
    await ec2.send(new DescribeSubnetsCommand({}));
    const ec2Error = await ec2.send(new DescribeSubnetsCommand({})).then(() => undefined, (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(ec2Error?.name).toBe('RequestLimitExceeded');
    expect(ec2Error?.message).toBe('Request limit exceeded.');
    expect(ec2Error?.$metadata.httpStatusCode).toBe(503);
    // Another EC2 API has its own (here: unlimited) bucket; a second later the SSM bucket has a token again.
    await expect(ec2.send(new DescribeSubnetsCommand({}))).rejects.toThrow('Request limit exceeded.');
    now = 1000;
    await expect(list()).resolves.toMatchObject({ TypeName: 'AWS:Application' });
    expect(Object.fromEntries(fake.load.throttled)).toEqual({ 'ssm:ListInventoryEntries': 1, 'ec2:DescribeSubnets': 2 });
    ssm.destroy();
    ec2.destroy();
  });
});

describe('adaptive concurrency', () => {
  test('halves once per round of throttled attempts, grows by 1/limit per success, stays within its bounds', () => {
    const c = new AdaptiveConcurrency({ initial: 8, max: 8 });
    const round = c.currentRound;
    c.onThrottle(round);
    c.onThrottle(round); // an attempt sent before the decrease: counted, no second decrease
    expect(c.snapshot()).toMatchObject({ limit: 4, throttled: 2, decreases: 1 });
    c.onThrottle(c.currentRound);
    c.onThrottle(c.currentRound);
    c.onThrottle(c.currentRound);
    expect(c.limit).toBe(1);
    for (let i = 0; i < 3; i++) c.onSuccess(); // 1 -> 2 after one success at limit 1, then +1/2 each
    expect(c.limit).toBe(2);
    for (let i = 0; i < 100; i++) c.onSuccess();
    expect(c.snapshot()).toMatchObject({ limit: 8, lowest: 1, highest: 8 });
    expect(() => new AdaptiveConcurrency({ initial: 0, max: 4 })).toThrow(RangeError);
  });

  test('the pool never runs more tasks than the limit allows, and stops starting tasks at the deadline', async () => {
    const c = new AdaptiveConcurrency({ initial: 3, max: 3 });
    let running = 0;
    let most = 0;
    let started = 0;
    const deadline: CaptureDeadline = { expired: () => started >= 7 };
    const outcome = await runAdaptively([...Array(10).keys()], c, deadline, async (n) => {
      started++;
      most = Math.max(most, ++running);
      if (n === 1) c.onThrottle(c.currentRound); // limit 3 -> 1
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return n * 2;
    });
    expect(most).toBeLessThanOrEqual(3);
    expect(outcome.unfinished).toEqual([7, 8, 9]);
    expect(outcome.results.slice(0, 7)).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });

  test('retryThrottled: a call still throttled after the SDK gave up is called again; other errors are not retried', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
    let calls = 0;
    const sleep = async () => undefined;
    await expect(retryThrottled(async () => (++calls < 4 ? Promise.reject(throttled) : 'rows'), NO_DEADLINE, { sleep })).resolves.toBe('rows');
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryThrottled(async () => (++calls, Promise.reject(new Error('boom'))), NO_DEADLINE, { sleep })).rejects.toThrow('boom');
    expect(calls).toBe(1);
    await expect(retryThrottled(async () => Promise.reject(throttled), { expired: () => true }, { sleep })).rejects.toThrow('deadline');
  });
});

describe('captures under throttling', () => {
  test('SSM limited hard: concurrency backs off and recovers, every read made, the same target as without throttling', async () => {
    const estate = generateEstate(120).builder.target;
    const clean = new FakeAws().add(estate);
    const errors: CollectionError[] = [];
    const ec2 = new EC2Client({ region: REGION, requestHandler: clean.requestHandler });
    const { ec2: section, instances } = await collectEc2(ec2, DEFAULT_CONFIG.tags, errors);
    const cleanSsm = await collectSsmUntil(new SSMClient({ region: REGION, requestHandler: clean.requestHandler }), instances, errors);

    const loaded = new FakeAws().add(estate);
    loaded.load = new ApiLoad({ latencyMs: 2, buckets: { 'ssm:ListInventoryEntries': { ratePerSecond: 400, burst: 4 } } });
    const ssm = new SSMClient({ region: REGION, maxAttempts: 2, requestHandler: loaded.requestHandler, ...{ retryStrategy: fakeClientOptions(loaded).retryStrategy!(2) } });
    const concurrency = new AdaptiveConcurrency({ initial: 8, max: 8 });
    ssm.middlewareStack.use(throttleSignalPlugin(concurrency));
    const loadedErrors: CollectionError[] = [];
    const throttled = await collectSsmUntil(ssm, instances, loadedErrors, {}, { concurrency });

    expect(loadedErrors).toEqual([]);
    expect(errors).toEqual([]);
    expect(throttled).toEqual(cleanSsm);
    expect(section.Reservations.length).toBeGreaterThan(0);
    const stats = concurrency.snapshot();
    expect(loaded.load.totalThrottled()).toBeGreaterThan(0);
    expect(stats.throttled).toBe(loaded.load.totalThrottled());
    expect(stats.decreases).toBeGreaterThan(0);
    expect(stats.lowest).toBeLessThan(8);
    // Every instance's rows were served once: the served calls equal the clean capture's.
    const served = loaded.calls.filter((c) => c.operation === 'ListInventoryEntries').length - loaded.load.totalThrottled();
    expect(served).toBe(clean.calls.filter((c) => c.operation === 'ListInventoryEntries').length);
    ec2.destroy();
    ssm.destroy();
  });

  test('captureEstate with the production adaptive retry mode and a 50 calls/s SSM limit: no error, same snapshot data', async () => {
    const estate = generateEstate(120).builder.target;
    const clean = await captureEstate({ regions: [REGION], now: capturedAt, requestHandler: new FakeAws().add(estate).requestHandler });
    const loaded = new FakeAws().add(estate);
    loaded.load = new ApiLoad({ latencyMs: 1, buckets: { ssm: { ratePerSecond: 50, burst: 2 }, ec2: { ratePerSecond: 20, burst: 2 } } });
    const throttled = await captureEstate({ regions: [REGION], now: capturedAt, requestHandler: loaded.requestHandler });
    expect(loaded.load.totalThrottled()).toBeGreaterThan(0);
    expect(throttled.targets.map((t) => t.errors)).toEqual([[]]);
    expect(throttled.targets.map(withoutCalls)).toEqual(clean.targets.map(withoutCalls));
  }, 60_000);
});

describe('deadline and continuation', () => {
  const options = (fake: FakeAws): CaptureTargetOptions => ({ tags: DEFAULT_CONFIG.tags, ...fakeClientOptions(fake) });
  /** Expires once `reads` ListInventoryEntries calls were sent in this invocation. */
  const afterReads = (fake: FakeAws, reads: number): CaptureDeadline => {
    const start = fake.calls.length;
    return { expired: () => fake.calls.slice(start).filter((c) => c.operation === 'ListInventoryEntries').length >= reads };
  };

  test('a capture stopped at its deadline continues, invocation after invocation, to the target of one uninterrupted capture', async () => {
    const estate = generateEstate(120).builder.target;
    const whole = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, options(new FakeAws().add(estate)), NO_DEADLINE);
    expect(whole.continuation).toBeUndefined();

    const fake = new FakeAws().add(estate);
    let progress = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, options(fake), afterReads(fake, 30));
    const invocations = [progress];
    while (progress.continuation) {
      // Stored and read back as JSON, as the fan-out worker does.
      const stored = JSON.parse(JSON.stringify(progress.continuation)) as TargetContinuation;
      expect(stored.inventory.pending.length).toBeGreaterThan(0);
      progress = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, options(fake), afterReads(fake, 30), stored);
      invocations.push(progress);
    }
    expect(invocations.length).toBeGreaterThanOrEqual(4);
    expect(progress.target).toEqual(whole.target);
    // EC2 and DescribeInstanceInformation were read once, not per invocation.
    expect(fake.counts()['ec2:DescribeInstances']).toBe(1);
    expect(fake.counts()['ssm:ListInventoryEntries']).toBe(whole.target.apiCalls!['ssm:ListInventoryEntries']);
  });

  test('failures met before the hand-off are carried: one aggregated error, counted over the whole capture', async () => {
    const estate = generateEstate(60).builder.target;
    const broken = () => {
      const fake = new FakeAws().add(estate);
      let n = 0;
      fake.faults.push((call) => (call.operation === 'ListInventoryEntries' && n++ % 10 === 3 ? { status: 500, contentType: 'text/html', body: '<html>502 Bad Gateway</html>' } : undefined));
      return fake;
    };
    const wholeFake = broken();
    const whole = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, { ...options(wholeFake), maxAttempts: 1, inventoryConcurrency: 1 }, NO_DEADLINE);
    const fake = broken();
    let progress = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, { ...options(fake), maxAttempts: 1, inventoryConcurrency: 1 }, afterReads(fake, 25));
    expect(progress.continuation).toBeDefined();
    expect(progress.target.errors).toEqual([]);
    while (progress.continuation) progress = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, { ...options(fake), maxAttempts: 1, inventoryConcurrency: 1 }, afterReads(fake, 25), JSON.parse(JSON.stringify(progress.continuation)));
    expect(whole.target.errors).toHaveLength(1);
    expect(progress.target.errors).toEqual(whole.target.errors);
  });

  test('captureEstate with a deadline (the single-Lambda scan): the target keeps what was read, names what was not, and the scan is PARTIAL with UNKNOWN for the unread servers', async () => {
    const estate = generateEstate(120).builder.target;
    const fake = new FakeAws().add(estate);
    const snapshot = await captureEstate({ regions: [REGION], now: capturedAt, ...fakeClientOptions(fake), deadline: afterReads(fake, 40) });
    const [target] = snapshot.targets;
    const deadline = target!.errors.find((e) => e.code === 'DeadlineReached')!;
    expect(deadline).toMatchObject({ service: 'ssm', operation: 'ListInventoryEntries' });
    expect(deadline.message).toMatch(/before reading the inventory of \d+ of 120 instance\(s\)/);
    expect(target!.ssm.InstanceInformationList).toHaveLength(120);
    expect(target!.ssm.Entities.length).toBeGreaterThan(0);
    expect(target!.ssm.Entities.length).toBeLessThan(120);
    const result = evaluateSnapshot(snapshot, { now: () => new Date('2026-11-25T03:00:00.000Z') });
    expect(result.scan.status).toBe('PARTIAL');
    const read = new Set(target!.ssm.Entities.map((e) => e.Id));
    const unread = result.findings.filter((f) => f.ruleId === 'redis.version' && !read.has(f.resourceId));
    expect(unread.length).toBeGreaterThan(0);
    for (const f of unread) expect(f.status).toBe('UNKNOWN');
  });
});

