/**
 * cluster.mode: a production Redis cluster runs Redis Cluster, not Sentinel (nor a standalone server).
 * Evidence per member, best first: its Custom:RedisServer inventory rows (`redis_mode`, `cluster_enabled`,
 * `sentinel_running`, as INFO reports them), else the cluster-mode tag (config.tags.clusterModeKey).
 */
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { tagValue } from '../estate/tags';
import { REQUIREMENT } from '../requirements';
import type { InventoryRow } from '../versions/application-version';
import { REDIS_SERVER_INVENTORY, inventoryRows } from './inventory-rows';
import { clusterFinding, describeError, label, type RuleDefinition, type Verdict } from './rule';

export const REDIS_MODES = ['cluster', 'sentinel', 'standalone'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

const SEVERITY = 'medium';
const REQUIRED = 'Production Redis runs as a Redis Cluster (cluster-enabled on every server), not Sentinel or standalone.';

interface MemberMode {
  server: RedisServer;
  mode: RedisMode | undefined;
  /** Where the mode was read, or why it is not known. */
  source: string;
}

export const clusterModeRule: RuleDefinition = {
  id: 'cluster.mode',
  resourceType: 'Redis::Cluster',
  title: 'Production Redis runs Redis Cluster, not Sentinel',
  requirement: REQUIREMENT.prodRedisCluster,
  evaluate(target) {
    return target.clusters.map((cluster) => clusterFinding(clusterModeRule, cluster, judge(target, cluster)));
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
  if (normalised && (REDIS_MODES as readonly string[]).includes(normalised)) return { server, mode: normalised as RedisMode, source: `tag ${tagKey}=${tag}` };
  const tagNote = tag === undefined ? `no ${tagKey} tag` : `tag ${tagKey}="${tag}" is not one of ${REDIS_MODES.join(', ')}`;
  const inventoryNote = lookup.found ? `no redis_mode / cluster_enabled in its ${REDIS_SERVER_INVENTORY} inventory` : lookup.reason.replace(/\.$/, '');
  return { server, mode: undefined, source: `${inventoryNote}; ${tagNote}` };
}

function describe(members: readonly MemberMode[]): string {
  return members.map((m) => `${label(m.server.instanceId, m.server.name)}: ${m.mode ?? 'unknown'} (${m.source})`).join('; ');
}

function judge(target: EstateTarget, cluster: RedisCluster): Verdict {
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
      observed: `${disagree}${describe(members)}.`,
      required: REQUIRED,
      remediation:
        `Run ${cluster.name} as a Redis Cluster: on every server set cluster-enabled yes for the master and replica processes (ports 7000 and 7001), ` +
        'create the cluster with redis-cli --cluster create <ip>:7000 <ip>:7001 ... --cluster-replicas 1, move the OutSystems session storage to it, ' +
        `and retire the Sentinel / standalone setup on ${others.map((m) => m.server.instanceId).join(', ')}.`,
    };
  }
  if (unknown.length > 0) {
    const error = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
    return {
      status: 'UNKNOWN',
      severity: SEVERITY,
      observed:
        (clustered.length > 0 ? `Redis Cluster confirmed on ${clustered.length} of ${members.length} servers; no mode evidence for the rest. ` : 'No evidence of how Redis runs on any server. ') +
        `${describe(members)}.${error && !describe(members).includes(describeError(error)) ? ` ${describeError(error)}.` : ''}`,
      required: REQUIRED,
      remediation:
        `Report the mode from each server with a ${REDIS_SERVER_INVENTORY} custom inventory (redis_mode and cluster_enabled from INFO), ` +
        `or tag each server ${target.config.tags.clusterModeKey}=cluster|sentinel|standalone; then scan again.`,
    };
  }
  return { status: 'PASS', severity: SEVERITY, observed: `Every server runs Redis Cluster: ${describe(members)}.`, required: REQUIRED, remediation: 'None needed. Add new servers as cluster nodes (redis-cli --cluster add-node).' };
}
