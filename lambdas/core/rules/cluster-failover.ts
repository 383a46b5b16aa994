/**
 * cluster.failover: a production Redis Cluster survives the loss of any one server (EC2 instance).
 * Judged from the nodes' own CLUSTER NODES views (probe rows): every master serving slots has a
 * replica; losing any one server leaves each of the 16,384 slots with a surviving master or a
 * promotable replica, and leaves a majority of masters alive. The model: lambdas/core/cluster/failover-model.ts
 * and docs/failover-model.md.
 */
import { clusterView, describeNode, machineOf, type ClusterNode, type ClusterView } from '../cluster/cluster-view';
import { analyseFailover, CLUSTER_SLOTS, replicaState, type FailoverAnalysis, type ServerLoss } from '../cluster/failover-model';
import { describeSlots, slotCount } from '../cluster/redis-topology';
import type { EstateTarget, RedisCluster } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { ec2Error } from '../network/missing-evidence';
import { clusterFinding, describeError, label, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'high';
const REQUIRED =
  'Losing any one Redis server leaves all 16,384 slots served: every master has a replica on another server that can take over (replication link up, not flagged nofailover), and no server holds more than a minority of the masters (a replica is promoted only when a majority of masters is alive).';

export const clusterFailoverRule: RuleDefinition = {
  id: 'cluster.failover',
  resourceType: 'Redis::Cluster',
  title: 'Redis Cluster survives the loss of any one server',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterFailoverRule, cluster, clusterVerdict(target, cluster)));
  },
};

function machineLabel(target: EstateTarget, view: ClusterView, machine: string): string {
  const server = view.cluster.servers.find((candidate) => candidate.instanceId === machine);
  if (server) return label(server.instanceId, server.name);
  const instance = target.instancesById.get(machine);
  return instance ? `${machine} (not tagged for this cluster)` : machine;
}

const FULL_COVERAGE_DOWN = 'with cluster-require-full-coverage yes (the Redis default) the whole cluster stops answering (CLUSTERDOWN on every surviving node); only with it set to no do just the keys in those slots fail';
const NO_MAJORITY_DOWN = 'the whole cluster stops answering: without a majority of masters every surviving node refuses all requests (CLUSTERDOWN), even with cluster-require-full-coverage no';

/** Why none of a master's replicas (other than those on `lostMachine`) can take over, or '' when one can. */
function replicaReasons(nodes: readonly ClusterNode[], master: ClusterNode, lostMachine: string | undefined, unreportedLinksUp: boolean): string {
  const others = nodes.filter((n) => n.masterId === master.nodeId && !n.failing && (lostMachine === undefined || machineOf(n) !== lostMachine));
  if (others.length === 0) return lostMachine === undefined ? 'has no replica' : 'has no replica on another server';
  const reasons = others.flatMap((r) => {
    const state = replicaState(r);
    if (state === 'nofailover') return [`${describeNode(r)} is flagged nofailover (cluster-replica-no-failover yes), so it never starts an election`];
    if (state === 'link-down') return [`${describeNode(r)} has its replication link down (master_link_status ${r.linkStatus}: never synced or disconnected, e.g. a wrong masterauth), so Redis refuses its election`];
    if (state === 'link-not-reported' && !unreportedLinksUp) return [`${describeNode(r)} has no reported replication link state (master_link_status)`];
    return [];
  });
  return reasons.length > 0 ? `has ${others.length === 1 ? 'a replica' : 'replicas'}${lostMachine === undefined ? '' : ' on another server'} that cannot take over: ${reasons.join('; ')}` : '';
}

function describeLoss(target: EstateTarget, view: ClusterView, nodes: readonly ClusterNode[], loss: ServerLoss, unreportedLinksUp: boolean): string {
  const who = machineLabel(target, view, loss.machine);
  const count = slotCount(loss.slotsLost);
  const why: string[] = [];
  for (const master of loss.noReplicaLeft) why.push(`master ${describeNode(master)} ${replicaReasons(nodes, master, loss.machine, unreportedLinksUp)}`);
  if (!loss.quorumKept) why.push(`only ${loss.mastersAlive} of ${loss.mastersTotal} masters would remain, not a majority, so no replica can be promoted`);
  return `losing ${who} leaves ${count} of ${CLUSTER_SLOTS} slots (${describeSlots(loss.slotsLost)}) without a master: ${why.join('; ')}. What users see: ${loss.quorumKept ? FULL_COVERAGE_DOWN : NO_MAJORITY_DOWN}`;
}

