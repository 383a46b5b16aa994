/**
 * CloudWatch collector against the wire-level fake: 500 queries a call, paging by NextToken at
 * 100,800 data points, the queries' results joined, a refused call recorded as an error and the
 * capacity.bandwidth finding saying why it has no measurements.
 */
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { ACCOUNT, REDIS_IDS, REDIS_SG, REDIS_SUBNET, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError } from '../../support/aws-fakes/fake-region';
import { metricCallLowerBound } from '../../support/aws-fakes/api-call-lower-bound';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';
import { bytesPerPeriod, withNetworkMetrics } from '../../support/network-metrics';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

const capturedAt = new Date('2026-11-25T02:00:00.000Z');
const now = () => new Date('2026-11-25T03:00:00.000Z');

function withRedisServers(estate: EstateBuilder, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `i-0ccc${String(i).padStart(13, '0')}`;
    ids.push(id);
    estate.instance({ id, subnetId: REDIS_SUBNET, privateIp: `10.0.1.${(i % 200) + 40}`, securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: `c${Math.floor(i / 3)}` } });
  }
  return ids;
}

async function capture(fake: FakeAws) {
  return captureEstate({ regions: [REGION], now: () => capturedAt, ...fakeClientOptions(fake) });
}

test('sends 500 queries a call (NetworkIn and NetworkOut per Redis server, Sum over 300 s, 14 days)', async () => {
  const estate = compliantEstate();
  withRedisServers(estate, 257); // 260 Redis servers: 520 queries
  const fake = new FakeAws().add(estate.target);
  const snapshot = await capture(fake);
  const calls = fake.calls.filter((c) => c.operation === 'GetMetricData');
  expect(calls.map((c) => c.input.MetricDataQueries.length)).toEqual([500, 20]);
  expect(snapshot.targets[0]!.apiCalls?.['cloudwatch:GetMetricData']).toBe(2);
  expect(calls.length).toBe(metricCallLowerBound(estate.target));
  const first = calls[0]!.input;
  expect(first.MetricDataQueries[0]).toEqual({ Id: 'in_0', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: REDIS_IDS[0] }] }, Period: 300, Stat: 'Sum' }, ReturnData: true });
  expect((first.EndTime - first.StartTime) / 86400).toBe(14);
  expect(first.EndTime).toBe(capturedAt.getTime() / 1000);
  const section = snapshot.targets[0]!.cloudwatch!;
  expect(section.MetricDataQueries).toHaveLength(520);
  expect(section.MetricDataResults).toHaveLength(520);
});

test('pages by NextToken past 100,800 data points and joins each query\'s points', async () => {
  // 13 servers x 2 metrics x 4,032 points (14 days of 5-minute sums) = 104,832 points: 2 pages.
  const estate = compliantEstate();
  const ids = [...REDIS_IDS, ...withRedisServers(estate, 10)];
  const full = Array.from({ length: 4032 }, (_, k) => bytesPerPeriod(100e6 + (k % 7) * 1e6));
  withNetworkMetrics(estate, capturedAt, Object.fromEntries(ids.map((id) => [id, { inBytes: full, outBytes: full }])));
  const fake = new FakeAws().add(estate.target);
  const snapshot = await capture(fake);
  const calls = fake.calls.filter((c) => c.operation === 'GetMetricData');
  expect(calls).toHaveLength(2);
  expect(calls.map((c) => c.input.NextToken === undefined)).toEqual([true, false]);
  expect(metricCallLowerBound(estate.target)).toBe(2);
  const results = snapshot.targets[0]!.cloudwatch!.MetricDataResults;
  expect(results).toHaveLength(26);
  for (const r of results) {
    expect(r.Values).toHaveLength(4032);
    expect(r.StatusCode).toBe('Complete');
  }
  // The live capture judges exactly what the stored metrics say.
  const live = evaluateSnapshot(snapshot, { now }).findings.filter((f) => f.ruleId === 'capacity.bandwidth');
  const stored = evaluateSnapshot(estate.snapshot(), { now }).findings.filter((f) => f.ruleId === 'capacity.bandwidth');
  expect(live).toEqual(stored);
  expect(live[0]!.status).toBe('PASS');
});

test('a refused GetMetricData is one error; capacity.bandwidth is UNKNOWN and names it', async () => {
  const fake = new FakeAws().add(compliantEstate().target);
  fake.faults.push((call) => (call.operation === 'GetMetricData' ? new FakeAwsError('AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/reader is not authorized to perform: cloudwatch:GetMetricData', 403) : undefined));
  const snapshot = await capture(fake);
  const target = snapshot.targets[0]!;
  expect(target.errors).toEqual([expect.objectContaining({ service: 'cloudwatch', operation: 'GetMetricData', code: 'AccessDenied' })]);
  const finding = evaluateSnapshot(snapshot, { now }).findings.find((f) => f.ruleId === 'capacity.bandwidth' && f.resourceId === REDIS_IDS[0])!;
  expect(finding.status).toBe('UNKNOWN');
  expect(finding.observed).toContain('cloudwatch:GetMetricData failed during capture (AccessDenied');
  expect(target.accountId).toBe(ACCOUNT);
});
