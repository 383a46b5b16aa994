import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { instancePublicAddressRule } from '../../../lambdas/core/rules/instance-public-address';
import { REDIS_IDS, REDIS_SG, REDIS_SUBNET, compliantEstate } from '../../support/estate-builder';
import { changeInstance, findingFor, setInstanceTag } from '../../support/evaluate-rule';

const rule = instancePublicAddressRule;
const redis = REDIS_IDS[0];

describe('instance.public-address', () => {
  it('passes a server with private addresses only', () => {
    const f = findingFor(rule, compliantEstate(), redis);
    expect(f).toMatchObject({ status: 'PASS', severity: 'critical', requirement: REQUIREMENT.ownSubnet });
  });

  it('fails an auto-assigned public IPv4', () => {
    const estate = compliantEstate().instance({ id: 'i-0pub000000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.90', publicIp: '203.0.113.10', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
    const f = findingFor(rule, estate, 'i-0pub000000000001');
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('203.0.113.10 (public IPv4 on eni-');
  });

  it('fails an Elastic IP on a secondary private address', () => {
    const estate = changeInstance(compliantEstate(), redis, (i) => i.NetworkInterfaces![0]!.PrivateIpAddresses!.push({ PrivateIpAddress: '10.0.1.200', Primary: false, Association: { PublicIp: '198.51.100.7', IpOwnerId: '111122223333' } }));
    const f = findingFor(rule, estate, redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('198.51.100.7 (Elastic IP on');
    expect(f.observed).toContain('mapped to 10.0.1.200');
  });

  it('fails an IPv6 address', () => {
    const estate = changeInstance(compliantEstate(), redis, (i) => (i.NetworkInterfaces![0]!.Ipv6Addresses = [{ Ipv6Address: '2001:db8:0:1::11' }]));
    const f = findingFor(rule, estate, redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('2001:db8:0:1::11 (IPv6 address on');
    expect(f.remediation).toContain('unassign-ipv6-addresses');
  });

  it('is high, not critical, outside production', () => {
    const estate = changeInstance(compliantEstate(), redis, (i) => (i.PublicIpAddress = '203.0.113.11'));
    setInstanceTag(estate, redis, 'Environment', 'Test');
    expect(findingFor(rule, estate, redis)).toMatchObject({ status: 'FAIL', severity: 'high' });
  });

  it('is unknown when the instance record lists no interfaces', () => {
    const estate = changeInstance(compliantEstate(), redis, (i) => delete i.NetworkInterfaces);
    expect(findingFor(rule, estate, redis).status).toBe('UNKNOWN');
  });
});
