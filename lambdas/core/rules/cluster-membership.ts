/**
 * cluster.membership: the nodes a Redis Cluster knows are exactly the running servers tagged for it.
 * A node at an address that no tagged member holds (an unscanned machine, perhaps public) or a
 * tagged member the cluster does not know fails; so does a split view (members that know different
 * node sets). Evidence: the CLUSTER NODES view of every probed process (probe rows).
 */
import { addressesOf, clusterView, describeNode, type ClusterNode, type PlacedFacts } from '../cluster/cluster-view';
import type { EstateTarget, RedisCluster } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { ec2Error } from '../network/missing-evidence';
import { clusterFinding, describeError, label, type RuleDefinition, type Verdict } from './rule';

const REQUIRED = 'The Redis Cluster knows exactly the running Redis servers tagged for it (every node on a tagged member, every tagged member a node), and every member sees the same node set.';

export const clusterMembershipRule: RuleDefinition = {
  id: 'cluster.membership',
  resourceType: 'Redis::Cluster',
  title: 'Redis Cluster members are exactly the tagged servers',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterMembershipRule, cluster, clusterVerdict(target, cluster)));
  },
};

export function clusterVerdict(target: EstateTarget, cluster: RedisCluster): Verdict {
  const severity = cluster.production ? 'high' : 'medium';
  const tags = target.config.tags;
  const view = clusterView(target, cluster);
  const unprobed = view.unprobedText;
  if (view.nodes.size === 0) {
    const modes = new Set(view.processes.map((p) => p.mode).filter((m) => m !== undefined));
    if (view.processes.length > 0 && modes.size > 0 && !modes.has('cluster')) {
      return { status: 'NOT_APPLICABLE', severity: 'info', observed: `No Redis process of ${cluster.name} runs in cluster mode (${[...modes].join(', ')}): there is no cluster membership to check.`, required: REQUIRED, remediation: 'None needed for membership (cluster.mode judges whether a Redis Cluster is required).' };
    }
    if (!cluster.production && cluster.servers.length === 1) {
      return { status: 'NOT_APPLICABLE', severity: 'info', observed: `${cluster.name} is a single non-production server with no CLUSTER NODES view: no cluster membership to check.`, required: REQUIRED, remediation: 'None needed.' };
    }
    return {
      status: 'UNKNOWN',
      severity,
      observed: `No CLUSTER NODES view of cluster ${cluster.name} is in the snapshot.${unprobed ? ` ${unprobed}` : ''}`,
      required: REQUIRED,
      remediation: 'Run the Redis probe (inventory/redis-probe.sh) on every Redis server through the SSM inventory association, then scan again.',
    };
  }
  const nodes = [...view.nodes.values()];
  const instancesError = ec2Error(target, 'DescribeInstances');
  // A node is judged by every version its viewers give of it (a stale view may place it elsewhere).
  const versionsOf = (n: ClusterNode): PlacedFacts[] => [n, ...n.otherVersions];
  const outside = (v: PlacedFacts) => v.server === undefined && !v.flags.includes('noaddr');
  // An address no listed instance holds may belong to an instance the failed listing hid (perhaps a tagged member).
  const strangers = nodes.filter((n) => versionsOf(n).every((v) => outside(v) && (v.otherInstance !== undefined || !instancesError)));
  const maybeStrangers = nodes.filter((n) => !strangers.includes(n) && versionsOf(n).some(outside));
  const knownAddresses = new Set(nodes.flatMap((n) => versionsOf(n).map((v) => v.ip)));
  const running = cluster.servers.filter((member) => member.instance.State?.Name === 'running');
  const unknownMembers = running.filter((member) => !addressesOf(member.instance).some((a) => knownAddresses.has(a)));
  const distinct = new Map<string, string[]>();
  for (const v of view.views) {
    const key = [...v.nodeIds].sort().join(',');
    const who = `${v.instanceId}${v.port !== undefined ? `:${v.port}` : ''}`;
    const list = distinct.get(key);
    if (list) list.push(who);
    else distinct.set(key, [who]);
  }
  const problems: string[] = [];
  const remediations: string[] = [];
  if (strangers.length > 0) {
    problems.push(`the cluster knows ${strangers.length} node${strangers.length === 1 ? '' : 's'} on no server tagged for ${cluster.name}: ${strangers.map(describeNode).join(', ')}`);
    remediations.push(`Find the machine behind ${strangers.map((n) => n.ip || n.nodeId).join(', ')}: if it belongs to the cluster, tag it ${tags.roleKey}=${tags.redisRole}, ${tags.clusterKey}=${cluster.name} so it is scanned; if not, remove it (CLUSTER FORGET <node-id> on every node, after moving its slots away with redis-cli --cluster reshard).`);
  }
  if (unknownMembers.length > 0) {
    problems.push(`tagged server${unknownMembers.length === 1 ? '' : 's'} ${unknownMembers.map((member) => label(member.instanceId, member.name)).join(', ')} ${unknownMembers.length === 1 ? 'is' : 'are'} not a node of the cluster`);
    remediations.push(`Join ${unknownMembers.map((member) => member.instanceId).join(', ')} to the cluster (redis-cli --cluster add-node <ip>:7000 <existing-node>:7000, and the replica on 7001 with --cluster-slave), or remove the ${tags.clusterKey}=${cluster.name} tag if it is not meant to be a member.`);
  }
  if (distinct.size > 1) {
    const sets = [...distinct].map(([key, who]) => `${who.join(', ')} know${who.length === 1 ? 's' : ''} ${key === '' ? 0 : key.split(',').length} nodes`);
    problems.push(`the members do not agree on the node set (split view): ${sets.join('; ')}`);
    remediations.push('Check the cluster bus (network.cluster-bus) and run redis-cli --cluster check; CLUSTER MEET the nodes that are missing from some views, or CLUSTER FORGET stale ones on every node.');
  }
  const summary = `${nodes.length} node${nodes.length === 1 ? '' : 's'} known (${nodes.map(describeNode).join(', ')}); ${running.length} running tagged server${running.length === 1 ? '' : 's'}`;
  if (problems.length > 0) {
    return { status: 'FAIL', severity, observed: `${capitalise(problems.join('; '))}. Seen: ${summary}.`, required: REQUIRED, remediation: remediations.join(' ') };
  }
  if (view.unprobed.length > 0) {
    return { status: 'UNKNOWN', severity, observed: `The views available agree with the tags (${summary}), but not every member was probed: ${unprobed}`, required: REQUIRED, remediation: 'Collect the Redis probe rows from every member of the cluster and scan again.' };
  }
  if (view.missingViews.length > 0) {
    return { status: 'UNKNOWN', severity, observed: `The views available agree with the tags (${summary}), but the CLUSTER NODES view of ${view.missingViews.map((m) => `${m.server.instanceId}${m.port !== undefined ? ` port ${m.port}` : ''}`).join(', ')} is missing, so whether every member sees the same nodes is not known: ${[...new Set(view.missingViews.map((m) => m.reason))].join(' ')}`, required: REQUIRED, remediation: 'Capture the Custom:RedisClusterNode rows of every member (ssm:ListInventoryEntries) and scan again.' };
  }
  if (maybeStrangers.length > 0) {
    const why = instancesError ? `the instance list is incomplete (${describeError(instancesError)}), so the instances behind them are not known (they may be tagged members)` : 'the members\' views disagree about where these nodes are';
    return { status: 'UNKNOWN', severity, observed: `The views available agree with the tags (${summary}), except for ${maybeStrangers.map(describeNode).join(', ')}: ${why}.`, required: REQUIRED, remediation: instancesError ? 'Grant the scanner ec2:DescribeInstances and scan again.' : 'Run redis-cli --cluster check, CLUSTER FORGET stale nodes on every node, and scan again.' };
  }
  if (instancesError) {
    // A tagged server the failed listing hid may be outside the cluster (less evidence never passes).
    return { status: 'UNKNOWN', severity, observed: `The views available agree with the tags (${summary}), but the instance list is incomplete, so tagged servers it hid are not judged: ${describeError(instancesError)}.`, required: REQUIRED, remediation: 'Grant the scanner ec2:DescribeInstances and scan again.' };
  }
  return { status: 'PASS', severity, observed: `Every member sees the same ${nodes.length} nodes, all on the ${running.length} tagged servers: ${nodes.map(describeNode).join(', ')}.`, required: REQUIRED, remediation: 'None needed. Tag new Redis servers before joining them to the cluster.' };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
