/**
 * The analyzer's caching must never change a verdict: these tests compare the grouped, cached
 * answers with per-pair evaluation, and count evaluations to show work does not grow with the
 * number of Redis servers sharing a subnet and group set.
 */
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { buildEstate } from '../../../lambdas/core/estate/build-estate';
import type { EstateTarget } from '../../../lambdas/core/estate/estate';
import { ReachabilityAnalyzer, reachabilityAnalyzerFor } from '../../../lambdas/core/network/reachability-analyzer';
import { FRONTEND_IDS, FRONTEND_SG, FRONTEND_SUBNET, REDIS_SG, REDIS_SUBNET, compliantEstate, tcpPermission, type EstateBuilder } from '../../support/estate-builder';

function targetOf(estate: EstateBuilder): EstateTarget {
  return buildEstate(estate.target, DEFAULT_CONFIG).target;
}

/** verdict per "frontend>redis:port", from grouped analysis */
function groupedVerdicts(target: EstateTarget, analyzer = new ReachabilityAnalyzer(target)): Map<string, string> {
  const out = new Map<string, string>();
  for (const redis of target.redisServers) {
    for (const group of analyzer.analyse(target.frontends, redis, [7000, 7001])) {
      for (const frontend of group.frontends) out.set(`${frontend.instanceId}>${redis.instanceId}:${group.port}`, group.result.verdict);
    }
  }
  return out;
}

/** verdict per pair, each pair with a fresh analyzer (no sharing at all) */
function pairwiseVerdicts(target: EstateTarget): Map<string, string> {
  const out = new Map<string, string>();
  for (const redis of target.redisServers) {
    for (const frontend of target.frontends) {
      for (const port of [7000, 7001]) {
        const [group] = new ReachabilityAnalyzer(target).analyse([frontend], redis, [port]);
        out.set(`${frontend.instanceId}>${redis.instanceId}:${port}`, group!.result.verdict);
      }
    }
  }
  return out;
}

function withMoreRedisServers(estate: EstateBuilder, count: number): EstateBuilder {
  for (let i = 0; i < count; i++) {
    estate.instance({ id: `i-0ccc${String(i).padStart(13, '0')}`, subnetId: REDIS_SUBNET, privateIp: `10.0.1.${100 + i}`, securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
  }
  return estate;
}

describe('ReachabilityAnalyzer', () => {
  it('evaluates once per port when all front-ends and Redis servers share subnet and groups', () => {
    const target = targetOf(withMoreRedisServers(compliantEstate(), 40));
    const analyzer = new ReachabilityAnalyzer(target);
    const verdicts = groupedVerdicts(target, analyzer);
    expect(verdicts.size).toBe(43 * 2 * 2);
    expect([...verdicts.values()].every((v) => v === 'reachable')).toBe(true);
    expect(analyzer.evaluations).toBe(2);
  });

  it('groups a front-end class into one verdict per port', () => {
    const target = targetOf(compliantEstate());
    const groups = new ReachabilityAnalyzer(target).analyse(target.frontends, target.redisServers[0]!, [7000, 7001]);
    expect(groups).toHaveLength(2);
    expect(groups[0]!.frontends.map((f) => f.instanceId)).toEqual([...FRONTEND_IDS]);
  });

  it('splits a class when a rule names one front-end address (/32) and matches pairwise evaluation', () => {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = [tcpPermission(7000, 7001, { cidrs: ['10.0.2.21/32'] })];
    });
    const target = targetOf(estate);
    const grouped = groupedVerdicts(target);
    expect(grouped.get(`${FRONTEND_IDS[0]}>${target.redisServers[0]!.instanceId}:7000`)).toBe('reachable');
    expect(grouped.get(`${FRONTEND_IDS[1]}>${target.redisServers[0]!.instanceId}:7000`)).toBe('blocked');
    expect(grouped).toEqual(pairwiseVerdicts(target));
  });

  it('splits Redis servers when a front-end rule names one Redis address, and matches pairwise evaluation', () => {
    const estate = withMoreRedisServers(compliantEstate(), 3).mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === FRONTEND_SG)!.IpPermissionsEgress = [tcpPermission(7000, 7001, { cidrs: ['10.0.1.11/32', '10.0.1.101/32'] })];
    });
    const target = targetOf(estate);
    const grouped = groupedVerdicts(target);
    expect(grouped).toEqual(pairwiseVerdicts(target));
    const reachable = [...grouped].filter(([, v]) => v === 'reachable').map(([k]) => k.split('>')[1]!.split(':')[0]);
    expect(new Set(reachable)).toEqual(new Set(['i-0aaa00000000000a1', 'i-0ccc0000000000001']));
  });

  it('matches pairwise evaluation when network ACL entries cut through the front-end subnet', () => {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.NetworkAcls[0]!.Entries!.unshift({ RuleNumber: 10, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.2.22/32', PortRange: { From: 7001, To: 7001 } });
    });
    const target = targetOf(estate);
    const grouped = groupedVerdicts(target);
    expect(grouped).toEqual(pairwiseVerdicts(target));
    expect([...grouped.values()].filter((v) => v === 'blocked')).toHaveLength(3); // i-...f2 on 7001 to each of 3 servers
  });

  it('merges front-ends evaluated one by one that fail at the same hop with the same fix, marking the detail as an example', () => {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = [tcpPermission(7000, 7001, { cidrs: ['10.0.2.99/32'] })];
    });
    const target = targetOf(estate);
    const groups = new ReachabilityAnalyzer(target).analyse(target.frontends, target.redisServers[0]!, [7000]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ example: true, result: { verdict: 'blocked', hop: 'destination-security-group-ingress' } });
    expect(groups[0]!.frontends.map((f) => f.instanceId)).toEqual([...FRONTEND_IDS]);
    expect(groups[0]!.result.detail).toContain('from 10.0.2.21');
  });

  it('keeps one analyzer (and its caches) per estate target', () => {
    const target = targetOf(compliantEstate());
    expect(reachabilityAnalyzerFor(target)).toBe(reachabilityAnalyzerFor(target));
    expect(reachabilityAnalyzerFor(targetOf(compliantEstate()))).not.toBe(reachabilityAnalyzerFor(target));
  });

  it('tells a whole subnet apart from a single address in its sentences', () => {
    const target = targetOf(compliantEstate().mutate((t) => (t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = [])));
    const [group] = new ReachabilityAnalyzer(target).analyse(target.frontends, target.redisServers[0]!, [7000]);
    expect(group!.result.detail).toContain(`from ${FRONTEND_SUBNET} (10.0.2.0/24)`);
  });
});
