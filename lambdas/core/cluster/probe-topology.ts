/**
 * A Redis server's probe rows (SSM custom inventory written by inventory/redis-probe.sh, shape in
 * docs/redis-probe.md) as the interfaces of redis-topology.ts, through the probe's own typed reader
 * (lambdas/core/inventory/redis-probe-rows.ts): Custom:RedisServer (one row per Redis process) and
 * Custom:RedisClusterNode (one row per node of each process's CLUSTER NODES). Rows the reader
 * rejects are not evidence; legacy rows (no probe_version) give no process facts.
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { REDIS_CLUSTER_NODE_TYPE, REDIS_SERVER_TYPE, parseClusterNodeRows, parseRedisServerRows, type ClusterNodeFact, type RedisProcessFact } from '../inventory/redis-probe-rows';
import { inventoryRows } from '../rules/inventory-rows';
import type { ClusterNodeEntry, ProbedProcess, ServerProbe } from './redis-topology';

export function processOfFact(instanceId: string, fact: RedisProcessFact): ProbedProcess {
  return {
    instanceId,
    port: fact.port,
    address: fact.address,
    mode: fact.redisMode,
    role: fact.role,
    masterLinkStatus: fact.masterLinkStatus,
    nodeId: fact.clusterNodeId,
    maxmemory: fact.maxmemory,
    usedMemory: fact.usedMemory,
    totalSystemMemory: fact.totalSystemMemory,
    error: fact.status === 'error' || fact.status === 'untrusted listener' ? (fact.error ?? 'the process did not answer') : undefined,
  };
}

export function nodeOfFact(instanceId: string, fact: ClusterNodeFact): ClusterNodeEntry {
  return {
    viewerInstanceId: instanceId,
    viewerPort: fact.seenFromPort,
    nodeId: fact.nodeId,
    ip: fact.host,
    port: fact.port,
    busPort: fact.busPort,
    flags: fact.flags,
    masterId: fact.masterId,
    slots: fact.slots,
  };
}

/** Per target, the probe of each server (one weak entry per target, not one per server: 100k weak entries cost the garbage collector). */
const probesByTarget = new WeakMap<EstateTarget, Map<RedisServer, ServerProbe>>();

/**
 * The probe's evidence for one server, or why there is none. Read once per server and evaluation
 * (clusterView and capacity.memory both ask, for every server; callers only read it), except with
 * verdict sharing off (EstateTarget.shareVerdicts), where every call reads the rows again.
 */
export function serverProbe(target: EstateTarget, server: RedisServer): ServerProbe {
  if (!target.shareVerdicts) return readServerProbe(target, server);
  let probes = probesByTarget.get(target);
  if (!probes) probesByTarget.set(target, (probes = new Map()));
  let probe = probes.get(server);
  if (!probe) probes.set(server, (probe = readServerProbe(target, server)));
  return probe;
}

function readServerProbe(target: EstateTarget, server: RedisServer): ServerProbe {
  const processes = inventoryRows(target, server.instanceId, REDIS_SERVER_TYPE);
  if (!processes.found) return { found: false, reason: processes.reason };
  const parsed = parseRedisServerRows(processes.rows);
  const running = parsed.facts.filter((f) => f.status !== 'not_running');
  if (parsed.facts.length === 0) {
    const why = parsed.problems.length > 0 ? `its rows were rejected (${parsed.problems.slice(0, 3).join('; ')})` : 'it holds no rows of the Redis probe (probe_version), only legacy ones or none';
    return { found: false, reason: `The ${REDIS_SERVER_TYPE} inventory of ${server.instanceId} has no usable probe rows: ${why}.` };
  }
  const nodesLookup = inventoryRows(target, server.instanceId, REDIS_CLUSTER_NODE_TYPE);
  const nodes = nodesLookup.found ? parseClusterNodeRows(nodesLookup.rows).facts.map((f) => nodeOfFact(server.instanceId, f)) : [];
  return { found: true, processes: running.map((f) => processOfFact(server.instanceId, f)), nodes, nodesMissing: nodesLookup.found ? undefined : nodesLookup.reason };
}
