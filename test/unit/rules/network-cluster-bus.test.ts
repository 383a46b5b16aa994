import { networkClusterBusRule } from '../../../lambdas/core/rules/network-cluster-bus';
import { FRONTEND_SG, REDIS_IDS, REDIS_SG, REDIS_SUBNET, compliantEstate, tcpPermission } from '../../support/estate-builder';
import { findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

function withRedisIngress(estate: ReturnType<typeof compliantEstate>, ingress: ReturnType<typeof tcpPermission>[]) {
  return estate.mutate((t) => (t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = ingress));
}

/** Moves the third Redis server to its own subnet with its own network ACL entries. */
function thirdInOwnSubnet(entries: Parameters<ReturnType<typeof compliantEstate>['networkAcl']>[1]['entries']) {
  const estate = compliantEstate()
    .subnet('subnet-0redis0000000002', '10.0.3.0/24', { tags: { Role: 'redis' } })
    .networkAcl('acl-0redis2000000001', { subnetIds: ['subnet-0redis0000000002'], entries });
  return estate.mutate((t) => {
    for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) {
      if (i.InstanceId !== REDIS_IDS[2]) continue;
      i.SubnetId = 'subnet-0redis0000000002';
      i.PrivateIpAddress = '10.0.3.13';
      for (const eni of i.NetworkInterfaces ?? []) Object.assign(eni, { SubnetId: 'subnet-0redis0000000002', PrivateIpAddress: '10.0.3.13', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.3.13', Primary: true }] });
    }
    t.ec2.NetworkAcls.find((a) => a.NetworkAclId === 'acl-0default00000001')!.Associations = t.ec2.NetworkAcls.find((a) => a.NetworkAclId === 'acl-0default00000001')!.Associations!.filter((a) => a.SubnetId !== 'subnet-0redis0000000002');
  });
}

describe('network.cluster-bus', () => {
  it('passes when every member reaches 7000, 7001, 17000 and 17001 of every other member', () => {
    const findings = runRule(networkClusterBusRule, compliantEstate());
    expect(findings).toHaveLength(3);
    for (const f of findings) {
      expect(f.status).toBe('PASS');
      expect(f.severity).toBe('high');
      expect(f.required).toContain('TCP 7000, TCP 7001, TCP 17000, TCP 17001');
    }
    expect(findings[0]!.observed).toContain(`All 2 other member(s) (${REDIS_IDS[1]}, ${REDIS_IDS[2]}) reach`);
  });

  it('fails when the security group does not open the bus ports, naming the group and the fix', () => {
    const estate = withRedisIngress(compliantEstate(), [tcpPermission(7000, 7001, { groupIds: [FRONTEND_SG, REDIS_SG] })]);
    const f = findingFor(networkClusterBusRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('4 of 8 (peer, port) pairs are blocked');
    expect(f.observed).toContain("TCP 17000 from 2 peers");
    expect(f.observed).toContain("at this server's security groups (inbound)");
    expect(f.remediation).toContain(`Add an inbound rule to security group ${REDIS_SG} allowing TCP 17000`);
    expect(f.observed).not.toContain('front-end');
  });

  it('fails a network ACL that allows 7000 but not 17000 (stateless: judged both ways)', () => {
    const entries = [
      { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 7000, To: 7001 } },
      { RuleNumber: 110, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 1024, To: 65535 } },
      { RuleNumber: 90, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 17000, To: 17001 } },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
    ];
    const estate = thirdInOwnSubnet(entries);
    const third = findingFor(networkClusterBusRule, estate, REDIS_IDS[2]);
    expect(third.status).toBe('FAIL');
    expect(third.observed).toContain('TCP 17000 from 2 peers');
    expect(third.observed).toContain("this server's subnet network ACL (inbound)");
    expect(third.observed).not.toContain('TCP 7000 from');
    // The other direction passes: the third subnet's ACL lets its requests out and the replies in (1024-65535).
    expect(findingFor(networkClusterBusRule, estate, REDIS_IDS[0]).status).toBe('PASS');
  });

  it('fails the other direction when the ACL blocks return traffic to the peer', () => {
    const entries = [
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.0.0.0/16', PortRange: { From: 7000, To: 7001 } },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
    ];
    const estate = thirdInOwnSubnet(entries);
    // Connections from the third server to 17000 of the first leave its subnet on 17000: denied outbound.
    const first = findingFor(networkClusterBusRule, estate, REDIS_IDS[0]);
    expect(first.status).toBe('FAIL');
    expect(first.observed).toContain(`TCP 17000 from peer ${REDIS_IDS[2]}`);
  });

  it('is UNKNOWN with the reason when a security group is missing from the snapshot', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.SecurityGroups = t.ec2.SecurityGroups.filter((g) => g.GroupId !== REDIS_SG)));
    const f = findingFor(networkClusterBusRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain(`Security group ${REDIS_SG}`);
  });

  it('is NOT_APPLICABLE to the only server of a cluster', () => {
    const estate = compliantEstate().instance({ id: 'i-0bbb00000000000b1', subnetId: REDIS_SUBNET, privateIp: '10.0.1.60', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Development', RedisCluster: 'dev' } });
    setInstanceTag(estate, 'i-0bbb00000000000b1', 'Name', 'redis-dev');
    expect(findingFor(networkClusterBusRule, estate, 'i-0bbb00000000000b1').status).toBe('NOT_APPLICABLE');
  });
});
