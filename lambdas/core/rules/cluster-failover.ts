/**
 * cluster.failover: a production Redis Cluster survives the loss of any one server (EC2 instance).
 * Judged from the nodes' own CLUSTER NODES views (probe rows): every master serving slots has a
 * replica; losing any one server leaves each of the 16,384 slots with a surviving master or a
 * promotable replica, and leaves a majority of masters alive. The model: lambdas/core/cluster/failover-model.ts
 * and docs/failover-model.md.
 */
import { clusterView, describeNode, machineOf, type ClusterView } from '../cluster/cluster-view';
import { analyseFailover, CLUSTER_SLOTS, type ServerLoss } from '../cluster/failover-model';
import { describeSlots, slotCount } from '../cluster/redis-topology';
import type { EstateTarget, RedisCluster } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { clusterFinding, label, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'high';
const REQUIRED =
  'Losing any one Redis server leaves all 16,384 slots served: every master has a replica on another server, and no server holds more than a minority of the masters (a replica is promoted only when a majority of masters is alive).';

export const clusterFailoverRule: RuleDefinition = {
  id: 'cluster.failover',
  resourceType: 'Redis::Cluster',
  title: 'Redis Cluster survives the loss of any one server',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterFailoverRule, cluster, judge(target, cluster)));
  },
};

function machineLabel(target: EstateTarget, view: ClusterView, machine: string): string {
  const server = view.cluster.servers.find((s) => s.instanceId === machine);
  if (server) return label(server.instanceId, server.name);
  const instance = target.instancesById.get(machine);
  return instance ? `${machine} (not tagged for this cluster)` : machine;
}

function describeLoss(target: EstateTarget, view: ClusterView, loss: ServerLoss): string {
  const who = machineLabel(target, view, loss.machine);
  const count = slotCount(loss.slotsLost);
  const why: string[] = [];
  if (loss.noReplicaLeft.length > 0) why.push(`master${loss.noReplicaLeft.length === 1 ? '' : 's'} ${loss.noReplicaLeft.map(describeNode).join(', ')} ${loss.noReplicaLeft.length === 1 ? 'has' : 'have'} no replica on another server`);
  if (!loss.quorumKept) why.push(`only ${loss.mastersAlive} of ${loss.mastersTotal} masters would remain, not a majority, so no replica can be promoted`);
  return `losing ${who} leaves ${count} of ${CLUSTER_SLOTS} slots (${describeSlots(loss.slotsLost)}) without a master: ${why.join('; ')}`;
}

export function judge(target: EstateTarget, cluster: RedisCluster): Verdict {
  if (!cluster.production) {
    return {
      status: 'NOT_APPLICABLE',
      severity: 'info',
      observed: `Cluster ${cluster.name} is non-production (environment ${cluster.environment}): high availability is required for production only.`,
      required: 'Failover across servers is required for production environments only.',
      remediation: 'None needed.',
    };
  }
  const view = clusterView(target, cluster);
  const unprobed = view.unprobed.map((u) => `${label(u.server.instanceId, u.server.name)}: ${u.reason}`).join(' ');
  if (view.nodes.size === 0) {
    const modes = [...new Set(view.processes.map((p) => p.mode).filter((m) => m !== undefined))];
    if (view.processes.length > 0 && modes.length > 0 && !modes.includes('cluster')) {
      return {
        status: 'FAIL',
        severity: SEVERITY,
        observed: `No Redis process of cluster ${cluster.name} runs in cluster mode (the probe reports ${modes.join(', ')}), so nothing fails over between servers.${unprobed ? ` Not probed: ${unprobed}` : ''}`,
        required: REQUIRED,
        remediation: `Run ${cluster.name} as a Redis Cluster with one master and one replica per server, each replica on another server than its master (redis-cli --cluster create ... --cluster-replicas 1), see cluster.mode.`,
      };
    }
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed: `No CLUSTER NODES view of cluster ${cluster.name} is in the snapshot, so which server holds which master and replica is not known.${unprobed ? ` ${unprobed}` : ''}`,
      required: REQUIRED,
      remediation: 'Run the Redis probe (inventory/redis-probe.sh) on every Redis server through the SSM inventory association so Custom:RedisServer and Custom:RedisClusterNode rows are collected, then scan again.',
    };
  }
  const analysis = analyseFailover([...view.nodes.values()]);
  const failures = analysis.losses.filter((l) => l.slotsLost.length > 0);
  const layout = describeLayout(target, view);
  const problems: string[] = [];
  if (analysis.slotsServed < CLUSTER_SLOTS) problems.push(`only ${analysis.slotsServed} of ${CLUSTER_SLOTS} slots are served by a master even now`);
  if (analysis.mastersWithoutReplica.length > 0) problems.push(`master${analysis.mastersWithoutReplica.length === 1 ? '' : 's'} without a replica that can take over: ${analysis.mastersWithoutReplica.map(describeNode).join(', ')}`);
  for (const loss of failures) problems.push(describeLoss(target, view, loss));
  if (problems.length > 0) {
    const moves = failures.flatMap((l) => l.mastersLost.length > 1 && !l.quorumKept ? [`move all but one master off ${machineLabel(target, view, l.machine)} (CLUSTER FAILOVER on a replica elsewhere)`] : []);
    const ownReplica = failures.flatMap((l) => l.noReplicaLeft.map((m) => `give master ${describeNode(m)} a replica on another server (CLUSTER REPLICATE <${m.nodeId}> on a node elsewhere)`));
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${capitalise(problems.join('; '))}. Layout: ${layout}.`,
      required: REQUIRED,
      remediation: `${capitalise([...new Set([...moves, ...ownReplica])].join('; ') || 'add a replica on another server for every master (CLUSTER REPLICATE <master-id> on a node of another server)')}; then check with redis-cli --cluster check that each server holds one master and the replica of another server's master.`,
    };
  }
  if (view.unprobed.length > 0) {
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed: `The views available survive any one server loss, but not every member was probed: ${unprobed} Layout seen: ${layout}.`,
      required: REQUIRED,
      remediation: 'Collect the Redis probe rows from every member of the cluster and scan again.',
    };
  }
  return {
    status: 'PASS',
    severity: SEVERITY,
    observed: `Losing any one of ${analysis.losses.length} servers leaves all ${CLUSTER_SLOTS} slots served and a majority of the ${analysis.masters.length} masters alive. Layout: ${layout}.`,
    required: REQUIRED,
    remediation: 'None needed. Keep each replica on another server than its master when replacing nodes (check with redis-cli --cluster check).',
  };
}

/** "i-1 (redis-prod-1): master 10.0.1.11:7000, replica of 10.0.1.12:7000; ..." */
function describeLayout(target: EstateTarget, view: ClusterView): string {
  const byMachine = new Map<string, string[]>();
  const nodes = [...view.nodes.values()];
  for (const node of nodes) {
    const machine = machineOf(node);
    const master = node.masterId ? view.nodes.get(node.masterId) : undefined;
    const role = node.flags.includes('master') ? `master ${node.ip}:${node.port ?? '?'}` : `replica ${node.ip}:${node.port ?? '?'} of ${master ? `${master.ip}:${master.port ?? '?'}` : node.masterId ?? 'an unknown master'}`;
    const text = `${role}${node.failing ? ' (failing)' : ''}`;
    const list = byMachine.get(machine);
    if (list) list.push(text);
    else byMachine.set(machine, [text]);
  }
  return [...byMachine].map(([machine, roles]) => `${machineLabel(target, view, machine)}: ${roles.join(', ')}`).join('; ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
