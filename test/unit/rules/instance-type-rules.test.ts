import { instanceClockSpeedRule } from '../../../lambdas/core/rules/instance-clock-speed';
import { instanceMemoryRule } from '../../../lambdas/core/rules/instance-memory';
import { instanceNetworkBandwidthRule } from '../../../lambdas/core/rules/instance-network-bandwidth';
import { instanceVcpuRule } from '../../../lambdas/core/rules/instance-vcpu';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import type { RuleDefinition } from '../../../lambdas/core/rules/rule';
import { EstateBuilder, REDIS_IDS, REDIS_SUBNET, compliantEstate } from '../../support/estate-builder';
import { changeInstance, findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';
import { INSTANCE_TYPES } from '../../support/instance-types';

const redis = REDIS_IDS[0];

/** The baseline with the first Redis server resized, optionally made non-production. */
function withType(type: string, environment = 'Production') {
  const estate = changeInstance(compliantEstate(), redis, (i) => (i.InstanceType = type));
  if (!estate.target.ec2.InstanceTypes.some((t) => t.InstanceType === type)) {
    const record = (INSTANCE_TYPES as Record<string, unknown>)[type];
    if (record) estate.target.ec2.InstanceTypes.push(structuredClone(record) as never);
  }
  return setInstanceTag(estate, redis, 'Environment', environment);
}

describe.each<[string, RuleDefinition, string, string, string]>([
  // rule, a passing production type, a failing production type, a type failing only in production
  ['instance.vcpu', instanceVcpuRule, 'm5.xlarge', 'm5.large', 'c5.large'],
  ['instance.memory', instanceMemoryRule, 'm5.xlarge', 'c5.large', 'c5.large'],
  ['instance.network-bandwidth', instanceNetworkBandwidthRule, 'm5.xlarge', 't3.large', 'm6i.large'],
])('%s', (_id, rule, passing, failing, failsOnlyInProduction) => {
  it('passes a production server of a big enough type', () => {
    const f = findingFor(rule, withType(passing), redis);
    expect(f).toMatchObject({ status: 'PASS', resourceType: 'AWS::EC2::Instance', production: true, cluster: 'sessions-prod' });
  });

  it('fails a production server of too small a type and says how to fix it', () => {
    const f = findingFor(rule, withType(failing), redis);
    expect(f.status).toBe('FAIL');
    expect(f.severity).not.toBe('info');
    expect(f.observed).toContain(failing);
    expect(f.remediation).toContain(redis);
    expect(f.requirement.length).toBeGreaterThan(20);
  });

  it('applies the non-production minimum to a non-production server', () => {
    expect(findingFor(rule, withType(failsOnlyInProduction), redis).status).toBe('FAIL');
    expect(findingFor(rule, withType(failsOnlyInProduction, 'staging'), redis).status).toBe('PASS');
  });

  it('is UNKNOWN, not PASS, when the type record is missing, and names the capture error', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.InstanceTypes = []));
    expect(findingFor(rule, estate, redis)).toMatchObject({ status: 'UNKNOWN' });
    estate.error({ service: 'ec2', operation: 'DescribeInstanceTypes', code: 'UnauthorizedOperation', message: 'You are not authorized' });
    expect(findingFor(rule, estate, redis).observed).toContain('UnauthorizedOperation');
  });

  it('judges an untagged server by the production requirements and says why', () => {
    const estate = setInstanceTag(withType(failsOnlyInProduction), redis, 'Environment', undefined);
    const f = findingFor(rule, estate, redis);
    expect(f).toMatchObject({ status: 'FAIL', production: true, environment: '(untagged)' });
    expect(f.observed).toContain('No environment tag');
  });
});

describe('instance.vcpu', () => {
  it('counts the vCPUs the CPU options give, not the type default', () => {
    const estate = changeInstance(compliantEstate(), redis, (i) => (i.CpuOptions = { CoreCount: 1, ThreadsPerCore: 2 }));
    const f = findingFor(instanceVcpuRule, estate, redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain("the type's default is 4");
  });

  it('quotes the production sentence for production and the non-production one otherwise', () => {
    expect(findingFor(instanceVcpuRule, withType('m5.xlarge'), redis).requirement).toBe(REQUIREMENT.prodServers);
    expect(findingFor(instanceVcpuRule, withType('m5.xlarge', 'dev'), redis).requirement).toBe(REQUIREMENT.nonProdServer);
  });
});

describe('instance.clock-speed', () => {
  it.each([
    ['m5.xlarge', 'PASS'], // 3.1 GHz
    ['m7i.xlarge', 'PASS'], // 3.2 GHz
    ['m7g.xlarge', 'FAIL'], // exactly 2.6 GHz: the requirement is strictly above
    ['m6g.xlarge', 'FAIL'], // 2.5 GHz
    ['t3.large', 'FAIL'], // 2.5 GHz
    ['m1.large', 'UNKNOWN'], // AWS reports no sustained clock
  ])('%s => %s', (type, status) => {
    const f = findingFor(instanceClockSpeedRule, withType(type), redis);
    expect(f.status).toBe(status);
    expect(f.severity).toBe('medium');
  });
});

describe('instance.network-bandwidth', () => {
  it('judges the baseline, not the "up to" burst figure', () => {
    const f = findingFor(instanceNetworkBandwidthRule, withType('t3.large'), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('512 Mbps');
    expect(f.observed).toContain('Up to 5 Gigabit');
  });

  it('passes 256 Mbps baseline in non-production (>= 100 Mbps)', () => {
    expect(findingFor(instanceNetworkBandwidthRule, withType('t3.medium', 'test'), redis).status).toBe('PASS');
  });

  it('is UNKNOWN when the type reports no baseline', () => {
    const estate = withType('m5.xlarge').mutate((t) => {
      for (const type of t.ec2.InstanceTypes) for (const card of type.NetworkInfo?.NetworkCards ?? []) delete card.BaselineBandwidthInGbps;
    });
    expect(findingFor(instanceNetworkBandwidthRule, estate, redis).status).toBe('UNKNOWN');
  });
});

describe('instance rules scope', () => {
  it('judge only running or pending Redis servers', () => {
    const estate = new EstateBuilder().subnet(REDIS_SUBNET, '10.0.1.0/24')
      .instance({ id: 'i-0stopped000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.5', state: 'stopped', tags: { Role: 'redis', Environment: 'prod' } })
      .instance({ id: 'i-0other0000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.6', tags: { Role: 'web' } });
    expect(runRule(instanceVcpuRule, estate)).toEqual([]);
  });
});
