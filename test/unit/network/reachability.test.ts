/** Hop-by-hop reachability on AWS-shaped estates: each test changes one thing of the compliant baseline. */
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { buildEstate } from '../../../lambdas/core/estate/build-estate';
import { ReachabilityAnalyzer } from '../../../lambdas/core/network/reachability-analyzer';
import type { ReachabilityResult } from '../../../lambdas/core/network/reachability';
import type { NetworkAclEntry, Route } from '../../../lambdas/core/snapshot/schema';
import { ALLOW_ALL_EGRESS, FRONTEND_IDS, FRONTEND_SG, FRONTEND_SUBNET, REDIS_IDS, REDIS_SG, REDIS_SUBNET, compliantEstate, defaultAclEntries, tcpPermission, type EstateBuilder } from '../../support/estate-builder';
import { changeInstance } from '../../support/evaluate-rule';

const FE = FRONTEND_IDS[0];
const REDIS = REDIS_IDS[0];

function reach(estate: EstateBuilder, port = 7000, frontendId: string = FE, redisId: string = REDIS): ReachabilityResult {
  const { target } = buildEstate(estate.target, DEFAULT_CONFIG);
  const frontend = target.frontends.find((f) => f.instanceId === frontendId)!;
  const redis = target.redisServers.find((r) => r.instanceId === redisId)!;
  const verdicts = new ReachabilityAnalyzer(target).analyse([frontend], redis, [port]);
  expect(verdicts).toHaveLength(1);
  return verdicts[0]!.result;
}

function aclEntry(ruleNumber: number, action: 'allow' | 'deny', egress: boolean, cidr: string, ports?: [number, number]): NetworkAclEntry {
  return { RuleNumber: ruleNumber, Protocol: ports ? '6' : '-1', RuleAction: action, Egress: egress, CidrBlock: cidr, ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}) };
}

/** Gives each subnet its own network ACL (the baseline shares the default one). */
function separateAcls(estate: EstateBuilder, entries: { redis?: NetworkAclEntry[]; frontend?: NetworkAclEntry[] }): EstateBuilder {
  return estate
    .mutate((t) => (t.ec2.NetworkAcls = []))
    .networkAcl('acl-0redis00000000001', { subnetIds: [REDIS_SUBNET], entries: entries.redis ?? defaultAclEntries() })
    .networkAcl('acl-0front00000000001', { subnetIds: [FRONTEND_SUBNET], entries: entries.frontend ?? defaultAclEntries() });
}

function setGroup(estate: EstateBuilder, groupId: string, change: { ingress?: ReturnType<typeof tcpPermission>[]; egress?: ReturnType<typeof tcpPermission>[] }): EstateBuilder {
  return estate.mutate((t) => {
    const group = t.ec2.SecurityGroups.find((g) => g.GroupId === groupId)!;
    if (change.ingress) group.IpPermissions = change.ingress;
    if (change.egress) group.IpPermissionsEgress = change.egress;
  });
}

const PEER_VPC = 'vpc-0peer00000000001';
const PEER_SUBNET = 'subnet-0peer00000000001';
const REDIS_B = 'i-0bbb00000000000b1';

