/**
 * cluster.zone-spread (advisory): a production Redis cluster's servers span at least two Availability
 * Zones, and no zone holds half or more of the masters, so losing one zone leaves a majority of
 * masters to promote replicas. AWS Well-Architected, Reliability pillar, REL10-BP01 "Deploy the
 * workload to multiple locations" (https://docs.aws.amazon.com/wellarchitected/latest/framework/rel_fault_isolation_multiaz_region_system.html).
 * A server's zone: its DescribeInstances Placement.AvailabilityZone, else its subnet's AvailabilityZone.
 */
import { clusterView } from '../cluster/cluster-view';
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { ec2Error } from '../network/missing-evidence';
import { REQUIREMENT } from '../requirements';
import type { Instance } from '../snapshot/schema';
import { clusterFinding, describeError, label, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'low';
const GUIDANCE = 'AWS Well-Architected Reliability pillar, REL10-BP01 "Deploy the workload to multiple locations"';
const REQUIRED = `Production Redis servers in at least two Availability Zones, and no zone holding half or more of the masters (${GUIDANCE}).`;

export const clusterZoneSpreadRule: RuleDefinition = {
  id: 'cluster.zone-spread',
  resourceType: 'Redis::Cluster',
  title: 'Redis cluster spans Availability Zones',
  requirement: REQUIREMENT.prodHighAvailability,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterZoneSpreadRule, cluster, clusterVerdict(target, cluster)));
  },
};

export function zoneOf(target: EstateTarget, server: RedisServer): string | undefined {
  return zoneOfInstance(target, server.instance);
}

export function zoneOfInstance(target: EstateTarget, instance: Instance): string | undefined {
  const placement = (instance as { Placement?: { AvailabilityZone?: unknown } }).Placement?.AvailabilityZone;
  if (typeof placement === 'string' && placement !== '') return placement;
  const subnetId = instance.SubnetId;
  return subnetId ? target.subnets.get(subnetId)?.AvailabilityZone : undefined;
}

function clusterVerdict(target: EstateTarget, cluster: RedisCluster): Verdict {
  if (!cluster.production) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `Cluster ${cluster.name} is non-production (environment ${cluster.environment}).`, required: 'Zone spread is advised for production clusters only.', remediation: 'None needed.' };
  }
  const zones = new Map<string, RedisServer[]>();
  const unknown: RedisServer[] = [];
  for (const server of cluster.servers) {
    const zone = zoneOf(target, server);
    if (!zone) {
      unknown.push(server);
      continue;
    }
    const list = zones.get(zone);
    if (list) list.push(server);
    else zones.set(zone, [server]);
  }
  const spread = [...zones].map(([zone, servers]) => `${zone}: ${servers.map((member) => label(member.instanceId, member.name)).join(', ')}`).join('; ');
  if (unknown.length > 0 && zones.size < 2) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `The Availability Zone of ${unknown.map((member) => member.instanceId).join(', ')} is not in the snapshot (no Placement, subnet not described).${spread ? ` Known: ${spread}.` : ''}`, required: REQUIRED, remediation: 'Capture DescribeInstances and DescribeSubnets for these servers and scan again.' };
  }
  const instancesError = ec2Error(target, 'DescribeInstances');
  if (zones.size < 2 && instancesError) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `The servers of ${cluster.name} on record are in one Availability Zone (${spread}), but the instance list is incomplete, so members it hid may be in other zones: ${describeError(instancesError)}.`, required: REQUIRED, remediation: 'Grant the scanner ec2:DescribeInstances and scan again.' };
  }
  if (zones.size < 2) {
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `All ${cluster.servers.length} servers of ${cluster.name} are in one Availability Zone (${spread}): a zone outage takes the whole cluster down.`,
      required: REQUIRED,
      remediation: `Spread the servers over at least two (better three) Availability Zones: launch replacements in Redis subnets of other zones, join them (redis-cli --cluster add-node), move slots and replicas, then retire the old ones. See ${GUIDANCE}.`,
    };
  }
  const view = clusterView(target, cluster);
  const masters = [...view.nodes.values()].filter((n) => n.flags.includes('master') && n.slots.length > 0);
  if (masters.length === 0) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `Servers span ${zones.size} zones (${spread}), but where the masters run is not known: no CLUSTER NODES view in the snapshot.`, required: REQUIRED, remediation: 'Run the Redis probe on every Redis server (Custom:RedisClusterNode rows) and scan again.' };
  }
  const mastersByZone = new Map<string, number>();
  let unplaced = 0;
  for (const master of masters) {
    // A master on a stopped member or on an instance not tagged for the cluster is placed by the address it announces.
    const instance = master.server?.instance ?? master.otherInstance;
    const zone = instance ? zoneOfInstance(target, instance) : undefined;
    if (zone) mastersByZone.set(zone, (mastersByZone.get(zone) ?? 0) + 1);
    else unplaced++;
  }
  const perZone = [...mastersByZone].map(([zone, n]) => `${zone} ${n}`).join(', ');
  // Losing a zone with half the masters leaves half, not a majority: no replica can be promoted.
  const heavy = [...mastersByZone].filter(([, n]) => 2 * n >= masters.length).sort(([za, a], [zb, b]) => b - a || (za < zb ? -1 : 1));
  if (heavy.length > 0) {
    const [zone, n] = heavy[0]!;
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${zone} holds ${n} of ${masters.length} masters (masters per zone: ${perZone}): losing that zone leaves ${masters.length - n} of ${masters.length} masters, not a majority, so no replica can be promoted and the whole cluster stops answering (CLUSTERDOWN on every surviving node). Servers: ${spread}.`,
      required: REQUIRED,
      remediation: `Move masters out of ${zone} (CLUSTER FAILOVER on their replicas in other zones) so every zone holds fewer than half of them; with three servers, use three zones. See ${GUIDANCE}.`,
    };
  }
  if (unplaced > 0 || unknown.length > 0) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `${unplaced + unknown.length} master(s) or server(s) have no known zone. Masters per zone: ${perZone}. Servers: ${spread}.`, required: REQUIRED, remediation: 'Tag and scan every node of the cluster (see cluster.membership), then scan again.' };
  }
  const gaps: string[] = [];
  if (view.unprobed.length > 0) gaps.push(`not every member was probed (${view.unprobedText}), so masters it may hold are not seen`);
  if (view.missingViews.length > 0) gaps.push(`the CLUSTER NODES view of ${view.missingViews.map((m) => `${m.server.instanceId}${m.port !== undefined ? ` port ${m.port}` : ''}`).join(', ')} is missing`);
  const disputed = masters.filter((m) => m.otherVersions.length > 0);
  const disputedAll = [...view.nodes.values()].filter((n) => n.otherVersions.length > 0);
  if (disputedAll.length > 0) gaps.push(`the members' views disagree about ${disputedAll.length} node(s)${disputed.length > 0 ? ' including masters' : ''}, with no line of their own to decide`);
  if (gaps.length > 0) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `Masters per zone as seen: ${perZone}, none holding half; but ${gaps.join('; ')}. Servers: ${spread}.`, required: REQUIRED, remediation: 'Collect the Redis probe rows (Custom:RedisServer and Custom:RedisClusterNode) from every member and scan again.' };
  }
  return { status: 'PASS', severity: SEVERITY, observed: `Servers span ${zones.size} zones (${spread}); masters per zone: ${perZone}, none holding half or more.`, required: REQUIRED, remediation: 'None needed. Keep new servers and masters spread across zones.' };
}
