/**
 * One Redis cluster (the servers tagged for it) as its nodes see themselves: every process's
 * `CLUSTER NODES` lines joined by node id, each node placed on the EC2 instance that holds its
 * address. Built once per cluster and evaluation (cluster.failover and cluster.membership share it).
 */
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import type { Instance } from '../snapshot/schema';
import { label } from '../rules/rule';
import { serverProbe } from './probe-topology';
import { isFailing, type ClusterNodeEntry, type ClusterNodeFacts, type ProbedProcess } from './redis-topology';

/**
 * A node as the cluster knows it: its own line when a process of it was probed ("myself"), else what
 * its viewers say of it. Viewers can disagree (a stale view); the version chosen does not depend on
 * the order of the rows (the one most viewers give, ties broken by content), and the others are kept.
 */
export interface ClusterNode extends ClusterNodeFacts {
  /** The tagged member holding the address, if any. */
  server: RedisServer | undefined;
  /** An instance of the snapshot holding the address that is not a member of this cluster. */
  otherInstance: Instance | undefined;
  /** Whether any viewer reports the node failed or unreachable. */
  failing: boolean;
  /** A replica's replication link as its own probed process reports it (master_link_status `up` / `down`); undefined when not reported. */
  linkStatus: string | undefined;
  /** Other versions of the node's facts given by viewers, when no line of its own decides (a stale or split view). */
  otherVersions: PlacedFacts[];
}

/** What a line says of a node, placed on the instance holding its address. */
export interface PlacedFacts extends ClusterNodeFacts {
  server: RedisServer | undefined;
  otherInstance: Instance | undefined;
}

export interface ProcessView {
  instanceId: string;
  port: number | undefined;
  /** The node ids this process knows (its CLUSTER NODES lines). */
  nodeIds: ReadonlySet<string>;
}

export interface ClusterView {
  cluster: RedisCluster;
  /** Members whose probe rows are missing, with the reason. */
  unprobed: Array<{ server: RedisServer; reason: string }>;
  /** The unprobed members as findings name them ("i-1 (name): reason", space-separated; '' when none): one string for every rule that writes it. */
  unprobedText: string;
  processes: ProbedProcess[];
  /** Nodes by id, in first-seen order. */
  nodes: Map<string, ClusterNode>;
  views: ProcessView[];
  /** Processes of probed members that run in cluster mode but whose CLUSTER NODES answer is not in the snapshot. */
  missingViews: Array<{ server: RedisServer; port: number | undefined; reason: string }>;
}

/** Every private IPv4 and IPv6 address of an instance (primary and secondary, every interface). */
export function addressesOf(instance: Instance): string[] {
  const out = new Set<string>();
  if (instance.PrivateIpAddress) out.add(instance.PrivateIpAddress);
  if (instance.Ipv6Address) out.add(instance.Ipv6Address);
  for (const eni of instance.NetworkInterfaces ?? []) {
    if (eni.PrivateIpAddress) out.add(eni.PrivateIpAddress);
    for (const a of eni.PrivateIpAddresses ?? []) if (a.PrivateIpAddress) out.add(a.PrivateIpAddress);
    for (const a of eni.Ipv6Addresses ?? []) if (a.Ipv6Address) out.add(a.Ipv6Address);
  }
  return [...out];
}

const instancesByAddress = new WeakMap<EstateTarget, Map<string, Instance>>();

function instanceByAddress(target: EstateTarget): Map<string, Instance> {
  let index = instancesByAddress.get(target);
  if (!index) {
    index = new Map();
    for (const instance of target.instancesById.values()) for (const address of addressesOf(instance)) if (!index.has(address)) index.set(address, instance);
    instancesByAddress.set(target, index);
  }
  return index;
}

/** Per target, the view of each cluster (one weak entry per target, not one per cluster: 50k weak entries cost the garbage collector). */
const viewsByTarget = new WeakMap<EstateTarget, Map<RedisCluster, ClusterView>>();

