import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { networkFrontendReachabilityRule } from '../../../lambdas/core/rules/network-frontend-reachability';
import { ConfigSchema } from '../../../lambdas/core/config';
import { FRONTEND_IDS, FRONTEND_SG, REDIS_IDS, REDIS_SG, compliantEstate, tcpPermission } from '../../support/estate-builder';
import { findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const rule = networkFrontendReachabilityRule;
const redis = REDIS_IDS[0];

function redisIngress(...permissions: ReturnType<typeof tcpPermission>[]) {
  return compliantEstate().mutate((t) => (t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = permissions));
}

describe('network.frontend-reachability', () => {
  it('passes on the compliant baseline for every Redis server, quoting the ports requirement', () => {
    const findings = runRule(rule, compliantEstate());
    expect(findings).toHaveLength(3);
    for (const f of findings) {
      expect(f).toMatchObject({ status: 'PASS', severity: 'high', requirement: REQUIREMENT.ports, resourceType: 'AWS::EC2::Instance' });
      expect(f.observed).toContain(FRONTEND_IDS[0]);
    }
  });

  it('fails when 7001 is not opened, naming the hop, the group and the change', () => {
    const f = findingFor(rule, redisIngress(tcpPermission(7000, 7000, { groupIds: [FRONTEND_SG] })), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('2 of 4 (front-end, port) pairs are blocked');
    expect(f.observed).toContain('TCP 7001');
    expect(f.observed).toContain("the Redis server's security groups (inbound)");
    expect(f.remediation).toContain(`Add an inbound rule to security group ${REDIS_SG} allowing TCP 7001 from security group ${FRONTEND_SG}`);
  });

  it('fails when the front-end egress is restricted', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.SecurityGroups.find((g) => g.GroupId === FRONTEND_SG)!.IpPermissionsEgress = [tcpPermission(443, 443, { cidrs: ['0.0.0.0/0'] })]));
    const f = findingFor(rule, estate, redis);
    expect(f.status).toBe('FAIL');
    expect(f.remediation).toContain(`Add an outbound rule to security group ${FRONTEND_SG}`);
  });

  it('is unknown when only a prefix list could admit the front-ends', () => {
    const f = findingFor(rule, redisIngress(tcpPermission(7000, 7001, { prefixListIds: ['pl-0frontends000001'] })), redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('pl-0frontends000001');
  });

  it('fails rather than unknown when one pair is blocked and another unknown', () => {
    const f = findingFor(rule, redisIngress(tcpPermission(7000, 7000, { prefixListIds: ['pl-0frontends000001'] })), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Also not judged');
  });

  it('is unknown when no front-end of the environment exists', () => {
    const estate = compliantEstate();
    for (const id of FRONTEND_IDS) setInstanceTag(estate, id, 'Environment', 'Staging');
    const f = findingFor(rule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('No front-end');
  });

  it('checks the configured ports', () => {
    const config = ConfigSchema.parse({ redisPorts: [6379] });
    expect(findingFor(rule, compliantEstate(), redis, config).status).toBe('FAIL');
  });

  it('rates non-production servers medium', () => {
    const estate = compliantEstate();
    for (const id of [...REDIS_IDS, ...FRONTEND_IDS]) setInstanceTag(estate, id, 'Environment', 'Development');
    const f = findingFor(rule, estate, redis);
    expect(f).toMatchObject({ status: 'PASS', severity: 'medium', production: false });
  });
});
