/**
 * cluster.zone-spread (advisory): a production Redis cluster's servers span at least two Availability
 * Zones, and no zone holds a majority of the masters, so losing one zone leaves a majority of
 * masters to promote replicas. AWS Well-Architected, Reliability pillar, REL10-BP01 "Deploy the
 * workload to multiple locations" (https://docs.aws.amazon.com/wellarchitected/latest/framework/rel_fault_isolation_multiaz_region_system.html).
 * A server's zone: its DescribeInstances Placement.AvailabilityZone, else its subnet's AvailabilityZone.
 */
import { clusterView } from '../cluster/cluster-view';
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { clusterFinding, label, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'low';
const GUIDANCE = 'AWS Well-Architected Reliability pillar, REL10-BP01 "Deploy the workload to multiple locations"';
const REQUIRED = `Production Redis servers in at least two Availability Zones, and no zone holding a majority of the masters (${GUIDANCE}).`;

export const clusterZoneSpreadRule: RuleDefinition = {
  id: 'cluster.zone-spread',
  resourceType: 'Redis::Cluster',
  title: 'Redis cluster spans Availability Zones',
  requirement: REQUIREMENT.prodHighAvailability,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterZoneSpreadRule, cluster, judge(target, cluster)));
  },
};

export function zoneOf(target: EstateTarget, server: RedisServer): string | undefined {
  const placement = (server.instance as { Placement?: { AvailabilityZone?: unknown } }).Placement?.AvailabilityZone;
  if (typeof placement === 'string' && placement !== '') return placement;
  const subnetId = server.instance.SubnetId;
  return subnetId ? target.subnets.get(subnetId)?.AvailabilityZone : undefined;
}

function judge(target: EstateTarget, cluster: RedisCluster): Verdict {
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
  const spread = [...zones].map(([zone, servers]) => `${zone}: ${servers.map((s) => label(s.instanceId, s.name)).join(', ')}`).join('; ');
  if (unknown.length > 0 && zones.size < 2) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `The Availability Zone of ${unknown.map((s) => s.instanceId).join(', ')} is not in the snapshot (no Placement, subnet not described).${spread ? ` Known: ${spread}.` : ''}`, required: REQUIRED, remediation: 'Capture DescribeInstances and DescribeSubnets for these servers and scan again.' };
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
    const zone = master.server ? zoneOf(target, master.server) : undefined;
    if (zone) mastersByZone.set(zone, (mastersByZone.get(zone) ?? 0) + 1);
    else unplaced++;
  }
  const perZone = [...mastersByZone].map(([zone, n]) => `${zone} ${n}`).join(', ');
  const heavy = [...mastersByZone].filter(([, n]) => n > masters.length / 2);
  if (heavy.length > 0) {
    const [zone, n] = heavy[0]!;
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${zone} holds ${n} of ${masters.length} masters (masters per zone: ${perZone}): losing that zone leaves no majority of masters, so no replica can be promoted. Servers: ${spread}.`,
      required: REQUIRED,
      remediation: `Move masters out of ${zone} (CLUSTER FAILOVER on their replicas in other zones) so no zone holds more than half of them; with three servers, use three zones. See ${GUIDANCE}.`,
    };
  }
  if (unplaced > 0 || unknown.length > 0) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `${unplaced + unknown.length} master(s) or server(s) have no known zone. Masters per zone: ${perZone}. Servers: ${spread}.`, required: REQUIRED, remediation: 'Tag and scan every node of the cluster (see cluster.membership), then scan again.' };
  }
  return { status: 'PASS', severity: SEVERITY, observed: `Servers span ${zones.size} zones (${spread}); masters per zone: ${perZone}, none a majority.`, required: REQUIRED, remediation: 'None needed. Keep new servers and masters spread across zones.' };
}