/** A Redis server of the same environment in a second VPC (10.1.0.0/16), peered or not. */
function crossVpc(options: { forward?: Route[]; back?: Route[]; backInMainTable?: boolean } = {}): EstateBuilder {
  const estate = compliantEstate()
    .subnet(PEER_SUBNET, '10.1.1.0/24', { vpcId: PEER_VPC, tags: { Role: 'redis' } })
    .networkAcl('acl-0peer00000000001', { subnetIds: [PEER_SUBNET], vpcId: PEER_VPC })
    .securityGroup('sg-0peerredis0000001', { vpcId: PEER_VPC, ingress: [tcpPermission(7000, 7001, { groupIds: [FRONTEND_SG] })] })
    .routeTable('rtb-0front0000000001', { subnetIds: [FRONTEND_SUBNET], routes: options.forward ?? [{ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0ab' }] });
  const back = options.back ?? [{ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-0ab' }];
  if (options.backInMainTable) estate.routeTable('rtb-0peermain000001', { vpcId: PEER_VPC, vpcCidr: '10.1.0.0/16', main: true, routes: back });
  else estate.routeTable('rtb-0peer00000000001', { vpcId: PEER_VPC, vpcCidr: '10.1.0.0/16', subnetIds: [PEER_SUBNET], routes: back });
  return estate.instance({ id: REDIS_B, subnetId: PEER_SUBNET, privateIp: '10.1.1.11', securityGroupIds: ['sg-0peerredis0000001'], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
}

describe('reachability: security groups', () => {
  it('is reachable on the compliant baseline, both ports', () => {
    expect(reach(compliantEstate(), 7000).verdict).toBe('reachable');
    expect(reach(compliantEstate(), 7001).verdict).toBe('reachable');
  });

  it('is blocked on a port the Redis group does not open', () => {
    const result = reach(compliantEstate(), 7002);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-security-group-ingress' });
    expect(result.detail).toContain(REDIS_SG);
  });

  it('is blocked when the Redis group references a group the front-end does not carry', () => {
    const estate = setGroup(compliantEstate(), REDIS_SG, { ingress: [tcpPermission(7000, 7001, { groupIds: ['sg-0somebodyelse0001'] })] });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-security-group-ingress' });
    expect(result.fix).toContain(`Add an inbound rule to security group ${REDIS_SG} allowing TCP 7000 from security group ${FRONTEND_SG}`);
  });

  it('is blocked when the front-end group restricts egress', () => {
    const estate = setGroup(compliantEstate(), FRONTEND_SG, { egress: [tcpPermission(443, 443, { cidrs: ['0.0.0.0/0'] })] });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'source-security-group-egress' });
    expect(result.fix).toContain(`Add an outbound rule to security group ${FRONTEND_SG} allowing TCP 7000 to security group ${REDIS_SG}`);
  });

  it('is reachable when restricted egress references the Redis group', () => {
    const estate = setGroup(compliantEstate(), FRONTEND_SG, { egress: [tcpPermission(7000, 7001, { groupIds: [REDIS_SG] })] });
    expect(reach(estate).verdict).toBe('reachable');
  });

  it('is reachable by CIDR when the Redis group admits the front-end subnet', () => {
    const estate = setGroup(compliantEstate(), REDIS_SG, { ingress: [tcpPermission(7000, 7001, { cidrs: ['10.0.2.0/24'] })] });
    expect(reach(estate).verdict).toBe('reachable');
  });

  it('is unknown when only a prefix list could admit the front-end', () => {
    const estate = setGroup(compliantEstate(), REDIS_SG, { ingress: [tcpPermission(7000, 7001, { prefixListIds: ['pl-0frontends000001'] })] });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'unknown', hop: 'destination-security-group-ingress' });
    expect(result.detail).toContain('pl-0frontends000001');
  });

  it('is unknown when the Redis group is missing from the snapshot, naming the capture error', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ec2.SecurityGroups = t.ec2.SecurityGroups.filter((g) => g.GroupId !== REDIS_SG)))
      .error({ service: 'ec2', operation: 'DescribeSecurityGroups', code: 'RequestLimitExceeded', message: 'Rate exceeded' });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'unknown', hop: 'destination-security-group-ingress' });
    expect(result.detail).toContain('RequestLimitExceeded');
  });

  it('prefers blocked over unknown when both occur', () => {
    const estate = setGroup(compliantEstate(), FRONTEND_SG, { egress: [] }).mutate((t) => (t.ec2.NetworkAcls = []));
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'source-security-group-egress' });
    expect(result.issues.map((i) => i.verdict)).toContain('unknown');
  });
});

