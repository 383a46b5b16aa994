/**
 * Faults: throttling is retried to an identical result; what still fails is recorded and the scan
 * goes on (PARTIAL); one account or region failing does not stop the others.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { compliantEstate, ACCOUNT, REDIS_IDS } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError } from '../../support/aws-fakes/fake-region';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';
import { bytesPerPeriod, withNetworkMetrics } from '../../support/network-metrics';

const OTHER_ACCOUNT = '444455556666';
const now = () => new Date('2026-11-25T03:00:00.000Z');
const capturedAt = () => new Date('2026-11-25T02:00:00.000Z');

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

function twoRegionFake(): FakeAws {
  return new FakeAws().add(compliantEstate().target).add(generateEstate(120, ACCOUNT, 'us-east-1').builder.target);
}

const capture = (fake: FakeAws, extra: Partial<Parameters<typeof captureEstate>[0]> = {}) =>
  captureEstate({ regions: ['eu-west-1', 'us-east-1'], now: capturedAt, ...fakeClientOptions(fake), ...extra });

test('throttling on the first attempt of every call is retried: same snapshot data, same findings', async () => {
  const clean = await capture(twoRegionFake());
  const throttled = twoRegionFake();
  let n = 0;
  throttled.faults.push((call) => {
    if (call.attempt !== 1) return undefined;
    const kind = n++ % 3;
    if (kind === 0) return call.service === 'ssm' ? new FakeAwsError('ThrottlingException', 'Rate exceeded') : new FakeAwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    if (kind === 1) return new FakeAwsError('InternalError', 'An internal error has occurred', 500);
    return call.service === 'ssm' ? new FakeAwsError('ThrottlingException', 'Rate exceeded') : new FakeAwsError('Throttling', 'Rate exceeded', 400);
  });
  const retried = await capture(throttled);

  expect(retried.targets.map((t) => t.errors)).toEqual([[], []]);
  const data = (s: typeof clean) => s.targets.map(({ apiCalls: _calls, ...rest }) => rest);
  expect(data(retried)).toEqual(data(clean));
  const cleanResult = evaluateSnapshot(clean, { now });
  const retriedResult = evaluateSnapshot(retried, { now });
  expect(retriedResult.findings).toEqual(cleanResult.findings);
  expect(retriedResult.scan).toEqual(cleanResult.scan);
  expect(retriedResult.findings.length).toBeGreaterThan(0);
  // Every request was sent twice (the throttled attempt and the retry), and the counter saw both.
  for (const [i, target] of retried.targets.entries()) {
    const cleanCalls = clean.targets[i]!.apiCalls!;
    for (const [key, count] of Object.entries(target.apiCalls!)) expect(count).toBe(2 * cleanCalls[key]!);
  }
  expect(retried.targets[0]!.apiCalls).toEqual(throttled.counts({ region: 'eu-west-1' }));
});

test('AccessDenied on SSM in one region: that target records it, the other is whole, the scan is PARTIAL, Redis versions UNKNOWN', async () => {
  const fake = twoRegionFake();
  fake.faults.push((call) => (call.service === 'ssm' && call.region === 'eu-west-1' ? new FakeAwsError('AccessDeniedException', `User is not authorized to perform: ssm:${call.operation}`) : undefined));
  const snapshot = await capture(fake);
  const [eu, us] = snapshot.targets;
  expect(eu!.errors.map((e) => `${e.service}:${e.operation}:${e.code}`).sort()).toEqual(['ssm:DescribeInstanceInformation:AccessDeniedException', 'ssm:ListInventoryEntries:AccessDeniedException']);
  expect(eu!.ec2.Reservations).toHaveLength(5);
  expect(eu!.ssm).toEqual({ InstanceInformationList: [], Entities: [] });
  expect(us!.errors).toEqual([]);
  expect(us!.ssm.Entities).toHaveLength(120);
  // Access denied is not retried, and once denied the other instances' inventory is not asked for:
  // only the calls already in flight in the pool were sent.
  expect(fake.calls.filter((c) => c.service === 'ssm' && c.region === 'eu-west-1').every((c) => c.attempt === 1)).toBe(true);
  expect(eu!.apiCalls!['ssm:ListInventoryEntries']).toBeLessThanOrEqual(5);
  expect(eu!.errors.find((e) => e.operation === 'ListInventoryEntries')!.message).toMatch(/ListInventoryEntries failed for \d+ of 5 instances/);

  const result = evaluateSnapshot(snapshot, { now });
  expect(result.scan.status).toBe('PARTIAL');
  const versions = result.findings.filter((f) => f.ruleId === 'redis.version' && f.region === 'eu-west-1');
  // Passes once the redis.version rule is registered: every Redis server in eu-west-1 is UNKNOWN.
  expect(versions.map((f) => f.resourceId).sort()).toEqual([...REDIS_IDS].sort());
  expect(versions.every((f) => f.status === 'UNKNOWN')).toBe(true);
});

test('a non-JSON 500 page that persists is recorded after the retries, once for the target, and the capture goes on', async () => {
  const fake = new FakeAws().add(compliantEstate().target);
  fake.faults.push((call) => (call.operation === 'ListInventoryEntries' ? { status: 500, contentType: 'text/html', body: '<html><body><h1>500 Internal Server Error</h1></body></html>' } : undefined));
  const snapshot = await captureEstate({ regions: ['eu-west-1'], ...fakeClientOptions(fake, 3) });
  const target = snapshot.targets[0]!;
  expect(target.errors).toHaveLength(1);
  expect(target.errors[0]).toMatchObject({ service: 'ssm', operation: 'ListInventoryEntries' });
  expect(target.errors[0]!.message).toMatch(/500/);
  expect(target.errors[0]!.message).toContain('ListInventoryEntries failed for 5 of 5 instances');
  // 3 attempts a call: each Redis server's Custom:RedisServer read, then (no running version came)
  // its Redis package read; each front-end's application read.
  expect(target.apiCalls!['ssm:ListInventoryEntries']).toBe(3 * (3 * 2 + 2));
  expect(target.ssm.InstanceInformationList).toHaveLength(5);
  // Managed instances keep an entity, with no inventory data: the rules answer UNKNOWN, with the error.
  expect(target.ssm.Entities.map((e) => e.Data)).toEqual([{}, {}, {}, {}, {}]);
  const versions = evaluateSnapshot(snapshot, { now }).findings.filter((f) => f.ruleId === 'redis.version');
  expect(versions.map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  expect(versions[0]!.observed).toContain('ssm:ListInventoryEntries failed during capture');
});

test('an AssumeRole failure for one account still scans the others', async () => {
  const fake = new FakeAws().add(compliantEstate().target).add(generateEstate(10, OTHER_ACCOUNT, 'eu-west-1').builder.target);
  fake.denyAssumeRole.add(ACCOUNT);
  fake.requiredExternalId = 'ext-123';
  const snapshot = await captureEstate({ regions: ['eu-west-1'], accounts: [ACCOUNT, OTHER_ACCOUNT], roleName: 'RedisComplianceReader', externalId: 'ext-123', ...fakeClientOptions(fake) });
  const [denied, scanned] = snapshot.targets;
  expect(denied!.errors).toEqual([expect.objectContaining({ service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' })]);
  expect(denied!.ec2.Reservations).toEqual([]);
  expect(scanned!.errors).toEqual([]);
  expect(scanned!.ec2.Reservations).toHaveLength(10);
  expect(scanned!.apiCalls!['sts:AssumeRole']).toBe(1);
  const assume = fake.calls.filter((c) => c.operation === 'AssumeRole').map((c) => c.input);
  expect(assume).toEqual(expect.arrayContaining([expect.objectContaining({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/RedisComplianceReader`, ExternalId: 'ext-123' })]));
  expect(evaluateSnapshot(snapshot, { now }).scan.status).toBe('PARTIAL');
});

test('capture, write the file, parse it back: the same findings as evaluating the live capture', async () => {
  const live = await capture(twoRegionFake());
  const file = join(mkdtempSync(join(tmpdir(), 'capture-')), 'estate.json');
  writeFileSync(file, JSON.stringify(live, null, 2));
  const fromFile = parseSnapshot(readFileSync(file, 'utf8'), file);
  expect(evaluateSnapshot(fromFile, { now })).toEqual(evaluateSnapshot(live, { now }));
  // Dates crossed the wire as timestamps and are ISO strings in the snapshot.
  expect(fromFile.targets[1]!.ec2.Reservations[0]!.Instances![0]!.LaunchTime).toBe('2026-01-05T10:00:00.000Z');
  expect(fromFile.targets[0]!.ssm.InstanceInformationList[0]!.LastPingDateTime).toBe('2026-11-25T01:58:12.000Z');
  expect(JSON.stringify(fromFile)).not.toContain('$metadata');
});

test('a live capture of the compliant estate gives the findings of the estate itself', async () => {
  // With 14 days of network metrics, which the CloudWatch collector reads back (capacity.bandwidth).
  const traffic = { inBytes: [bytesPerPeriod(200e6), bytesPerPeriod(350e6)], outBytes: [bytesPerPeriod(300e6), bytesPerPeriod(100e6)] };
  const estate = withNetworkMetrics(compliantEstate(), capturedAt(), Object.fromEntries(REDIS_IDS.map((id) => [id, traffic])));
  const live = await captureEstate({ regions: ['eu-west-1'], now: capturedAt, ...fakeClientOptions(new FakeAws().add(estate.target)) });
  expect(evaluateSnapshot(live, { now }).findings).toEqual(evaluateSnapshot(estate.snapshot(), { now }).findings);
});

test('AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_CLOUDWATCH / AWS_ENDPOINT_URL_INSPECTOR2 send the calls to that endpoint', async () => {
  const saved = { ec2: process.env.AWS_ENDPOINT_URL_EC2, ssm: process.env.AWS_ENDPOINT_URL_SSM, cloudwatch: process.env.AWS_ENDPOINT_URL_CLOUDWATCH, inspector2: process.env.AWS_ENDPOINT_URL_INSPECTOR2 };
  process.env.AWS_ENDPOINT_URL_EC2 = 'http://127.0.0.1:4566';
  process.env.AWS_ENDPOINT_URL_SSM = 'http://127.0.0.1:4567';
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH = 'http://127.0.0.1:4568';
  process.env.AWS_ENDPOINT_URL_INSPECTOR2 = 'http://127.0.0.1:4569';
  try {
    const fake = new FakeAws().add(compliantEstate().target);
    await captureEstate({ regions: ['eu-west-1'], accounts: undefined, ...fakeClientOptions(fake) });
    const hosts = new Set(fake.calls.filter((c) => c.service !== 'sts').map((c) => `${c.service}@${c.host}`));
    expect([...hosts].sort()).toEqual(['cloudwatch@127.0.0.1', 'ec2@127.0.0.1', 'inspector2@127.0.0.1', 'ssm@127.0.0.1']);
  } finally {
    for (const [k, v] of [['AWS_ENDPOINT_URL_EC2', saved.ec2], ['AWS_ENDPOINT_URL_SSM', saved.ssm], ['AWS_ENDPOINT_URL_CLOUDWATCH', saved.cloudwatch], ['AWS_ENDPOINT_URL_INSPECTOR2', saved.inspector2]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
