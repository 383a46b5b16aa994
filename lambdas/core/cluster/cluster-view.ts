/**
 * One Redis cluster (the servers tagged for it) as its nodes see themselves: every process's
 * `CLUSTER NODES` lines joined by node id, each node placed on the EC2 instance that holds its
 * address. Built once per cluster and evaluation (cluster.failover and cluster.membership share it).
 */
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import type { Instance } from '../snapshot/schema';
import { serverProbe } from './probe-topology';
import { isFailing, type ClusterNodeEntry, type ClusterNodeFacts, type ProbedProcess } from './redis-topology';

/** A node as the cluster knows it: its own line when a process of it was probed ("myself"), else the first viewer's. */
export interface ClusterNode extends ClusterNodeFacts {
  /** The tagged member holding the address, if any. */
  server: RedisServer | undefined;
  /** An instance of the snapshot holding the address that is not a member of this cluster. */
  otherInstance: Instance | undefined;
  /** Whether any viewer reports the node failed or unreachable. */
  failing: boolean;
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
  processes: ProbedProcess[];
  /** Nodes by id, in first-seen order. */
  nodes: Map<string, ClusterNode>;
  views: ProcessView[];
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
  const view: ClusterView = { cluster, unprobed: [], processes: [], nodes: new Map(), views: [] };
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
  }
  // The node's own line ("myself") is the authority on its flags, master and slots.
  const ordered = [...lines.filter((l) => l.flags.includes('myself')), ...lines.filter((l) => !l.flags.includes('myself'))];
  for (const line of ordered) {
    const existing = view.nodes.get(line.nodeId);
    if (existing) {
      if (isFailing(line)) existing.failing = true;
      continue;
    }
    const server = memberByAddress.get(line.ip);
    // The whole snapshot's address index only when a node is not a member (usually never: it is built once, for 100k instances).
    const other = server ? undefined : instanceByAddress(target).get(line.ip);
    view.nodes.set(line.nodeId, {
      nodeId: line.nodeId,
      ip: line.ip,
      port: line.port,
      busPort: line.busPort,
      flags: line.flags.filter((f) => f !== 'myself'),
      masterId: line.masterId,
      slots: line.slots,
      server,
      otherInstance: other,
      failing: isFailing(line),
    });
  }
  views.set(cluster, view);
  return view;
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
