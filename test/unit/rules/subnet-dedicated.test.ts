import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { subnetDedicatedRule } from '../../../lambdas/core/rules/subnet-dedicated';
import { FRONTEND_SG, REDIS_IDS, REDIS_SG, REDIS_SUBNET, compliantEstate } from '../../support/estate-builder';
import { findingFor, setInstanceTag } from '../../support/evaluate-rule';

const rule = subnetDedicatedRule;

describe('subnet.dedicated', () => {
  it('passes when every interface belongs to the cluster', () => {
    const f = findingFor(rule, compliantEstate(), REDIS_SUBNET);
    expect(f).toMatchObject({ status: 'PASS', severity: 'medium', resourceType: 'AWS::EC2::Subnet', requirement: REQUIREMENT.ownSubnet, cluster: 'sessions-prod' });
    expect(f.observed).toContain('All 3 network interface(s)');
  });

  it('fails with a NAT gateway interface in the subnet, listing it', () => {
    const estate = compliantEstate().foreignNetworkInterface({ NetworkInterfaceId: 'eni-0nat00000000000001', SubnetId: REDIS_SUBNET, InterfaceType: 'nat_gateway', Description: 'Interface for NAT Gateway nat-0abc0000000000001', RequesterManaged: true, RequesterId: 'amazon-nat' });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eni-0nat00000000000001 (not attached to an instance, type nat_gateway, managed by amazon-nat, "Interface for NAT Gateway nat-0abc0000000000001")');
  });

  it('fails with another instance in the subnet', () => {
    const estate = compliantEstate().instance({ id: 'i-0other00000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.77', securityGroupIds: [FRONTEND_SG], tags: { Name: 'bastion' } });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('attached to i-0other00000000001 (bastion), no role tag');
  });

  it('fails with a Redis server of another cluster in the subnet', () => {
    const estate = compliantEstate().instance({ id: 'i-0otherredis000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.78', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Test', RedisCluster: 'sessions-test' } });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('of another cluster (sessions-test)');
    expect(f.cluster).toBeNull();
  });

  it('counts a stopped member of the same cluster as part of the cluster', () => {
    const estate = compliantEstate().instance({ id: 'i-0stoppedredis0001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.79', state: 'stopped', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
    expect(findingFor(rule, estate, REDIS_SUBNET).status).toBe('PASS');
  });

  it('is unknown when DescribeNetworkInterfaces failed', () => {
    const estate = compliantEstate().error({ service: 'ec2', operation: 'DescribeNetworkInterfaces', code: 'UnauthorizedOperation', message: 'not allowed' });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('UnauthorizedOperation');
  });

  it('is unknown when no interface of the subnet was captured', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.NetworkInterfaces = []));
    expect(findingFor(rule, estate, REDIS_SUBNET).status).toBe('UNKNOWN');
  });

  it('does not apply to a subnet of non-production Redis servers', () => {
    const estate = compliantEstate();
    for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Development');
    expect(findingFor(rule, estate, REDIS_SUBNET)).toMatchObject({ status: 'NOT_APPLICABLE', severity: 'info' });
  });
});
