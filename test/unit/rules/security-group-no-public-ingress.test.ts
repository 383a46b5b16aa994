import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { securityGroupNoPublicIngressRule } from '../../../lambdas/core/rules/security-group-no-public-ingress';
import type { IpPermission } from '../../../lambdas/core/snapshot/schema';
import { FRONTEND_SG, REDIS_IDS, REDIS_SG, compliantEstate, tcpPermission } from '../../support/estate-builder';
import { changeInstance, findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const rule = securityGroupNoPublicIngressRule;

function addIngress(permission: IpPermission) {
  return compliantEstate().mutate((t) => t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions!.push(permission));
}

describe('security-group.no-public-ingress', () => {
  it('passes the Redis group of the baseline and judges only groups on Redis servers', () => {
    const findings = runRule(rule, compliantEstate());
    expect(findings.map((f) => f.resourceId)).toEqual([REDIS_SG]);
    expect(findings[0]).toMatchObject({ status: 'PASS', resourceType: 'AWS::EC2::SecurityGroup', requirement: REQUIREMENT.ownSubnet, cluster: 'sessions-prod', resourceName: 'redis-cluster' });
  });

  it('is critical when a production group opens a Redis port to 0.0.0.0/0', () => {
    const f = findingFor(rule, addIngress(tcpPermission(7000, 7001, { cidrs: ['0.0.0.0/0'] })), REDIS_SG);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('TCP 7000-7001 from 0.0.0.0/0');
    expect(f.remediation).toContain(`from security group ${REDIS_SG}`);
  });

  it('is critical for all traffic from ::/0', () => {
    const f = findingFor(rule, addIngress({ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }), REDIS_SG);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('all traffic from ::/0');
  });

  it('is high when only another port (SSH) is open to the internet', () => {
    const f = findingFor(rule, addIngress(tcpPermission(22, 22, { cidrs: ['0.0.0.0/0'] })), REDIS_SG);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'high' });
  });

  it('is high for a non-production group even on a Redis port', () => {
    const estate = addIngress(tcpPermission(7000, 7001, { cidrs: ['0.0.0.0/0'] }));
    for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Test');
    expect(findingFor(rule, estate, REDIS_SG)).toMatchObject({ status: 'FAIL', severity: 'high', production: false });
  });

  it('does not count a private range as public', () => {
    expect(findingFor(rule, addIngress(tcpPermission(7000, 7001, { cidrs: ['10.0.0.0/8'] })), REDIS_SG).status).toBe('PASS');
  });

  it('finds groups attached to a secondary interface too', () => {
    const estate = changeInstance(compliantEstate(), REDIS_IDS[0], (i) => i.NetworkInterfaces!.push({ NetworkInterfaceId: 'eni-0second000000001', SubnetId: 'subnet-0redis0000000001', Groups: [{ GroupId: FRONTEND_SG }], Attachment: { DeviceIndex: 1 } }));
    expect(runRule(rule, estate).map((f) => f.resourceId).sort()).toEqual([FRONTEND_SG, REDIS_SG].sort());
  });

  it('is unknown when the group is missing from the snapshot', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.SecurityGroups = t.ec2.SecurityGroups.filter((g) => g.GroupId !== REDIS_SG)));
    const f = findingFor(rule, estate, REDIS_SG);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('not in the snapshot');
  });
});
