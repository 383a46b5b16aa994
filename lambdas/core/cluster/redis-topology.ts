/**
 * The Redis facts the high-availability and capacity rules read, per Redis server (EC2 instance):
 * the processes the probe saw (Custom:RedisServer rows: port, role, node id, memory figures, an
 * error when the process did not answer) and each process's own view of the cluster (its
 * `CLUSTER NODES` lines, Custom:RedisClusterNode rows). The rules read these interfaces only; how
 * rows become them is in probe-topology.ts (the probe's row shape, docs/redis-probe.md).
 */

/** One Redis process on a server, as the probe reported it. */
export interface ProbedProcess {
  instanceId: string;
  port: number | undefined;
  /** The address the process was reached on (as the probe wrote it). */
  address: string | undefined;
  /** `cluster`, `standalone`, `sentinel`, or undefined when not reported. */
  mode: string | undefined;
  /** `master` or `slave` as INFO replication says. */
  role: string | undefined;
  /** A replica's replication link (INFO replication master_link_status: `up` or `down`); undefined when not reported. */
  masterLinkStatus: string | undefined;
  /** This process's cluster node id (40 hex characters), when in cluster mode. */
  nodeId: string | undefined;
  /** Bytes; 0 means no limit. Undefined when not reported. */
  maxmemory: number | undefined;
  usedMemory: number | undefined;
  totalSystemMemory: number | undefined;
  /** Why the process did not answer (the probe's error), when it did not. */
  error: string | undefined;
}

/** What a `CLUSTER NODES` line says of one node. */
export interface ClusterNodeFacts {
  nodeId: string;
  /** The node's announced IP ('' when the node has no address: flag noaddr). */
  ip: string;
  port: number | undefined;
  busPort: number | undefined;
  /** e.g. ['myself', 'master'], ['slave'], ['master', 'fail']. */
  flags: string[];
  /** The master's node id for a replica; undefined for a master ('-'). */
  masterId: string | undefined;
  /** Slot ranges served (inclusive), masters only; importing/migrating markers are dropped. */
  slots: Array<readonly [number, number]>;
}

/** One line of one process's `CLUSTER NODES` answer. */
export interface ClusterNodeEntry extends ClusterNodeFacts {
  /** The server whose process reported this line, and that process's port. */
  viewerInstanceId: string;
  viewerPort: number | undefined;
}

/** What the probe says about one server, or why nothing is known. */
export type ServerProbe =
  | {
      found: true;
      processes: ProbedProcess[];
      nodes: ClusterNodeEntry[];
      /** Why the server's CLUSTER NODES rows are missing (no Custom:RedisClusterNode data), when they are. */
      nodesMissing: string | undefined;
    }
  | { found: false; reason: string };

export { CLUSTER_SLOTS } from '../inventory/redis-probe-rows';
import { CLUSTER_SLOTS } from '../inventory/redis-probe-rows';

/** Whether the viewer considers the node failed or unreachable (fail, fail?, noaddr, handshake). */
export function isFailing(entry: Pick<ClusterNodeEntry, 'flags'>): boolean {
  return entry.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'noaddr' || f === 'handshake');
}

/** "0-5460, 10923-16383" for messages, at most `max` ranges then "and N more". */
export function describeSlots(ranges: ReadonlyArray<readonly [number, number]>, max = 6): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const text = merged.slice(0, max).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  if (merged.length > max) text.push(`and ${merged.length - max} more ranges`);
  return text.join(', ');
}

export function slotCount(ranges: ReadonlyArray<readonly [number, number]>): number {
  const seen = new Uint8Array(CLUSTER_SLOTS);
  let count = 0;
  for (const [from, to] of ranges) {
    for (let s = Math.max(0, from); s <= Math.min(CLUSTER_SLOTS - 1, to); s++) {
      if (!seen[s]) {
        seen[s] = 1;
        count++;
      }
    }
  }
  return count;
}
