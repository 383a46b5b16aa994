/**
 * cluster.mode: a production Redis cluster runs Redis Cluster, not Sentinel (nor a standalone server).
 * Evidence per member, best first: the Redis probe's Custom:RedisServer rows (per process: `redis_mode`
 * and `cluster_enabled` from INFO, `cluster_state` and the slot counts from CLUSTER INFO; a Sentinel
 * that did not answer is still seen by its executable name or port 26379), else the legacy rows
 * (`redis_mode`, `cluster_enabled`, `sentinel_running`), else the cluster-mode tag (config.tags.clusterModeKey).
 * A node with cluster_enabled whose cluster is not `ok` with all 16,384 slots assigned is not a
 * working Redis Cluster. Less evidence never passes: a process that did not answer, an incomplete
 * instance list (hidden members may be Sentinels) or a tag read while the inventory read failed
 * give UNKNOWN, never PASS.
 */
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { tagValue } from '../estate/tags';
import { processLabel, redisServerRows, type ProbeEvidence } from '../inventory/redis-probe-evidence';
import { CLUSTER_SLOTS, type RedisProcessFact } from '../inventory/redis-probe-rows';
import { ec2Error } from '../network/missing-evidence';
import { REQUIREMENT } from '../requirements';
import type { InventoryRow } from '../versions/application-version';
import { REDIS_SERVER_INVENTORY, inventoryRows } from './inventory-rows';
import { clusterFinding, describeError, label, type RuleDefinition, type Verdict } from './rule';

export const REDIS_MODES = ['cluster', 'sentinel', 'standalone'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

const SEVERITY = 'medium';
const REQUIRED = 'Production Redis runs as a Redis Cluster (cluster-enabled on every server), not Sentinel or standalone.';

/** What a member runs: a Redis mode, a cluster-enabled node of a cluster that does not work, or nothing. */
type MemberState = RedisMode | 'broken-cluster' | 'not-running';

interface MemberMode {
  server: RedisServer;
  mode: MemberState | undefined;
  /** Where the mode was read, or why it is not known. */
  source: string;
  /** The mode came from the tag, not from the server. */
  fromTag?: boolean;
}

/** Default port of Redis Sentinel (redis.io Sentinel documentation; the probe reports the port it listens on). */
const SENTINEL_PORT = 26379;

/** One probed process: its mode and a few words of evidence; undefined mode when it did not answer. */
function processMode(fact: RedisProcessFact): { mode: MemberState | undefined; note: string } {
  const who = processLabel(fact);
  if (fact.status !== 'ok') {
    if (fact.process === 'redis-sentinel') return { mode: 'sentinel', note: `${who}: sentinel (by its executable; it did not answer: ${fact.error ?? 'no INFO'})` };
    if (fact.port === SENTINEL_PORT) return { mode: 'sentinel', note: `${who}: sentinel (by its port ${SENTINEL_PORT}; it did not answer: ${fact.error ?? 'no INFO'})` };
    return { mode: undefined, note: `${who}: did not answer (${fact.error ?? 'no INFO'})` };
  }
  if (fact.redisMode === 'sentinel') return { mode: 'sentinel', note: `${who}: sentinel` };
  if (fact.clusterEnabled === true || fact.redisMode === 'cluster') {
    const assigned = fact.clusterSlotsAssigned;
    const counts = `cluster_state ${fact.clusterState ?? 'not reported'}, ${assigned ?? '?'} of ${CLUSTER_SLOTS} slots assigned (ok ${fact.clusterSlotsOk ?? '?'}, pfail ${fact.clusterSlotsPfail ?? '?'}, fail ${fact.clusterSlotsFail ?? '?'}), ${fact.clusterKnownNodes ?? '?'} known nodes`;
    if (fact.clusterState === undefined || assigned === undefined) return { mode: undefined, note: `${who}: cluster-enabled, but ${counts}` };
    if (fact.clusterState !== 'ok' || assigned !== CLUSTER_SLOTS) return { mode: 'broken-cluster', note: `${who}: cluster-enabled but not a working cluster (${counts})` };
    return { mode: 'cluster', note: `${who}: cluster (${counts})` };
  }
  if (fact.clusterEnabled === false || fact.redisMode === 'standalone') return { mode: 'standalone', note: `${who}: standalone` };
  return { mode: undefined, note: `${who}: no redis_mode / cluster_enabled` };
}

/** A member's mode from the probe: any non-cluster process decides; an unanswered one leaves it open. */
function probeMode(server: RedisServer, probe: ProbeEvidence): MemberMode {
  const source = `${REDIS_SERVER_INVENTORY} inventory from the Redis probe`;
  if (probe.processes.length === 0) {
    const reasons = [...new Set(probe.notRunning.map((f) => f.error ?? 'no Redis process is running'))].join('; ');
    if (probe.problems.length > 0) return { server, mode: undefined, source: `${source}: rows not understood: ${probe.problems.join('; ')}` };
    return { server, mode: 'not-running', source: `${source}: no Redis process runs (${reasons})` };
  }
  const modes = probe.processes.map(processMode);
  const notes = modes.map((m) => m.note).join('; ');
  const problems = probe.problems.length > 0 ? `; rows not understood: ${probe.problems.join('; ')}` : '';
  for (const decisive of ['sentinel', 'standalone', 'broken-cluster'] as const) {
    if (modes.some((m) => m.mode === decisive)) return { server, mode: decisive, source: `${source}: ${notes}${problems}` };
  }
  if (modes.some((m) => m.mode === undefined) || probe.problems.length > 0) return { server, mode: undefined, source: `${source}: ${notes}${problems}` };
  return { server, mode: 'cluster', source: `${source}: ${notes}` };
}

export const clusterModeRule: RuleDefinition = {
  id: 'cluster.mode',
  resourceType: 'Redis::Cluster',
  title: 'Production Redis runs Redis Cluster, not Sentinel',
  requirement: REQUIREMENT.prodRedisCluster,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterModeRule, cluster, clusterVerdict(target, cluster)));
  },
};