interface Failures {
  problems: string[];
  remediations: string[];
  analysis: FailoverAnalysis;
}

/** What fails in one layout, with replicas of unreported link state counted as promotable or not. */
function failuresOf(target: EstateTarget, view: ClusterView, nodes: readonly ClusterNode[], unreportedLinksUp: boolean): Failures {
  const analysis = analyseFailover(nodes, unreportedLinksUp);
  const failures = analysis.losses.filter((l) => l.slotsLost.length > 0);
  const problems: string[] = [];
  if (analysis.slotsServed < CLUSTER_SLOTS) problems.push(`only ${analysis.slotsServed} of ${CLUSTER_SLOTS} slots are served by a master even now (${FULL_COVERAGE_DOWN.replace('those slots', 'the unserved slots')})`);
  if (analysis.mastersWithoutReplica.length > 0) {
    problems.push(`master${analysis.mastersWithoutReplica.length === 1 ? '' : 's'} without a replica that can take over: ${analysis.mastersWithoutReplica.map((m) => `${describeNode(m)}, which ${replicaReasons(nodes, m, undefined, unreportedLinksUp)}`).join('; ')}`);
  }
  for (const loss of failures) problems.push(describeLoss(target, view, nodes, loss, unreportedLinksUp));
  const remediations: string[] = [];
  for (const l of failures) if (l.mastersLost.length > 1 && !l.quorumKept) remediations.push(`move all but one master off ${machineLabel(target, view, l.machine)} (CLUSTER FAILOVER on a replica elsewhere)`);
  const stranded = [...analysis.mastersWithoutReplica, ...failures.flatMap((l) => l.noReplicaLeft)];
  for (const master of stranded) {
    const replicas = nodes.filter((n) => n.masterId === master.nodeId && !n.failing && machineOf(n) !== machineOf(master));
    const noFailover = replicas.filter((r) => replicaState(r) === 'nofailover');
    const linkDown = replicas.filter((r) => replicaState(r) === 'link-down');
    for (const r of noFailover) remediations.push(`let replica ${describeNode(r)} take over: set cluster-replica-no-failover no on it (CONFIG SET cluster-replica-no-failover no, and the same in its redis.conf)`);
    for (const r of linkDown) remediations.push(`repair the replication of ${describeNode(r)} (its masterauth must match the master's requirepass, and it must reach the master's client port) until INFO replication shows master_link_status:up`);
    if (noFailover.length === 0 && linkDown.length === 0) remediations.push(`give master ${describeNode(master)} a replica on another server (CLUSTER REPLICATE <${master.nodeId}> on a node elsewhere)`);
  }
  return { problems, remediations: [...new Set(remediations)], analysis };
}

/** Nodes whose viewers disagree (no line of their own decides) give one layout per combination of versions; undefined past `max`. */
function layoutsOf(view: ClusterView, max = 32): ClusterNode[][] | undefined {
  let layouts: ClusterNode[][] = [[]];
  for (const node of view.nodes.values()) {
    const versions: ClusterNode[] = [node, ...node.otherVersions.map((v) => ({ ...node, ...v }))];
    if (layouts.length * versions.length > max) return undefined;
    layouts = layouts.flatMap((layout) => versions.map((v) => [...layout, v]));
  }
  return layouts;
}