export function clusterView(target: EstateTarget, cluster: RedisCluster): ClusterView {
  let views = viewsByTarget.get(target);
  if (!views) viewsByTarget.set(target, (views = new Map()));
  const known = views.get(cluster);
  if (known) return known;
  const memberByAddress = new Map<string, RedisServer>();
  for (const server of cluster.servers) for (const address of addressesOf(server.instance)) memberByAddress.set(address, server);
  const view: ClusterView = { cluster, unprobed: [], unprobedText: '', processes: [], nodes: new Map(), views: [], missingViews: [] };
  const lines: ClusterNodeEntry[] = [];
  for (const server of cluster.servers) {
    const probe = serverProbe(target, server);
    if (!probe.found) {
      view.unprobed.push({ server, reason: probe.reason });
      continue;
    }
    view.processes.push(...probe.processes);
    lines.push(...probe.nodes);
    const byPort = new Map<string, Set<string>>();
    for (const line of probe.nodes) {
      const key = String(line.viewerPort ?? '');
      let ids = byPort.get(key);
      if (!ids) byPort.set(key, (ids = new Set()));
      ids.add(line.nodeId);
    }
    for (const [port, nodeIds] of byPort) view.views.push({ instanceId: server.instanceId, port: port === '' ? undefined : Number(port), nodeIds });
    // A process that answered in cluster mode has a CLUSTER NODES answer; without it, its view is lost evidence.
    for (const process of probe.processes) {
      if (process.error !== undefined || process.mode !== 'cluster') continue;
      const seen = process.port === undefined ? probe.nodes.length > 0 : byPort.has(String(process.port));
      if (!seen) view.missingViews.push({ server, port: process.port, reason: probe.nodesMissing ?? `its CLUSTER NODES answer (${server.instanceId}${process.port !== undefined ? ` port ${process.port}` : ''}) is not among the Custom:RedisClusterNode rows` });
    }
  }
  view.unprobedText = view.unprobed.map((u) => `${label(u.server.instanceId, u.server.name)}: ${u.reason}`).join(' ');
  const linkByNode = new Map<string, string | undefined>();
  for (const process of view.processes) {
    if (process.nodeId === undefined || process.error !== undefined) continue;
    const status = process.role === 'slave' ? process.masterLinkStatus : undefined;
    // Two processes claiming one node id and disagreeing: the link state is not known.
    linkByNode.set(process.nodeId, linkByNode.has(process.nodeId) && linkByNode.get(process.nodeId) !== status ? undefined : status);
  }
  const byNode = new Map<string, { own: ClusterNodeEntry[]; seen: ClusterNodeEntry[]; failing: boolean }>();
  for (const line of lines) {
    let entry = byNode.get(line.nodeId);
    if (!entry) byNode.set(line.nodeId, (entry = { own: [], seen: [], failing: false }));
    (line.flags.includes('myself') ? entry.own : entry.seen).push(line);
    if (isFailing(line)) entry.failing = true;
  }
  // Nodes in order of their id, so nothing depends on the order of the rows.
  for (const nodeId of [...byNode.keys()].sort()) {
    const entry = byNode.get(nodeId)!;
    // The node's own line ("myself") is the authority on its flags, master and slots.
    const versions = rankVersions(entry.own.length > 0 ? entry.own : entry.seen);
    const place = (line: ClusterNodeEntry): PlacedFacts => {
      const server = memberByAddress.get(line.ip);
      // The whole snapshot's address index only when a node is not a member (usually never: it is built once, for 100k instances).
      return { ...factsOf(line), server, otherInstance: server ? undefined : instanceByAddress(target).get(line.ip) };
    };
    view.nodes.set(nodeId, {
      ...place(versions[0]!),
      failing: entry.failing,
      linkStatus: linkByNode.get(nodeId),
      otherVersions: entry.own.length > 0 ? [] : versions.slice(1).map(place),
    });
  }
  views.set(cluster, view);
  return view;
}

const PER_VIEWER_FLAGS = new Set(['myself', 'fail', 'fail?', 'handshake']);

function factsOf(line: ClusterNodeEntry): ClusterNodeFacts {
  return { nodeId: line.nodeId, ip: line.ip, port: line.port, busPort: line.busPort, flags: line.flags.filter((f) => !PER_VIEWER_FLAGS.has(f)), masterId: line.masterId, slots: line.slots };
}

/** What a line says of the node itself (not the viewer's opinion of its health), as a comparable text. */
function factsKey(line: ClusterNodeFacts): string {
  const flags = line.flags.filter((f) => !PER_VIEWER_FLAGS.has(f)).sort();
  const slots = [...line.slots].map(([a, b]) => `${a}-${b}`).sort();
  return JSON.stringify([line.ip, line.port ?? null, line.busPort ?? null, flags, line.masterId ?? null, slots]);
}

/** One line per distinct version of the node's facts, the one most lines give first (ties: by content). */
function rankVersions(lines: readonly ClusterNodeEntry[]): ClusterNodeEntry[] {
  // The usual case (one line of its own): nothing to weigh.
  if (lines.length === 1) return [lines[0]!];
  const groups = new Map<string, { line: ClusterNodeEntry; count: number }>();
  for (const line of lines) {
    const key = factsKey(line);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { line, count: 1 });
  }
  return [...groups].sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0)).map(([, g]) => g.line);
}

/** "10.0.1.11:7000 (i-0abc, redis-prod-1)" or "10.9.9.9:7000 (no tagged Redis server)". */
export function describeNode(node: ClusterNode): string {
  const where = node.server
    ? `${node.server.instanceId}${node.server.name ? `, ${node.server.name}` : ''}`
    : node.otherInstance
      ? `instance ${node.otherInstance.InstanceId}, not tagged for this cluster`
      : 'no instance of the snapshot has this address';
  return `${node.ip || '(no address)'}${node.port !== undefined ? `:${node.port}` : ''} (${where})`;
}

/** The key a node's machine is known by: its instance id, else its address (an unknown machine). */
export function machineOf(node: ClusterNode): string {
  return node.server?.instanceId ?? node.otherInstance?.InstanceId ?? `address ${node.ip || node.nodeId}`;
}
