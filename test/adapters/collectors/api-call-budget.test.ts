/**
 * API-call budget: exact counts for 1, 120 and 2,500 instances, within 10% + 5 of the lower bound
 * (api-call-lower-bound.ts: batched terms for EC2 and DescribeInstanceInformation, and one
 * ListInventoryEntries call per instance and type the rules need, which no batched SSM read offers).
 */
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { ACCOUNT, REGION } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { apiCallBudget, apiCallLowerBound, sumWithoutSts } from '../../support/aws-fakes/api-call-lower-bound';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

async function capture(size: number) {
  const generated = generateEstate(size);
  const fake = new FakeAws().add(generated.builder.target);
  const snapshot = await captureEstate({ regions: [REGION], accounts: undefined, ...fakeClientOptions(fake) });
  return { generated, fake, snapshot, target: snapshot.targets[0]! };
}

describe.each([
  // size, expected calls by operation (worked out in docs/collectors.md). With 1 and 120 instances
  // the last environment has no front-end: its Redis group references a front-end group no instance
  // uses, which the VPC's group listing brings in the same call (by id it took a second round).
  // At 2,500 the region's 2,500 volumes are listed at 1,000 a page until the 1,000 Redis volumes
  // are in (3 calls, where 200 servers a call took 5).
  // ListInventoryEntries: every Redis server reports redis_version from a cluster-enabled process
  // (Custom:RedisServer, 1 call; its packages are not needed) and so has its cluster's view read
  // (Custom:RedisClusterNode, 1 call); every front-end's OutSystems rows fit one filtered page: 1 call each.
  // GetMetricData: NetworkIn + NetworkOut of each Redis server, 500 queries a call (1, 60 and 1,000 servers: 1, 1, 4 calls).
  // Inspector ListCoverage and ListFindings: 10 Redis servers a call, each answer one page (1, 6 and 100 calls each).
  [1, { DescribeInstances: 1, DescribeInstanceTypes: 1, DescribeSubnets: 1, DescribeRouteTables: 1, DescribeNetworkAcls: 1, DescribeSecurityGroups: 1, DescribeVolumes: 1, DescribeNetworkInterfaces: 1, DescribeInstanceInformation: 1, ListInventoryEntries: 2, GetMetricData: 1, ListCoverage: 1, ListFindings: 1 }],
  [120, { DescribeInstances: 1, DescribeInstanceTypes: 1, DescribeSubnets: 1, DescribeRouteTables: 1, DescribeNetworkAcls: 1, DescribeSecurityGroups: 1, DescribeVolumes: 1, DescribeNetworkInterfaces: 1, DescribeInstanceInformation: 3, ListInventoryEntries: 60 * 2 + 60, GetMetricData: 1, ListCoverage: 6, ListFindings: 6 }],
  [2500, { DescribeInstances: 3, DescribeInstanceTypes: 1, DescribeSubnets: 1, DescribeRouteTables: 1, DescribeNetworkAcls: 1, DescribeSecurityGroups: 1, DescribeVolumes: 3, DescribeNetworkInterfaces: 2, DescribeInstanceInformation: 50, ListInventoryEntries: 1000 * 2 + 1500, GetMetricData: 4, ListCoverage: 100, ListFindings: 100 }],
] as const)('an estate of %i tagged instances', (size, expected) => {
  let result: Awaited<ReturnType<typeof capture>>;
  beforeAll(async () => {
    result = await capture(size);
  });

  test('makes exactly the expected calls, and records them as the service received them', () => {
    const { target, fake } = result;
    const ssmOps = new Set(['DescribeInstanceInformation', 'ListInventoryEntries']);
    const inspectorOps = new Set(['ListCoverage', 'ListFindings']);
    const want = Object.fromEntries(Object.entries(expected).map(([op, n]) => [`${ssmOps.has(op) ? 'ssm' : op === 'GetMetricData' ? 'cloudwatch' : inspectorOps.has(op) ? 'inspector2' : 'ec2'}:${op}`, n]));
    const recorded = Object.fromEntries(Object.entries(target.apiCalls ?? {}).filter(([k]) => !k.startsWith('sts:')));
    expect(recorded).toEqual(Object.fromEntries(Object.entries(want).sort(([a], [b]) => a.localeCompare(b))));
    expect(target.apiCalls).toEqual(fake.counts({ accountId: ACCOUNT, region: REGION }));
  });

  test('stays within 10% plus 5 of the lower bound', () => {
    const { target, generated } = result;
    const lowerBound = apiCallLowerBound(generated.builder.target);
    const made = sumWithoutSts(target.apiCalls);
    expect(made).toBeGreaterThanOrEqual(lowerBound);
    expect(made).toBeLessThanOrEqual(apiCallBudget(lowerBound));
  });

  test('collects every instance, type, Redis volume and inventory entity, with no error', () => {
    const { target, generated } = result;
    expect(target.errors).toEqual([]);
    expect(target.ec2.Reservations.flatMap((r) => r.Instances ?? [])).toHaveLength(size);
    expect(target.ec2.InstanceTypes).toHaveLength(generated.instanceTypes);
    expect(target.ec2.Volumes).toHaveLength(generated.redisServers);
    expect(target.ssm.InstanceInformationList).toHaveLength(size);
    expect(target.ssm.Entities).toHaveLength(size);
    const redisEntities = target.ssm.Entities.filter((e) => e.Data?.['Custom:RedisServer']);
    expect(redisEntities).toHaveLength(generated.redisServers);
    // Front-ends: their AWS:Application rows as the filtered call returned them (the Platform Server row).
    const frontendEntities = target.ssm.Entities.filter((e) => !e.Data?.['Custom:RedisServer']);
    expect(frontendEntities).toHaveLength(size - generated.redisServers);
    for (const e of frontendEntities) expect(e.Data?.['AWS:Application']?.Content?.map((row) => row['Name'])).toEqual(['OutSystems Platform Server']);
  });

  test('never sends a request over an API limit (the fake rejects those) and pages at full size', () => {
    const { fake } = result;
    for (const call of fake.calls) {
      if (call.service === 'ec2') expect([100, 1000]).toContain(call.input.MaxResults);
      if (call.operation === 'DescribeInstanceInformation') expect(call.input.MaxResults).toBe(50);
      if (call.operation === 'ListInventoryEntries') expect(call.input.MaxResults).toBe(50);
      expect(call.operation).not.toBe('GetInventory');
    }
  });
});

test('the lower bounds and budgets behind these counts', () => {
  // Printed numbers are in docs/collectors.md; asserted here so the doc cannot drift from the code.
  expect([1, 120, 2500].map((n) => apiCallLowerBound(generateEstate(n).builder.target))).toEqual([14, 204, 3765]);
});