describe('reachability: network ACLs', () => {
  it('is blocked by a lower-numbered deny before the allow', () => {
    const estate = separateAcls(compliantEstate(), { redis: [aclEntry(90, 'deny', false, '10.0.2.0/24', [7000, 7000]), ...defaultAclEntries()] });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-network-acl-inbound' });
    expect(result.detail).toContain('acl-0redis00000000001 inbound rule 90');
    expect(reach(estate, 7001).verdict).toBe('reachable');
  });

  it('is reachable when the allow is numbered before the deny', () => {
    const estate = separateAcls(compliantEstate(), { redis: [aclEntry(90, 'allow', false, '10.0.2.0/24', [7000, 7001]), aclEntry(95, 'deny', false, '0.0.0.0/0'), ...defaultAclEntries()] });
    expect(reach(estate).verdict).toBe('reachable');
  });

  it("is blocked when the Redis subnet's outbound ACL does not cover the Windows front-end's ephemeral ports", () => {
    const redisAcl = [aclEntry(100, 'allow', false, '0.0.0.0/0'), aclEntry(100, 'allow', true, '10.0.2.0/24', [32768, 60999]), aclEntry(32767, 'deny', true, '0.0.0.0/0'), aclEntry(32767, 'deny', false, '0.0.0.0/0')];
    const estate = separateAcls(compliantEstate(), { redis: redisAcl });
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-network-acl-outbound-return' });
    expect(result.detail).toContain('TCP 61000-65535');
    expect(result.fix).toContain('TCP 49152-65535');
  });

  it('is reachable through the same ACL from a Linux front-end (32768-60999)', () => {
    const redisAcl = [aclEntry(100, 'allow', false, '0.0.0.0/0'), aclEntry(100, 'allow', true, '10.0.2.0/24', [32768, 60999]), aclEntry(32767, 'deny', true, '0.0.0.0/0'), aclEntry(32767, 'deny', false, '0.0.0.0/0')];
    const estate = changeInstance(separateAcls(compliantEstate(), { redis: redisAcl }), FE, (i) => {
      delete i.Platform;
      i.PlatformDetails = 'Linux/UNIX';
    });
    expect(reach(estate).verdict).toBe('reachable');
  });

  it("is blocked when the front-end subnet's inbound ACL drops the return traffic", () => {
    const frontendAcl = [aclEntry(100, 'allow', false, '10.0.0.0/16', [443, 443]), aclEntry(32767, 'deny', false, '0.0.0.0/0'), aclEntry(100, 'allow', true, '0.0.0.0/0'), aclEntry(32767, 'deny', true, '0.0.0.0/0')];
    const result = reach(separateAcls(compliantEstate(), { frontend: frontendAcl }));
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'source-network-acl-inbound-return' });
    expect(result.detail).toContain('rule *');
  });

  it('does not cross network ACLs within one subnet', () => {
    const denyAll = [aclEntry(1, 'deny', false, '0.0.0.0/0'), aclEntry(1, 'deny', true, '0.0.0.0/0')];
    const estate = separateAcls(compliantEstate(), { redis: denyAll }).instance({ id: 'i-0fff0000000000f99', subnetId: REDIS_SUBNET, privateIp: '10.0.1.99', securityGroupIds: [FRONTEND_SG], platform: 'windows', tags: { Role: 'outsystems-frontend', Environment: 'Production' } });
    expect(reach(estate, 7000, 'i-0fff0000000000f99').verdict).toBe('reachable');
    expect(reach(estate).verdict).toBe('blocked');
  });

  it('is unknown when the Redis subnet has no network ACL in the snapshot', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.NetworkAcls[0]!.Associations = t.ec2.NetworkAcls[0]!.Associations!.filter((a) => a.SubnetId !== REDIS_SUBNET)));
    const result = reach(estate);
    expect(result).toMatchObject({ verdict: 'unknown', hop: 'destination-network-acl-inbound' });
    expect(result.detail).toContain(REDIS_SUBNET);
  });
});