/** The mode one Redis process reports: Sentinel wins, then `cluster_enabled`, then `redis_mode`. */
export function modeOfRow(row: InventoryRow): RedisMode | undefined {
  const mode = row['redis_mode']?.trim().toLowerCase();
  if (row['sentinel_running']?.trim() === '1' || mode === 'sentinel') return 'sentinel';
  const enabled = row['cluster_enabled']?.trim();
  if (enabled === '1') return 'cluster';
  if (enabled === '0') return 'standalone';
  return mode === 'cluster' || mode === 'standalone' ? mode : undefined;
}

function memberMode(target: EstateTarget, server: RedisServer): MemberMode {
  const probed = redisServerRows(target, server.instanceId);
  if (probed.found && probed.probe) return probeMode(server, probed.probe);
  const lookup = inventoryRows(target, server.instanceId, REDIS_SERVER_INVENTORY);
  const modes = lookup.found ? lookup.rows.map(modeOfRow).filter((m): m is RedisMode => m !== undefined) : [];
  if (modes.length > 0) {
    // One non-cluster process (a Sentinel beside the nodes, a standalone instance) makes the server non-cluster.
    const mode = modes.includes('sentinel') ? 'sentinel' : modes.includes('standalone') ? 'standalone' : 'cluster';
    return { server, mode, source: `${REDIS_SERVER_INVENTORY} inventory: ${modes.join(', ')}` };
  }
  const tagKey = target.config.tags.clusterModeKey;
  const tag = tagValue(server.instance.Tags, tagKey);
  const normalised = tag?.trim().toLowerCase();
  if (normalised && (REDIS_MODES as readonly string[]).includes(normalised)) return { server, mode: normalised as RedisMode, source: `tag ${tagKey}=${tag}`, fromTag: true };
  const tagNote = tag === undefined ? `no ${tagKey} tag` : `tag ${tagKey}="${tag}" is not one of ${REDIS_MODES.join(', ')}`;
  const inventoryNote = lookup.found ? `no redis_mode / cluster_enabled in its ${REDIS_SERVER_INVENTORY} inventory` : lookup.reason.replace(/\.$/, '');
  return { server, mode: undefined, source: `${inventoryNote}; ${tagNote}` };
}

function describeMembers(members: readonly MemberMode[]): string {
  return members.map((m) => `${label(m.server.instanceId, m.server.name)}: ${m.mode ?? 'unknown'} (${m.source})`).join('; ');
}

