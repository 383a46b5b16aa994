/**
 * The fan-out worker at its deadline, on a real DynamoDB API (dynalite, 127.0.0.1) and the wire-level
 * fake AWS: an invocation that runs out of time stores its continuation and says `continued`; the
 * next ones (continuation: true) read it back and go on; the target finally stored is the one an
 * uninterrupted capture gives, and the continuation items are gone. The merge never sees a partial
 * target, and an invocation that makes no progress fails instead of handing off forever.
 */
import { captureTargetUntil } from '../../../lambdas/adapters/collectors/capture-target';
import { NO_DEADLINE } from '../../../lambdas/adapters/collectors/capture-deadline';
import { TargetResultStore } from '../../../lambdas/adapters/fanout/target-result-store';
import { scanTarget, type WorkerDependencies } from '../../../lambdas/handlers/fanout-scan-target';
import { validateSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { SNAPSHOT_FORMAT } from '../../../lambdas/core/snapshot/schema';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { ACCOUNT, REGION } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

let table: TestTable;
let restore: () => void;
beforeAll(async () => {
  restore = useFakeDefaultCredentials();
  table = await createTestTable('worker-continuation');
});
afterAll(async () => {
  restore();
  await table.drop();
});

const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:scan-target`;
const event = (scanId: string, continuation: boolean) => ({ scanId, expiresAt: '2000000000', accountId: ACCOUNT, region: REGION, continuation });

function deps(fake: FakeAws): WorkerDependencies {
  return {
    store: new TargetResultStore(table.documentClient, table.tableName),
    // The production capture, on the fake's transport.
    captureTarget: (spec, options, deadline, resume) => captureTargetUntil(spec, { ...options, ...fakeClientOptions(fake) }, deadline, resume),
    config: DEFAULT_CONFIG,
    reserveMs: 60_000,
  };
}

/** A Lambda context whose remaining time drops 1 s per inventory read of this invocation: 100 s - 60 s reserve = 40 reads. */
function context(fake: FakeAws) {
  const start = fake.calls.length;
  return { invokedFunctionArn: FN_ARN, getRemainingTimeInMillis: () => 100_000 - 1000 * fake.calls.slice(start).filter((c) => c.operation === 'ListInventoryEntries').length };
}

test('a target too large for one invocation is continued, invocation after invocation, to the uninterrupted capture', async () => {
  const estate = generateEstate(150).builder.target;
  const whole = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, { tags: DEFAULT_CONFIG.tags, ...fakeClientOptions(new FakeAws().add(estate)) }, NO_DEADLINE);
  const expected = validateSnapshot({ format: SNAPSHOT_FORMAT, capturedAt: '2026-11-25T02:00:00.000Z', targets: [whole.target] }, 'test').targets[0]!;

  const fake = new FakeAws().add(estate);
  const store = new TargetResultStore(table.documentClient, table.tableName);
  const results = [await scanTarget(event('scan-cont', false), context(fake), deps(fake))];
  expect(results[0]).toMatchObject({ continued: true });
  // The merge reads targets only: a partial target is never taken for a captured one.
  expect(await store.readTargets('scan-cont')).toEqual([]);
  while (results.at(-1)!.continued) results.push(await scanTarget(event('scan-cont', true), context(fake), deps(fake)));
  expect(results.length).toBeGreaterThanOrEqual(4);
  expect(results.map((r) => r.pending)).toEqual([...results.map((r) => r.pending)].sort((a, b) => b - a)); // always progressing
  expect(results.at(-1)).toMatchObject({ continued: false, pending: 0, errors: 0 });

  const stored = await store.readTargets('scan-cont');
  expect(stored).toEqual([{ kind: 'captured', accountId: ACCOUNT, region: REGION, target: expected }]);
  await expect(store.readContinuation('scan-cont', ACCOUNT, REGION)).rejects.toThrow('no complete continuation');
  expect(fake.counts()['ec2:DescribeInstances']).toBe(1);
});

test('an invocation that reads nothing before its deadline fails rather than handing off forever; a missing continuation is an error', async () => {
  const fake = new FakeAws().add(generateEstate(20).builder.target);
  const first = await scanTarget(event('scan-stuck', false), context(fake), { ...deps(fake), reserveMs: 100_000 }); // 0 reads fit
  expect(first).toMatchObject({ continued: true });
  await expect(scanTarget(event('scan-stuck', true), context(fake), { ...deps(fake), reserveMs: 100_000 })).rejects.toThrow('made no progress');
  await expect(scanTarget(event('scan-none', true), context(fake), deps(fake))).rejects.toThrow('no complete continuation');
});
