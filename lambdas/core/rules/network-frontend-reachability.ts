/**
 * network.frontend-reachability: every OutSystems front-end of the Redis server's environment
 * (same account and region) can open TCP connections to each Redis port (config.redisPorts),
 * through security groups, network ACLs (including return traffic) and routes.
 */
import type { RedisServer } from '../estate/estate';
import { reachabilityAnalyzerFor, type FlowGroupVerdict } from '../network/reachability-analyzer';
import { HOP_NAMES } from '../network/reachability';
import { listIds } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { Severity } from '../model';
import { serverFinding, type RuleDefinition } from './rule';

/** At most this many distinct problems are spelled out in one finding. */
const MAX_PROBLEMS = 8;

function describeGroup(group: FlowGroupVerdict): string {
  const ids = group.frontends.map((f) => f.instanceId);
  const who = ids.length === 1 ? `front-end ${ids[0]}` : `${ids.length} front-ends (${listIds(ids, 5)})`;
  const where = group.result.hop ? ` at ${HOP_NAMES[group.result.hop]}` : '';
  return `TCP ${group.port} from ${who}${where}: ${group.result.detail}`;
}

/** Joins verdict groups that share a result (cache hits for different members) so each problem is told once. */
function mergeGroups(groups: readonly FlowGroupVerdict[]): FlowGroupVerdict[] {
  const merged = new Map<string, Map<object, FlowGroupVerdict>>();
  for (const group of groups) {
    const key = String(group.port);
    let byResult = merged.get(key);
    if (!byResult) merged.set(key, (byResult = new Map()));
    const existing = byResult.get(group.result);
    byResult.set(group.result, existing ? { ...existing, frontends: [...existing.frontends, ...group.frontends] } : group);
  }
  return [...merged.values()].flatMap((m) => [...m.values()]);
}

function spell(groups: readonly FlowGroupVerdict[]): string {
  const shown = groups.slice(0, MAX_PROBLEMS).map(describeGroup);
  if (groups.length > MAX_PROBLEMS) shown.push(`and ${groups.length - MAX_PROBLEMS} more`);
  return shown.join(' | ');
}

/** The distinct changes that clear the problems of one verdict. */
function fixes(groups: readonly FlowGroupVerdict[], verdict: 'blocked' | 'unknown'): string {
  const all = new Set<string>();
  for (const group of groups) for (const issue of group.result.issues) if (issue.verdict === verdict) all.add(issue.fix);
  const list = [...all];
  return list.length > MAX_PROBLEMS ? `${list.slice(0, MAX_PROBLEMS).join(' ')} (and ${list.length - MAX_PROBLEMS} more changes of the same kind)` : list.join(' ');
}

export const networkFrontendReachabilityRule: RuleDefinition = {
  id: 'network.frontend-reachability',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis ports are reachable from every front-end of the environment',
  requirement: REQUIREMENT.ports,
  evaluate(target) {
    const ports = target.config.redisPorts;
    const portText = ports.map((p) => `TCP ${p}`).join(' and ');
    const analyzer = reachabilityAnalyzerFor(target);
    return target.redisServers.map((server: RedisServer) => {
      const severity: Severity = server.production ? 'high' : 'medium';
      const frontends = target.frontendsByEnvironment.get(server.environmentKey) ?? [];
      const required = `${portText} of this Redis server reachable from every OutSystems front-end of environment ${server.environment} in ${target.accountId}/${target.region}: security groups both ends, network ACLs both ways (including return traffic to the front-ends' ephemeral ports) and routes both ways.`;
      if (frontends.length === 0) {
        return serverFinding(networkFrontendReachabilityRule, server, {
          status: 'UNKNOWN',
          severity,
          observed: `No front-end tagged ${target.config.tags.roleKey}=${target.config.tags.frontendRole} with environment ${server.environment} is running in ${target.accountId}/${target.region}, so reachability from the front-ends cannot be judged.`,
          required,
          remediation: `Tag the OutSystems front-end instances of environment ${server.environment} with ${target.config.tags.roleKey}=${target.config.tags.frontendRole} and ${target.config.tags.environmentKey}=${server.environment}, then scan again.`,
        });
      }
      const groups = mergeGroups(analyzer.analyse(frontends, server, ports));
      const blocked = groups.filter((g) => g.result.verdict === 'blocked');
      const unknown = groups.filter((g) => g.result.verdict === 'unknown');
      const pairs = frontends.length * ports.length;
      if (blocked.length > 0) {
        const blockedPairs = blocked.reduce((n, g) => n + g.frontends.length, 0);
        return serverFinding(networkFrontendReachabilityRule, server, {
          status: 'FAIL',
          severity,
          observed: `${blockedPairs} of ${pairs} (front-end, port) pairs are blocked: ${spell(blocked)}${unknown.length > 0 ? `. Also not judged: ${spell(unknown)}` : ''}.`,
          required,
          remediation: fixes(blocked, 'blocked'),
        });
      }
      if (unknown.length > 0) {
        const unknownPairs = unknown.reduce((n, g) => n + g.frontends.length, 0);
        return serverFinding(networkFrontendReachabilityRule, server, {
          status: 'UNKNOWN',
          severity,
          observed: `${unknownPairs} of ${pairs} (front-end, port) pairs cannot be judged from the snapshot: ${spell(unknown)}.`,
          required,
          remediation: fixes(unknown, 'unknown'),
        });
      }
      const example = groups[0]!.result.detail;
      return serverFinding(networkFrontendReachabilityRule, server, {
        status: 'PASS',
        severity,
        observed: `All ${frontends.length} front-end(s) of environment ${server.environment} (${listIds(frontends.map((f) => f.instanceId))}) reach ${portText}. For example: ${example}`,
        required,
        remediation: `None needed. Keep the Redis security group rules for ${portText} from the front-ends' security group, and keep network ACLs open for the return traffic.`,
      });
    });
  },
};
