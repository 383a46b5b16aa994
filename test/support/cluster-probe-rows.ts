/**
 * Probe rows (docs/redis-probe.md, schema 2.0) for a Redis Cluster laid out over test servers:
 * Custom:RedisServer rows for each server's processes, and Custom:RedisClusterNode rows giving every
 * process's view of the whole cluster (as CLUSTER NODES would). Written into the estate's inventory
 * entities in GetInventory's entity shape.
 */
import type { EstateBuilder } from './estate-builder';

export interface NodeSpec {
  /** Index into the servers list; -1 for a node on a machine that is not probed (give `announce`). */
  server: number;
  port: number;
  /** For a replica: the index (into nodes) of its master. */
  replicaOf?: number;
  /** For a master: slot ranges as the probe writes them, e.g. "0-5460". */
  slots?: string;
  /** Extra flags (e.g. 'fail'). */
  flags?: string[];
  maxmemory?: number;
  usedMemory?: number;
  /** Announce this address instead of the server's. */
  announce?: string;
  /** A replica's master_link_status (default `up`); '' leaves it unreported. */
  linkStatus?: string;
}

export interface ServerSpec {
  instanceId: string;
  ip: string;
  totalSystemMemory?: number;
}

export function nodeId(index: number): string {
  return (index + 1).toString(16).padStart(2, '0').repeat(20);
}

/** The documented layout: three servers, each with its own master on 7000 and another server's replica on 7001. */
export const HEALTHY_LAYOUT: NodeSpec[] = [
  { server: 0, port: 7000, slots: '0-5460' },
  { server: 1, port: 7000, slots: '5461-10922' },
  { server: 2, port: 7000, slots: '10923-16383' },
  { server: 1, port: 7001, replicaOf: 0 },
  { server: 2, port: 7001, replicaOf: 1 },
  { server: 0, port: 7001, replicaOf: 2 },
];

const GIB = 1024 ** 3;

export function serverRow(node: NodeSpec, index: number, server: ServerSpec): Record<string, string> {
  return {
    probe_version: '2',
    status: 'ok',
    pid: String(1000 + index),
    process: 'redis-server',
    address: server.ip,
    port: String(node.port),
    listen: `${server.ip}:${node.port} ${server.ip}:${node.port + 10000}`,
    tls: '0',
    auth_required: '1',
    redis_version: '7.0.15',
    binary_version: '7.0.15',
    redis_mode: 'cluster',
    role: node.replicaOf === undefined ? 'master' : 'slave',
    ...(node.replicaOf === undefined || node.linkStatus === '' ? {} : { master_host: node.announce ?? '', master_link_status: node.linkStatus ?? 'up' }),
    cluster_enabled: '1',
    cluster_state: 'ok',
    cluster_slots_assigned: '16384',
    cluster_slots_ok: '16384',
    cluster_node_id: nodeId(index),
    maxmemory: String(node.maxmemory ?? 3 * GIB),
    maxmemory_policy: 'volatile-lru',
    used_memory: String(node.usedMemory ?? GIB),
    total_system_memory: String(server.totalSystemMemory ?? 16 * GIB),
    protected_mode: 'no',
    error: '',
    // Security posture (docs/redis-probe.md): a password, one ACL user (aclUserRow), the patched Debian 12 package.
    default_user_enabled: '1',
    default_user_nopass: '0',
    acl_users: '1',
    tls_port: '0',
    enable_debug_command: 'no',
    enable_module_command: 'no',
    enable_protected_configs: 'no',
    executable: '/usr/bin/redis-server',
    package_manager: 'dpkg',
    package_name: 'redis-server',
    package_version: '5:7.0.15-1~deb12u10',
  };
}

/** The one ACL user of a process: the default user with a password, allowed what sessions use (EVAL) and no administrative command. */
export function aclUserRow(node: NodeSpec, server: ServerSpec): Record<string, string> {
  return {
    seen_from_address: server.ip,
    seen_from_port: String(node.port),
    user: 'default',
    enabled: '1',
    nopass: '0',
    commands: '+@all -@dangerous +@scripting',
    may_eval: '1',
    may_config: '0',
    may_debug: '0',
    may_module: '0',
    may_flushall: '0',
    may_flushdb: '0',
    may_keys: '0',
  };
}

export function clusterNodeRow(viewer: NodeSpec, viewerIp: string, node: NodeSpec, index: number, servers: readonly ServerSpec[], self: boolean): Record<string, string> {
  const ip = node.announce ?? servers[node.server]?.ip ?? '';
  const role = node.replicaOf === undefined ? 'master' : 'slave';
  const flags = [...(self ? ['myself'] : []), role, ...(node.flags ?? [])].join(',');
  const slots = node.slots ?? '';
  const count = slots.split(' ').filter(Boolean).reduce((n, part) => {
    const [a, b] = part.split('-').map(Number);
    return n + (b === undefined ? 1 : b - a! + 1);
  }, 0);
  return {
    seen_from_address: viewerIp,
    seen_from_port: String(viewer.port),
    node_id: nodeId(index),
    address: `${ip}:${node.port}`,
    bus_port: String(node.port + 10000),
    hostname: '',
    flags,
    master_id: node.replicaOf === undefined ? '-' : nodeId(node.replicaOf),
    link_state: 'connected',
    config_epoch: String(index + 1),
    slots,
    slot_count: String(count),
  };
}

/**
 * Replaces the Custom:RedisServer rows of each server with its processes and adds its
 * Custom:RedisClusterNode rows; `views` can give a process its own node list (a split view).
 */
export function withClusterProbe(estate: EstateBuilder, servers: readonly ServerSpec[], nodes: readonly NodeSpec[], views?: (viewerIndex: number) => number[]): EstateBuilder {
  return estate.mutate((t) => {
    servers.forEach((server, s) => {
      let entity = t.ssm.Entities.find((e) => e.Id === server.instanceId);
      if (!entity) t.ssm.Entities.push((entity = { Id: server.instanceId, Data: {} }));
      entity.Data ??= {};
      const local = nodes.map((n, i) => [n, i] as const).filter(([n]) => n.server === s);
      entity.Data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: local.map(([n, i]) => serverRow(n, i, server)) };
      const content: Array<Record<string, string>> = [];
      for (const [viewer, v] of local) {
        const seen = views ? views(v) : nodes.map((_, i) => i);
        for (const i of seen) content.push(clusterNodeRow(viewer, server.ip, nodes[i]!, i, servers, i === v));
      }
      entity.Data['Custom:RedisClusterNode'] = { TypeName: 'Custom:RedisClusterNode', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: content };
      entity.Data['Custom:RedisAclUser'] = { TypeName: 'Custom:RedisAclUser', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: local.map(([n]) => aclUserRow(n, server)) };
    });
  });
}