function clusterVerdict(target: EstateTarget, cluster: RedisCluster): Verdict {
  if (!cluster.production) {
    return {
      status: 'NOT_APPLICABLE',
      severity: 'info',
      observed: `Cluster ${cluster.name} is non-production (environment ${cluster.environment}): a single Redis server is acceptable.`,
      required: 'Redis Cluster is required for production environments only.',
      remediation: 'None needed.',
    };
  }
  const members = cluster.servers.map((server) => memberMode(target, server));
  const others = members.filter((m) => m.mode !== undefined && m.mode !== 'cluster');
  const clustered = members.filter((m) => m.mode === 'cluster');
  const unknown = members.filter((m) => m.mode === undefined);
  if (others.length > 0) {
    const disagree = clustered.length > 0 ? 'The members disagree: ' : '';
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${disagree}${describeMembers(members)}.`,
      required: REQUIRED,
      remediation: failRemediation(cluster, others),
    };
  }
  if (unknown.length > 0) {
    const error = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed:
        (clustered.length > 0 ? `Redis Cluster confirmed on ${clustered.length} of ${members.length} servers; no mode evidence for the rest. ` : 'No evidence of how Redis runs on any server. ') +
        `${describeMembers(members)}.${error && !describeMembers(members).includes(describeError(error)) ? ` ${describeError(error)}.` : ''}`,
      required: REQUIRED,
      remediation:
        `Report the mode from each server with a ${REDIS_SERVER_INVENTORY} custom inventory (redis_mode and cluster_enabled from INFO), ` +
        `or tag each server ${target.config.tags.clusterModeKey}=cluster|sentinel|standalone; then scan again.`,
    };
  }
  // Less evidence never passes: members a failed DescribeInstances hid may be Sentinel
  // members, and a tag read while the inventory read failed stands in for rows that may say Sentinel.
  const instancesError = ec2Error(target, 'DescribeInstances');
  const inventoryError = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
  const byTag = members.filter((m) => m.fromTag);
  if (instancesError || (inventoryError && byTag.length > 0)) {
    const why = instancesError
      ? `The instance list is incomplete (${describeError(instancesError)}): members it hid may run Sentinel or standalone.`
      : `The mode of ${byTag.map((m) => m.server.instanceId).join(', ')} comes from the tag only, and the inventory read failed (${describeError(inventoryError!)}): the rows it missed may show Sentinel.`;
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed: `Redis Cluster on every server seen: ${describeMembers(members)}. ${why}`,
      required: REQUIRED,
      remediation: instancesError
        ? 'Grant the scanner ec2:DescribeInstances (and check the capture errors), then scan again.'
        : `Grant the scanner ssm:GetInventory and ssm:ListInventoryEntries, run the Redis inventory association on ${byTag.map((m) => m.server.instanceId).join(', ')}, then scan again.`,
    };
  }
  return { status: 'PASS', severity: SEVERITY, observed: `Every server runs Redis Cluster: ${describeMembers(members)}.`, required: REQUIRED, remediation: 'None needed. Add new servers as cluster nodes (redis-cli --cluster add-node).' };
}

/** The fix for each way the members fail: Sentinel / standalone, a cluster never created or broken, no Redis running. */
function failRemediation(cluster: RedisCluster, others: readonly MemberMode[]): string {
  const ids = (modes: readonly MemberState[]) => others.filter((m) => m.mode !== undefined && modes.includes(m.mode)).map((m) => m.server.instanceId);
  const steps: string[] = [];
  const legacy = ids(['sentinel', 'standalone']);
  if (legacy.length > 0) {
    steps.push(
      `Run ${cluster.name} as a Redis Cluster: on every server set cluster-enabled yes for the master and replica processes (ports 7000 and 7001), ` +
        'create the cluster with redis-cli --cluster create <ip>:7000 <ip>:7001 ... --cluster-replicas 1, move the OutSystems session storage to it, ' +
        `and retire the Sentinel / standalone setup on ${legacy.join(', ')}.`,
    );
  }
  const broken = ids(['broken-cluster']);
  if (broken.length > 0) {
    steps.push(
      `Make the cluster work on ${broken.join(', ')}: if it was never created, run redis-cli --cluster create <ip>:7000 <ip>:7001 ... --cluster-replicas 1; ` +
        'otherwise run redis-cli --cluster check <ip>:7000 and redis-cli --cluster fix <ip>:7000 until cluster_state is ok with all 16384 slots assigned.',
    );
  }
  const stopped = ids(['not-running']);
  if (stopped.length > 0) steps.push(`Start the Redis Cluster processes (ports 7000 and 7001) on ${stopped.join(', ')}, or remove the Redis role tag from servers that no longer serve sessions.`);
  return steps.join(' ');
}
