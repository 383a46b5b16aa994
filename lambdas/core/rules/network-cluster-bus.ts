/**
 * network.cluster-bus: every other member of the Redis server's cluster can open TCP connections to
 * each of its client ports (config.redisPorts) and cluster bus ports (client port + 10000: 17000 and
 * 17001 in the documented layout, or the bus ports its nodes announce in CLUSTER NODES), through
 * security groups, network ACLs (stateless: the request and the return traffic to the peer's
 * ephemeral ports) and routes. Each server is judged as the destination, so every pair is judged
 * both ways. The flows are evaluated by the shared reachability analyzer (its public API only).
 */
import { clusterView } from '../cluster/cluster-view';
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { reachabilityAnalyzerFor, type DestinationClass, type FlowGroupVerdict, type MembersShape, type ReachabilityAnalyzer } from '../network/reachability-analyzer';
import type { ReachabilityHop } from '../network/reachability';
import { REQUIREMENT } from '../requirements';
import { ec2Error } from '../network/missing-evidence';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';
import { VerdictTemplates, type TemplatedGroup } from './verdict-templates';

/** The cluster bus port of a client port (Redis default: port + 10000). */
export const BUS_PORT_OFFSET = 10000;
const MAX_PROBLEMS = 8;

/** The hops in words, with the connecting member as the source (the analyzer's own names speak of front-ends). */
const HOP_WORDS: Record<ReachabilityHop, string> = {
  'source-address': "the peer's address",
  'destination-address': "this server's address",
  'source-security-group-egress': "the peer's security groups (outbound)",
  'source-network-acl-outbound': "the peer subnet's network ACL (outbound)",
  'source-route': "the peer subnet's route table",
  'destination-network-acl-inbound': "this server's subnet network ACL (inbound)",
  'destination-security-group-ingress': "this server's security groups (inbound)",
  'destination-network-acl-outbound-return': "this server's subnet network ACL (outbound, return traffic)",
  'destination-route-return': "this server's route table (return route)",
  'source-network-acl-inbound-return': "the peer subnet's network ACL (inbound, return traffic)",
};

const peerTexts = new Map<string, string>();

/** The analyzer's sentences name the connecting end "front-end"; here it is a peer Redis server. Memoised: the analyzer shares its sentences between flows. */
function asPeer(text: string): string {
  let out = peerTexts.get(text);
  if (out === undefined) {
    out = text.replace(/front-ends'/g, "peers'").replace(/front-end's/g, "peer's").replace(/front-end/g, 'peer Redis server');
    if (peerTexts.size > 10_000) peerTexts.clear();
    peerTexts.set(text, out);
  }
  return out;
}

export const networkClusterBusRule: RuleDefinition = {
  id: 'network.cluster-bus',
  resourceType: 'AWS::EC2::Instance',
  title: 'Cluster members reach each other on client and cluster bus ports',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    const analyzer = reachabilityAnalyzerFor(target);
    const templates = new VerdictTemplates();
    const instancesError = ec2Error(target, 'DescribeInstances');
    const findings = [];
    for (const cluster of target.clusters) {
      if (cluster.servers.length === 1) {
        // No other member to reach: decided without reading the cluster's probe rows (a non-production
        // estate is mostly single-server clusters).
        const [server] = cluster.servers;
        findings.push(serverFinding(networkClusterBusRule, server!, { status: 'NOT_APPLICABLE', severity: 'info', observed: `${server!.instanceId} is the only server of cluster ${cluster.name}: no other member to reach.`, required: `Each client port and its cluster bus port of this server reachable from every other member of cluster ${cluster.name}.`, remediation: 'None needed.' }));
        continue;
      }
      const ports = portsOf(target, cluster);
      const shape = target.shareVerdicts ? analyzer.membersShapeOf(cluster.servers) : undefined;
      const verdicts =
        shape && shape.groups.every((g) => plainValue(g.GroupId) && (!g.GroupName || plainValue(g.GroupName))) && cluster.servers.every((member) => plainValue(member.instanceId))
          ? templates.verdicts(templatedCluster(analyzer, target, cluster, ports, shape))
          : clusterVerdicts(analyzer, target, cluster, ports);
      const portsLost = lostPortEvidence(target, cluster);
      cluster.servers.forEach((server, i) => {
        const verdict = verdicts[i]!;
        // "Every other member": members the failed listing hid are not judged (less evidence never passes).
        if (verdict.status === 'PASS' && instancesError) findings.push(serverFinding(networkClusterBusRule, server, { ...verdict, status: 'UNKNOWN', observed: `${verdict.observed} But the instance list is incomplete, so members it hid are not judged: ${describeError(instancesError)}.`, remediation: 'Grant the scanner ec2:DescribeInstances and scan again.' }));
        else if (verdict.status === 'PASS' && portsLost) findings.push(serverFinding(networkClusterBusRule, server, { ...verdict, status: 'UNKNOWN', observed: `${verdict.observed} But ${portsLost}`, remediation: 'Grant the scanner ssm:ListInventoryEntries (the Redis probe rows) and scan again.' }));
        else findings.push(serverFinding(networkClusterBusRule, server, verdict));
      });
    }
    return findings;
  },
};

