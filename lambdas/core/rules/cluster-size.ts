/**
 * cluster.size: a production Redis cluster has at least 3 running servers; a non-production one at least 1.
 * Only running instances count: pending ones are named but not yet serving.
 */
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { ec2Error } from '../network/missing-evidence';
import { REQUIREMENT } from '../requirements';
import { clusterFinding, describeError, label, UNTAGGED_NOTE, type RuleDefinition, type Verdict } from './rule';

export const PRODUCTION_MIN_SERVERS = 3;
export const NON_PRODUCTION_MIN_SERVERS = 1;

export const clusterSizeRule: RuleDefinition = {
  id: 'cluster.size',
  resourceType: 'Redis::Cluster',
  title: 'Redis cluster has enough servers',
  requirement: `${REQUIREMENT.prodServers} / ${REQUIREMENT.nonProdServer}`,
  evaluate(target) {
    return target.clusters.map((cluster) => {
      const requirement = cluster.production ? REQUIREMENT.prodServers : REQUIREMENT.nonProdServer;
      return clusterFinding(clusterSizeRule, cluster, clusterVerdict(target, cluster), requirement);
    });
  },
};

function names(servers: readonly RedisServer[]): string {
  return servers.map((member) => label(member.instanceId, member.name)).join(', ');
}

function clusterVerdict(target: EstateTarget, cluster: RedisCluster): Verdict {
  const min = cluster.production ? PRODUCTION_MIN_SERVERS : NON_PRODUCTION_MIN_SERVERS;
  const severity = cluster.production ? 'high' : 'low';
  const required = cluster.production ? `At least ${min} running Redis servers (production, highly available).` : `At least ${min} running Redis server (non-production).`;
  const running = cluster.servers.filter((member) => member.instance.State?.Name === 'running');
  const pending = cluster.servers.filter((member) => member.instance.State?.Name !== 'running');
  const untagged = cluster.servers.some((member) => member.environmentTagMissing) ? ` ${UNTAGGED_NOTE}` : '';
  const observed =
    `${running.length} running Redis server${running.length === 1 ? '' : 's'} in cluster ${cluster.name}${running.length ? `: ${names(running)}` : ''}.` +
    (pending.length ? ` Not counted (pending): ${names(pending)}.` : '') +
    untagged;
  const pass: Verdict = { status: 'PASS', severity, observed, required, remediation: `None needed. Keep at least ${min} servers in the cluster when replacing nodes.` };
  // Enough for any environment: servers an incomplete instance list hid can only add to the count.
  if (running.length >= PRODUCTION_MIN_SERVERS) return pass;
  // Fewer than that decides nothing when the list is incomplete: a hidden member can be missing from
  // the count, or be tagged production and raise the minimum to 3 (a non-production PASS is not safe).
  const error = ec2Error(target, 'DescribeInstances');
  if (error) return { status: 'UNKNOWN', severity, observed: `${observed} The instance list may be incomplete, and hidden members could change the count or make the cluster production: ${describeError(error)}.`, required, remediation: 'Grant the scanner ec2:DescribeInstances and scan again.' };
  if (running.length >= min) return pass;
  const missing = min - running.length;
  const tags = target.config.tags;
  return {
    status: 'FAIL',
    severity,
    observed,
    required,
    remediation: cluster.production
      ? `Add ${missing} more Redis server${missing === 1 ? '' : 's'} (3 or 4 vCPUs above 2.6 GHz, 8 GB RAM) tagged ${tags.roleKey}=${tags.redisRole}, ${tags.environmentKey}=${cluster.environment}, ${tags.clusterKey}=${cluster.name}, and join them to the Redis Cluster (redis-cli --cluster add-node, then rebalance with replicas).`
      : `Start or launch a Redis server (2 vCPUs above 2.6 GHz, 4 GB RAM) tagged ${tags.roleKey}=${tags.redisRole}, ${tags.environmentKey}=${cluster.environment}.`,
  };
}
