/**
 * network.cluster-bus judges clusters that differ only in their members' ids and the groups each
 * has to itself (a cluster-bus group per cluster) once per shape, and writes the verdict out for
 * the others (rules/verdict-templates.ts). These tests prove the written-out findings are the
 * findings judged one by one (shareVerdicts false), byte for byte, also when the ids and names put
 * back look like the placeholders or like the words the rule rewrites.
 */
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import type { Finding } from '../../../lambdas/core/model';
import { buildEstate } from '../../../lambdas/core/estate/build-estate';
import { reachabilityAnalyzerFor } from '../../../lambdas/core/network/reachability-analyzer';
import { networkClusterBusRule } from '../../../lambdas/core/rules/network-cluster-bus';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { syntheticEstate } from '../../../bench/synthetic-estate';

function evaluate(target: SnapshotTarget, shareVerdicts: boolean) {
  const built = buildEstate(structuredClone(target), DEFAULT_CONFIG, { shareVerdicts }).target;
  return { findings: networkClusterBusRule.evaluate(built), evaluations: reachabilityAnalyzerFor(built).evaluations };
}

/** The cluster-bus groups of the synthetic estate (one per production cluster, named redis-cluster-...). */
function clusterGroups(target: SnapshotTarget) {
  return target.ec2.SecurityGroups.filter((g) => g.GroupName?.startsWith('redis-cluster-'));
}

/** The first few findings that differ, field by field (a short failure message rather than two estates of JSON). */
function differences(a: readonly Finding[], b: readonly Finding[]): string[] {
  const out: string[] = a.length === b.length ? [] : [`${a.length} findings, ${b.length} judged one by one`];
  a.forEach((f, i) => {
    if (JSON.stringify(f) !== JSON.stringify(b[i])) out.push(`${f.resourceId}: ${JSON.stringify(f)}\n  judged one by one: ${JSON.stringify(b[i])}`);
  });
  return out.slice(0, 3);
}

function expectSameFindings(target: SnapshotTarget) {
  const shared = evaluate(target, true);
  const alone = evaluate(target, false);
  expect(differences(shared.findings, alone.findings)).toEqual([]);
  return { shared, alone };
}

describe('network.cluster-bus: verdicts written out per cluster shape', () => {
  it('gives the findings judged one by one, with far fewer flows evaluated', () => {
    const target = syntheticEstate(600).target;
    const production = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === 'RedisMode' && t.Value === 'cluster')).length;
    expect(production).toBeGreaterThan(300);
    const { shared, alone } = expectSameFindings(target);
    expect(shared.findings.filter((f) => f.status === 'PASS').length).toBeGreaterThan(300);
    // Every cluster has its own bus group: judged alone that is 4 ports x every cluster; per shape, a few.
    expect(alone.evaluations).toBeGreaterThan(200);
    expect(shared.evaluations).toBeLessThan(alone.evaluations / 4);
  });

  it('puts back ids and names that look like the placeholders, the rewritten words, or each other', () => {
    const target = syntheticEstate(600).target;
    const groups = clusterGroups(target);
    groups.forEach((g, i) => {
      g.GroupName = ['bus', 'bus-1', 'front-end bus', 'bus.', '\u0000G0:0\u0000', '\u0000N2:0\u0000 (x)', 'sg', 'allows', '\u0000C\u0000'][i % 9]! + (i % 2 === 0 ? `-${i}` : '');
      // Blocked bus ports, so that the findings name the groups.
      if (i % 4 !== 1) g.IpPermissions = [{ ...g.IpPermissions![0]!, ToPort: 17000 }];
    });
    // Instance ids written like the stand-ins' placeholder ids (ids are not validated beyond being strings).
    const members = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === 'RedisMode' && t.Value === 'cluster'));
    members[7]!.InstanceId = '\u0000M1:0\u0000';
    members[20]!.InstanceId = '\u0000M0:1\u0000';
    const { shared } = expectSameFindings(target);
    // The rule speaks of peers where the analyzer says front-end, in group names too (as it always has).
    expect(shared.findings.filter((f) => f.observed.includes('(peer Redis server bus')).length).toBeGreaterThan(0);
    expect(shared.findings.filter((f) => f.observed.includes('bus.')).length).toBeGreaterThan(0);
  });

  it('gives the findings judged one by one when bus ports are blocked in some clusters and not others', () => {
    const target = syntheticEstate(600).target;
    clusterGroups(target).forEach((g, i) => {
      if (i % 3 === 0) g.IpPermissions = [{ ...g.IpPermissions![0]!, ToPort: 17000 }];
      if (i % 5 === 0) g.IpPermissionsEgress = [];
    });
    const { shared } = expectSameFindings(target);
    expect(shared.findings.some((f) => f.status === 'FAIL')).toBe(true);
  });

  it('gives the findings judged one by one when members carry another cluster\'s group or list their groups in another order', () => {
    const target = syntheticEstate(1200).target;
    const groups = clusterGroups(target);
    const members = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === 'RedisMode' && t.Value === 'cluster'));
    members.forEach((member, i) => {
      const cluster = Math.floor(i / 6);
      const eni = member.NetworkInterfaces![0]!;
      // Every 3rd cluster: its 2nd member carries the next cluster's bus group instead of its own (blocked both ways).
      if (cluster % 3 === 0 && i % 6 === 1 && groups[cluster + 1]) eni.Groups = eni.Groups!.map((g) => (g.GroupId === groups[cluster]!.GroupId ? { GroupId: groups[cluster + 1]!.GroupId, GroupName: groups[cluster + 1]!.GroupName } : g));
      // Every 4th cluster: its 3rd member lists the same groups in reverse (the findings name groups in interface order).
      if (cluster % 4 === 0 && i % 6 === 2) eni.Groups = [...eni.Groups!].reverse();
      member.SecurityGroups = eni.Groups;
    });
    const { shared } = expectSameFindings(target);
    expect(shared.findings.filter((f) => f.status === 'FAIL').length).toBeGreaterThan(100);
  });

  it('does not share between a cluster whose group names itself and one whose group names a group of another cluster', () => {
    const target = syntheticEstate(600).target;
    const groups = clusterGroups(target);
    // The second cluster's group admits the first cluster's group instead of itself: its members cannot reach each other.
    groups[1]!.IpPermissions = [{ ...groups[1]!.IpPermissions![0]!, UserIdGroupPairs: [{ GroupId: groups[0]!.GroupId }] }];
    const { shared } = expectSameFindings(target);
    expect(shared.findings.filter((f) => f.status === 'FAIL').map((f) => f.cluster)).toContain(groups[1]!.GroupName!.replace('redis-cluster-', ''));
  });
});