/** The verdict of every member of a cluster of two or more, in member order. */
function clusterVerdicts(analyzer: ReachabilityAnalyzer, target: EstateTarget, cluster: RedisCluster, ports: number[]): Verdict[] {
  const portText = ports.map((p) => `TCP ${p}`).join(', ');
  const required = `${portText} of this server reachable from every other member of cluster ${cluster.name}: security groups both ends, network ACLs both ways (including return traffic) and routes both ways.`;
  // Members of one destination class get equal analyses from the same source list (the
  // analyzer's destinationClassOf contract): analysed once per class and cluster.
  const byClass = new Map<DestinationClass, FlowGroupVerdict[]>();
  const analyse = (server: RedisServer): FlowGroupVerdict[] => {
    const placement = target.shareVerdicts ? analyzer.destinationClassOf(cluster.servers, server) : undefined;
    if (placement === undefined) return analyzer.analyse(cluster.servers, server, ports);
    let groups = byClass.get(placement);
    if (!groups) byClass.set(placement, (groups = analyzer.analyse(cluster.servers, server, ports)));
    return groups;
  };
  return cluster.servers.map((server) => memberVerdict(cluster, server, ports, portText, required, analyse));
}

const CLUSTER_NAME = '\u0000C\u0000';

/**
 * A cluster of a members shape (see ReachabilityAnalyzer.membersShapeOf): clusters of equal shape,
 * ports and production flag get the same verdicts up to the cluster's name, its members' ids and
 * the ids and names of the groups the shape numbers. Values by slot: the name, the member ids, the
 * group ids, the group names; each stand-in's placeholder has the slot of what it stands for.
 */
function templatedCluster(analyzer: ReachabilityAnalyzer, target: EstateTarget, cluster: RedisCluster, ports: number[], shape: MembersShape): TemplatedGroup {
  const members = cluster.servers.length;
  const groups = shape.groups.length;
  return {
    key: `${cluster.production}|${ports.join(',')}|${shape.key}`,
    values: [cluster.name, ...cluster.servers.map((member) => member.instanceId), ...shape.groups.map((g) => g.GroupId), ...shape.groups.map((g) => g.GroupName ?? '')],
    judge: () => clusterVerdicts(analyzer, target, cluster, ports),
    judgeStandIns: () => {
      const standIns = analyzer.canonicalMembers(cluster.servers, shape);
      const slots = new Map<string, number>([[CLUSTER_NAME, 0]]);
      standIns.servers.forEach((standIn, index) => slots.set(standIn.instanceId, 1 + index));
      standIns.groups.forEach((g, i) => {
        slots.set(g.GroupId, 1 + members + i);
        if (g.GroupName && g.GroupName !== g.GroupId) slots.set(g.GroupName, 1 + members + groups + i);
      });
      return {
        verdicts: clusterVerdicts(analyzer, target, { ...cluster, name: CLUSTER_NAME, servers: standIns.servers as RedisServer[] }, ports),
        slotOf: (placeholder: string) => slots.get(placeholder),
      };
    },
  };
}

/**
 * Whether an id or name may be put back into a template: the words of this rule rewrite "front-end"
 * in the analyzer's sentences and drop their final full stops, which a template cannot do to the
 * ids and names it puts back afterwards.
 */
function plainValue(text: string): boolean {
  return !text.includes('front-end') && !text.endsWith('.');
}

/**
 * Why the ports judged may be incomplete: probe rows (the bus ports nodes announce) of members were
 * lost with a recorded inventory failure. Members merely not probed are judged on the documented ports.
 */
function lostPortEvidence(target: EstateTarget, cluster: RedisCluster): string | undefined {
  const error = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
  if (!error) return undefined;
  const view = clusterView(target, cluster);
  const members = [...new Set([...view.unprobed.map((u) => u.server.instanceId), ...view.missingViews.map((m) => m.server.instanceId)])];
  if (members.length === 0) return undefined;
  return `the Redis probe rows of ${members.join(', ')} are missing and the inventory read failed (${describeError(error)}), so cluster bus ports their nodes announce (beyond port + ${BUS_PORT_OFFSET}) are not known.`;
}

