/**
 * Which single-server failures a Redis Cluster survives, from its nodes' own view (docs/failover-model.md).
 *
 * Losing a server (EC2 instance) loses every node on it. A slot keeps being served when its master
 * survives, or when a replica of that master survives AND a majority of the masters that serve
 * slots survive: Redis Cluster promotes a replica only after a majority of those masters agree that
 * its master failed (Redis Cluster specification, https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/,
 * "Failure detection" and "Replica election and promotion").
 * Nodes already flagged failing count as lost in every scenario; a replica flagged `nofailover`
 * (cluster-replica-no-failover yes) never starts an election, so it does not count as promotable;
 * nor does a replica whose replication link is down (master_link_status:down): a replica
 * disconnected from its master for longer than cluster-node-timeout x cluster-replica-validity-factor
 * (default 10) refuses to start an election, and one that never synced has no data to serve.
 * A replica whose link state was not reported is promotable or not as the caller assumes: the rule
 * asks both ways and says UNKNOWN when the answers differ.
 * What users see (redis/redis src/cluster.c, clusterUpdateState; redis.conf on
 * cluster-require-full-coverage): a node that reaches fewer than (masters serving slots / 2) + 1 of
 * them sets cluster_state:fail and refuses queries, whatever cluster-require-full-coverage says;
 * with it `yes` (the default) one slot without a master does the same.
 */
import { machineOf, type ClusterNode } from './cluster-view';
import { CLUSTER_SLOTS, slotCount } from './redis-topology';

export interface ServerLoss {
  /** Instance id (or "address x" for a machine no instance of the snapshot has). */
  machine: string;
  /** Masters serving slots on that machine. */
  mastersLost: ClusterNode[];
  mastersAlive: number;
  mastersTotal: number;
  /** Slots left without a serving master (after any promotion that can happen). */
  slotsLost: Array<readonly [number, number]>;
  /** Masters whose replicas all sit on the same machine (or have none left). */
  noReplicaLeft: ClusterNode[];
  quorumKept: boolean;
}

export interface FailoverAnalysis {
  masters: ClusterNode[];
  /** Masters serving slots that no replica follows. */
  mastersWithoutReplica: ClusterNode[];
  /** Slot count served by some master now. */
  slotsServed: number;
  /** One entry per machine that holds a node, in first-seen order. */
  losses: ServerLoss[];
}

/** Why a replica can or cannot take over from its master. */
export type ReplicaState = 'promotable' | 'nofailover' | 'link-down' | 'link-not-reported';

export function replicaState(node: ClusterNode): ReplicaState {
  if (node.flags.includes('nofailover')) return 'nofailover';
  if (node.linkStatus === undefined) return 'link-not-reported';
  return node.linkStatus === 'up' ? 'promotable' : 'link-down';
}

/** Analyses the layout; `unreportedLinksUp` says whether a replica whose link state was not reported counts as promotable. */
export function analyseFailover(nodes: readonly ClusterNode[], unreportedLinksUp: boolean): FailoverAnalysis {
  const masters = nodes.filter((n) => n.flags.includes('master') && n.slots.length > 0);
  const replicasOf = new Map<string, ClusterNode[]>();
  for (const node of nodes) {
    if (node.masterId === undefined) continue;
    const state = replicaState(node);
    if (state !== 'promotable' && !(state === 'link-not-reported' && unreportedLinksUp)) continue;
    const list = replicasOf.get(node.masterId);
    if (list) list.push(node);
    else replicasOf.set(node.masterId, [node]);
  }
  const machines = [...new Set(nodes.map(machineOf))];
  const losses: ServerLoss[] = machines.map((machine) => {
    const alive = (n: ClusterNode) => !n.failing && machineOf(n) !== machine;
    const mastersAlive = masters.filter(alive).length;
    const quorumKept = mastersAlive > masters.length / 2;
    const slotsLost: Array<readonly [number, number]> = [];
    const noReplicaLeft: ClusterNode[] = [];
    const mastersLost: ClusterNode[] = [];
    for (const master of masters) {
      if (alive(master)) continue;
      mastersLost.push(master);
      const replicaAlive = (replicasOf.get(master.nodeId) ?? []).some(alive);
      if (!replicaAlive) noReplicaLeft.push(master);
      if (!replicaAlive || !quorumKept) slotsLost.push(...master.slots);
    }
    return { machine, mastersLost, mastersAlive, mastersTotal: masters.length, slotsLost, noReplicaLeft, quorumKept };
  });
  return {
    masters,
    mastersWithoutReplica: masters.filter((m) => !(replicasOf.get(m.nodeId) ?? []).some((r) => !r.failing)),
    slotsServed: slotCount(masters.flatMap((m) => m.slots)),
    losses,
  };
}

export { CLUSTER_SLOTS };