export function clusterVerdict(target: EstateTarget, cluster: RedisCluster): Verdict {
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
  const unprobed = view.unprobedText;
  if (view.nodes.size === 0) {
    const modes = [...new Set(view.processes.map((p) => p.mode).filter((m) => m !== undefined))];
    if (view.processes.length > 0 && modes.length > 0 && !modes.includes('cluster')) {
      return {
        status: 'FAIL',
        severity: SEVERITY,
        observed: `No Redis process of cluster ${cluster.name} runs in cluster mode (the probe reports ${modes.sort().join(', ')}), so nothing fails over between servers.${unprobed ? ` Not probed: ${unprobed}` : ''}`,
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
  const layout = describeLayout(target, view);
  const layouts = layoutsOf(view);
  const disputed = [...view.nodes.values()].filter((n) => n.otherVersions.length > 0);
  const disputedText = disputed.length > 0 ? ` The members' views disagree about ${disputed.map(describeNode).join(', ')} (no line of its own in the snapshot decides; stale views).` : '';
  // FAIL only when every reading of the evidence fails (replicas of unreported link state counted as promotable).
  const optimistic = layouts?.map((nodes) => failuresOf(target, view, nodes, true));
  if (optimistic && optimistic.every((f) => f.problems.length > 0)) {
    const first = optimistic[0]!;
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${capitalise(first.problems.join('; '))}. Layout: ${layout}.${disputedText}`,
      required: REQUIRED,
      remediation: `${capitalise(first.remediations.join('; ') || 'add a replica on another server for every master (CLUSTER REPLICATE <master-id> on a node of another server)')}; then check with redis-cli --cluster check that each server holds one master and the replica of another server's master.`,
    };
  }
  // Read the other way only when a replica's link state is missing (otherwise both readings are equal).
  const unreportedLinks = [...view.nodes.values(), ...[...view.nodes.values()].flatMap((n) => n.otherVersions.map((v) => ({ ...n, ...v })))].some((n) => n.masterId !== undefined && replicaState(n) === 'link-not-reported');
  const pessimistic = unreportedLinks ? layouts?.map((nodes) => failuresOf(target, view, nodes, false)) : optimistic;
  const gaps: string[] = [];
  const remediations: string[] = [];
  if (!layouts) {
    gaps.push(`the members' views disagree about ${disputed.length} nodes with no line of their own, too many readings to weigh (${disputed.slice(0, 5).map(describeNode).join(', ')})`);
    remediations.push('Probe every node of the cluster (its own CLUSTER NODES line decides) and run redis-cli --cluster check.');
  } else if (pessimistic!.some((f) => f.problems.length > 0)) {
    const unreported = [...view.nodes.values()].filter((n) => n.masterId !== undefined && !n.failing && replicaState(n) === 'link-not-reported');
    const worst = pessimistic!.find((f) => f.problems.length > 0)!;
    const because = [unreported.length > 0 ? `the replication link state (master_link_status) of replica${unreported.length === 1 ? '' : 's'} ${unreported.map(describeNode).join(', ')} is not reported` : '', disputed.length > 0 ? `the members' views disagree about ${disputed.map(describeNode).join(', ')}` : ''].filter(Boolean).join(', and ');
    gaps.push(`whether the cluster survives depends on evidence the snapshot lacks: ${because}; read the other way, ${worst.problems.join('; ')}`);
    if (unreported.length > 0) remediations.push('Run the Redis probe (inventory/redis-probe.sh) on the servers of these replicas so their master_link_status is recorded.');
    if (disputed.length > 0) remediations.push('Probe the nodes the views disagree about (their own CLUSTER NODES line decides), and CLUSTER FORGET stale nodes.');
  }
  if (view.unprobed.length > 0) {
    gaps.push(`not every member was probed: ${unprobed}`);
    remediations.push('Collect the Redis probe rows from every member of the cluster.');
  }
  if (view.missingViews.length > 0) {
    gaps.push(`the CLUSTER NODES view of ${view.missingViews.map((m) => `${m.server.instanceId}${m.port !== undefined ? ` port ${m.port}` : ''}`).join(', ')} is missing (${[...new Set(view.missingViews.map((m) => m.reason))].join(' ')})`);
    remediations.push('Capture the Custom:RedisClusterNode rows of every member (ssm:ListInventoryEntries).');
  }
  const instancesError = ec2Error(target, 'DescribeInstances');
  const unplaced = [...view.nodes.values()].filter((n) => !n.server && !n.otherInstance);
  // Less evidence never passes: a failed DescribeInstances may have hidden members of the cluster
  // (servers the views do not show, e.g. never joined or running a cluster of their own).
  if (instancesError) {
    gaps.push(
      unplaced.length > 0
        ? `the instance list is incomplete (${describeError(instancesError)}), so the servers behind ${[...new Set(unplaced.map((n) => n.ip || n.nodeId))].join(', ')} are not known and may be one machine`
        : `the instance list is incomplete (${describeError(instancesError)}), so members of the cluster it hid were neither listed nor probed`,
    );
    remediations.push('Grant the scanner ec2:DescribeInstances.');
  }
  if (gaps.length > 0) {
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed: `Whether losing any one server leaves every slot served is not known: ${gaps.join('; ')}. Layout seen: ${layout}.`,
      required: REQUIRED,
      remediation: `${remediations.join(' ')} Then scan again.`,
    };
  }
  const analysis = pessimistic![0]!.analysis;
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