describe('reachability: routes', () => {
  it('uses the main route table for a subnet without an explicit association', () => {
    expect(reach(crossVpc({ backInMainTable: true }), 7000, FE, REDIS_B).verdict).toBe('reachable');
    const result = reach(crossVpc({ backInMainTable: true, back: [] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-route-return' });
    expect(result.detail).toContain('rtb-0peermain000001');
  });

  it('follows a peering connection both ways', () => {
    const result = reach(crossVpc(), 7000, FE, REDIS_B);
    expect(result.verdict).toBe('reachable');
    expect(result.detail).toContain('pcx-0ab');
  });

  it('is blocked without the return route', () => {
    const result = reach(crossVpc({ back: [] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-route-return' });
    expect(result.fix).toContain('rtb-0peer00000000001');
  });

  it('is blocked when the return route takes another peering connection', () => {
    const result = reach(crossVpc({ back: [{ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-0other' }] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-route-return' });
    expect(result.detail).toContain('pcx-0other');
  });

  it('is blocked without a forward route', () => {
    const result = reach(crossVpc({ forward: [] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'source-route' });
  });

  it('is blocked by a blackhole route', () => {
    const result = reach(crossVpc({ forward: [{ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0ab', State: 'blackhole' }] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'source-route' });
    expect(result.detail).toContain('blackhole');
  });

  it('is unknown through a transit gateway, with the reason', () => {
    const result = reach(crossVpc({ forward: [{ DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-0hub' }] }), 7000, FE, REDIS_B);
    expect(result).toMatchObject({ verdict: 'unknown', hop: 'source-route' });
    expect(result.detail).toContain('transit gateway tgw-0hub');
  });

  it('is unknown when a more specific route inside the VPC goes to an appliance', () => {
    const estate = compliantEstate().routeTable('rtb-0front0000000001', { subnetIds: [FRONTEND_SUBNET], routes: [{ DestinationCidrBlock: '10.0.1.0/24', NetworkInterfaceId: 'eni-0firewall000001' }] });
    expect(reach(estate)).toMatchObject({ verdict: 'unknown', hop: 'source-route' });
  });

  it('is unknown when the route table is missing and DescribeRouteTables failed', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ec2.RouteTables = []))
      .error({ service: 'ec2', operation: 'DescribeRouteTables', code: 'UnauthorizedOperation', message: 'not authorized' });
    const result = reach(estate);
    expect(result.verdict).toBe('unknown');
    expect(result.detail).toContain('UnauthorizedOperation');
  });
});

describe('reachability: IPv6', () => {
  function ipv6Only(frontendHasIpv6: boolean): EstateBuilder {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.Subnets.find((s) => s.SubnetId === REDIS_SUBNET)!.Ipv6CidrBlockAssociationSet = [{ Ipv6CidrBlock: '2001:db8:0:1::/64' }];
      t.ec2.Subnets.find((s) => s.SubnetId === FRONTEND_SUBNET)!.Ipv6CidrBlockAssociationSet = [{ Ipv6CidrBlock: '2001:db8:0:2::/64' }];
      t.ec2.RouteTables[0]!.Routes!.push({ DestinationIpv6CidrBlock: '2001:db8::/56', GatewayId: 'local', State: 'active' });
      // A group's default egress rule covers ::/0 only when the VPC has IPv6.
      t.ec2.SecurityGroups.find((g) => g.GroupId === FRONTEND_SG)!.IpPermissionsEgress = [{ ...ALLOW_ALL_EGRESS, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }];
      t.ec2.NetworkAcls[0]!.Entries!.push({ RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Egress: false, Ipv6CidrBlock: '::/0' }, { RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Egress: true, Ipv6CidrBlock: '::/0' });
    });
    changeInstance(estate, REDIS, (i) => {
      delete i.PrivateIpAddress;
      const eni = i.NetworkInterfaces![0]!;
      delete eni.PrivateIpAddress;
      eni.PrivateIpAddresses = [];
      eni.Ipv6Addresses = [{ Ipv6Address: '2001:db8:0:1::11', IsPrimaryIpv6: true }];
    });
    if (frontendHasIpv6) changeInstance(estate, FE, (i) => (i.NetworkInterfaces![0]!.Ipv6Addresses = [{ Ipv6Address: '2001:db8:0:2::21' }]));
    return estate;
  }

  it('uses IPv6 when the Redis server has only IPv6', () => {
    const result = reach(ipv6Only(true));
    expect(result.verdict).toBe('reachable');
    expect(result.detail).toContain('2001:db8:0:2::/64');
  });

  it('is blocked when the front-end group allows egress to 0.0.0.0/0 but not ::/0', () => {
    const estate = setGroup(ipv6Only(true), FRONTEND_SG, { egress: [ALLOW_ALL_EGRESS] });
    expect(reach(estate)).toMatchObject({ verdict: 'blocked', hop: 'source-security-group-egress' });
  });

  it('is blocked when the front-end has no IPv6 address', () => {
    expect(reach(ipv6Only(false))).toMatchObject({ verdict: 'blocked', hop: 'source-address' });
  });
});