/** Client ports and their bus ports, plus any bus port the nodes announce. */
function portsOf(target: EstateTarget, cluster: RedisCluster): number[] {
  const ports = new Set<number>();
  for (const port of target.config.redisPorts) {
    ports.add(port);
    if (port + BUS_PORT_OFFSET <= 65535) ports.add(port + BUS_PORT_OFFSET);
  }
  for (const node of clusterView(target, cluster).nodes.values()) if (node.server && node.busPort !== undefined) ports.add(node.busPort);
  return [...ports].sort((a, b) => a - b);
}

function describeFlowGroup(group: FlowGroupVerdict): string {
  const peers = group.frontends.map((f) => f.instanceId);
  const who = peers.length === 1 ? `peer ${peers[0]}` : `${peers.length} peers (${peers.slice(0, 5).join(', ')}${peers.length > 5 ? ` and ${peers.length - 5} more` : ''})`;
  const where = group.result.hop ? ` at ${HOP_WORDS[group.result.hop]}` : '';
  return `TCP ${group.port} from ${who}${where}: ${asPeer(group.result.detail).replace(/\.+$/, '')}`;
}

function remediationText(groups: readonly FlowGroupVerdict[], verdict: 'blocked' | 'unknown'): string {
  const all = new Set<string>();
  for (const g of groups) for (const issue of g.result.issues) if (issue.verdict === verdict) all.add(asPeer(issue.fix));
  const list = [...all];
  return list.length > MAX_PROBLEMS ? `${list.slice(0, MAX_PROBLEMS).join(' ')} (and ${list.length - MAX_PROBLEMS} more changes of the same kind)` : list.join(' ');
}

function problemsText(groups: readonly FlowGroupVerdict[]): string {
  const shown = groups.slice(0, MAX_PROBLEMS).map(describeFlowGroup);
  if (groups.length > MAX_PROBLEMS) shown.push(`and ${groups.length - MAX_PROBLEMS} more`);
  return shown.join(' | ');
}

function memberVerdict(cluster: RedisCluster, server: RedisServer, ports: number[], portText: string, required: string, analyse: (server: RedisServer) => FlowGroupVerdict[]): Verdict {
  const severity = cluster.production ? 'high' : 'medium';
  const peers = cluster.servers.filter((member) => member !== server);
  if (peers.length === 0) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `${server.instanceId} is the only server of cluster ${cluster.name}: no other member to reach.`, required, remediation: 'None needed.' };
  }
  // Analysed from every member (one list per cluster, so the analyzer groups the sources once per
  // cluster, not once per server), then the server's own flows are dropped.
  const groups: FlowGroupVerdict[] = [];
  for (const group of analyse(server)) {
    if (!group.frontends.includes(server)) groups.push(group);
    else if (group.frontends.length > 1) groups.push({ ...group, frontends: group.frontends.filter((member) => member !== server) });
  }
  const blocked = groups.filter((g) => g.result.verdict === 'blocked');
  const unknown = groups.filter((g) => g.result.verdict === 'unknown');
  const pairs = peers.length * ports.length;
  if (blocked.length > 0) {
    const count = blocked.reduce((n, g) => n + g.frontends.length, 0);
    return {
      status: 'FAIL',
      severity,
      observed: `${count} of ${pairs} (peer, port) pairs are blocked: ${problemsText(blocked)}${unknown.length > 0 ? `. Also not judged: ${problemsText(unknown)}` : ''}. Without the bus port the nodes cannot gossip or fail over; without the client port replicas cannot sync.`,
      required,
      remediation: remediationText(blocked, 'blocked'),
    };
  }
  if (unknown.length > 0) {
    const count = unknown.reduce((n, g) => n + g.frontends.length, 0);
    return { status: 'UNKNOWN', severity, observed: `${count} of ${pairs} (peer, port) pairs cannot be judged from the snapshot: ${problemsText(unknown)}.`, required, remediation: remediationText(unknown, 'unknown') };
  }
  return {
    status: 'PASS',
    severity,
    observed: `All ${peers.length} other member(s) (${peers.map((p) => p.instanceId).join(', ')}) reach ${portText}. For example: ${asPeer(groups[0]!.result.detail)}`,
    required,
    remediation: `None needed. Keep the Redis security group rules for ${portText} from the cluster's own group, and network ACLs open for the return traffic.`,
  };
}
