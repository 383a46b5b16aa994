import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { subnetPrivateRule } from '../../../lambdas/core/rules/subnet-private';
import { REDIS_IDS, REDIS_SUBNET, FRONTEND_SUBNET, compliantEstate } from '../../support/estate-builder';
import { findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const rule = subnetPrivateRule;

describe('subnet.private', () => {
  it('passes the private Redis subnet of the baseline (main table with a NAT default route)', () => {
    const f = findingFor(rule, compliantEstate(), REDIS_SUBNET);
    expect(f).toMatchObject({ status: 'PASS', severity: 'high', resourceType: 'AWS::EC2::Subnet', requirement: REQUIREMENT.ownSubnet, resourceName: 'redis-prod', cluster: 'sessions-prod', production: true });
    expect(f.observed).toContain("the VPC's main table");
  });

  it('judges only Redis subnets', () => {
    expect(runRule(rule, compliantEstate()).map((f) => f.resourceId)).toEqual([REDIS_SUBNET]);
  });

  it('fails an explicit route table with 0.0.0.0/0 and ::/0 to an internet gateway, calling both out', () => {
    const estate = compliantEstate().routeTable('rtb-0public000000001', { subnetIds: [REDIS_SUBNET], routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0abc' }, { DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-0abc' }] });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('0.0.0.0/0 -> igw-0abc (IPv4 default route to the internet)');
    expect(f.observed).toContain('::/0 -> igw-0abc (IPv6 default route to the internet)');
    expect(f.remediation).toContain('Remove the internet gateway route(s) 0.0.0.0/0, ::/0 from route table rtb-0public000000001');
  });

  it('fails when the main table it falls back to has an internet gateway route', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.RouteTables[0]!.Routes![1] = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0abc', State: 'active' }));
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.remediation).toContain(`Associate subnet ${REDIS_SUBNET} with a private route table`);
  });

  it('does not count an egress-only internet gateway', () => {
    const estate = compliantEstate().routeTable('rtb-0private00000001', { subnetIds: [REDIS_SUBNET], routes: [{ DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-0abc' }] });
    expect(findingFor(rule, estate, REDIS_SUBNET).status).toBe('PASS');
  });

  it('fails MapPublicIpOnLaunch', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.Subnets.find((s) => s.SubnetId === REDIS_SUBNET)!.MapPublicIpOnLaunch = true));
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.remediation).toContain('--no-map-public-ip-on-launch');
  });

  it('is unknown when the subnet is missing from the snapshot', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ec2.Subnets = t.ec2.Subnets.filter((s) => s.SubnetId !== REDIS_SUBNET)))
      .error({ service: 'ec2', operation: 'DescribeSubnets', code: 'Throttling', message: 'Rate exceeded' });
    const f = findingFor(rule, estate, REDIS_SUBNET);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('Throttling');
  });

  it('is unknown when it would fall back to the main table but DescribeRouteTables failed', () => {
    const estate = compliantEstate().error({ service: 'ec2', operation: 'DescribeRouteTables', code: 'InternalError', message: 'try again' });
    expect(findingFor(rule, estate, REDIS_SUBNET).status).toBe('UNKNOWN');
  });

  it('is unknown when no route table governs it', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.RouteTables = []));
    expect(findingFor(rule, estate, REDIS_SUBNET).status).toBe('UNKNOWN');
  });

  it('rates a subnet of non-production Redis servers medium', () => {
    const estate = compliantEstate();
    for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Test');
    expect(findingFor(rule, estate, REDIS_SUBNET)).toMatchObject({ severity: 'medium', production: false, environment: 'Test' });
  });

  it('judges a subnet tagged for Redis even without servers', () => {
    const estate = compliantEstate().mutate((t) => t.ec2.Subnets.find((s) => s.SubnetId === FRONTEND_SUBNET)!.Tags!.push({ Key: 'Role', Value: 'redis' }));
    expect(findingFor(rule, estate, FRONTEND_SUBNET)).toMatchObject({ status: 'PASS', severity: 'medium', cluster: null });
  });
});
