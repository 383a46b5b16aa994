import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { buildEstate } from '../../../lambdas/core/estate/build-estate';
import { reachabilityAnalyzerFor } from '../../../lambdas/core/network/reachability-analyzer';
import { networkFrontendReachabilityRule } from '../../../lambdas/core/rules/network-frontend-reachability';
import { FRONTEND_SG, REDIS_IDS, REDIS_SG, compliantEstate, tcpPermission, type EstateBuilder } from '../../support/estate-builder';
import { changeInstance } from '../../support/evaluate-rule';

const [a, b, c] = REDIS_IDS;

/** The baseline with a cluster-bus group per server (rules for 17000-17001 only). */
function withBusGroups(): EstateBuilder {
  const estate = compliantEstate();
  for (const [i, id] of REDIS_IDS.entries()) {
    const bus = `sg-0bus0000000000${i}`;
    estate.securityGroup(bus, { ingress: [tcpPermission(17000, 17001, { groupIds: [bus] })] });
    changeInstance(estate, id, (instance) => {
      instance.SecurityGroups!.push({ GroupId: bus, GroupName: bus });
      instance.NetworkInterfaces![0]!.Groups!.push({ GroupId: bus, GroupName: bus });
    });
  }
  return estate;
}

function shareKeys(estate: EstateBuilder) {
  const target = buildEstate(estate.target, DEFAULT_CONFIG).target;
  const analyzer = reachabilityAnalyzerFor(target);
  const frontends = target.frontendsByEnvironment.get('production')!;
  return Object.fromEntries(target.redisServers.map((s) => [s.instanceId, analyzer.passShareKeyOf(frontends, s, target.config.redisPorts)]));
}

describe('passShareKeyOf', () => {
  it('ignores groups without a rule for the Redis ports', () => {
    const keys = shareKeys(withBusGroups());
    expect(keys[a]).toBeDefined();
    expect(keys[b]).toBe(keys[a]);
    expect(keys[c]).toBe(keys[a]);
    expect(keys[a]).toContain(REDIS_SG);
    expect(keys[a]).not.toContain('sg-0bus');
  });

  it('keeps a group that has a rule for a Redis port', () => {
    const estate = withBusGroups().mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === 'sg-0bus00000000001')!.IpPermissions!.push(tcpPermission(7001, 7001, { cidrs: ['10.0.0.0/8'] }));
    });
    const keys = shareKeys(estate);
    expect(keys[b]).not.toBe(keys[a]);
    expect(keys[b]).toContain('sg-0bus00000000001');
  });

  it("keeps a group that a front-end's outbound rule names", () => {
    const estate = withBusGroups().mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === FRONTEND_SG)!.IpPermissionsEgress = [tcpPermission(7000, 7001, { groupIds: ['sg-0bus00000000002'] })];
    });
    const keys = shareKeys(estate);
    expect(keys[c]).toContain('sg-0bus00000000002');
    expect(keys[c]).not.toBe(keys[a]);
  });

  it('shared PASS verdicts equal the verdicts each server gets on its own', () => {
    const estate = withBusGroups();
    const together = networkFrontendReachabilityRule.evaluate(buildEstate(estate.target, DEFAULT_CONFIG).target);
    expect(together.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
    for (const id of REDIS_IDS) {
      const alone = structuredClone(estate.target);
      for (const r of alone.ec2.Reservations) r.Instances = (r.Instances ?? []).filter((i) => i.InstanceId === id || !REDIS_IDS.includes(i.InstanceId as never));
      const own = networkFrontendReachabilityRule.evaluate(buildEstate(alone, DEFAULT_CONFIG).target);
      expect(own).toEqual([together.find((f) => f.resourceId === id)]);
    }
  });
});
