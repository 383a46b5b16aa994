/**
 * network.frontend-reachability: every OutSystems front-end of the Redis server's environment
 * (same account and region) can open TCP connections to each Redis port (config.redisPorts),
 * through security groups, network ACLs (including return traffic) and routes.
 */
import type { RedisServer, Server } from '../estate/estate';
import { reachabilityAnalyzerFor, type DestinationClass, type FlowGroupVerdict } from '../network/reachability-analyzer';
import { HOP_NAMES } from '../network/reachability';
import { listIds } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { Severity } from '../model';
import { ec2Error } from '../network/missing-evidence';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';

/** At most this many distinct problems are spelled out in one finding. */
const MAX_PROBLEMS = 8;

const groupTexts = new WeakMap<FlowGroupVerdict, string>();

/** One problem as a sentence; memoised, since the analyzer hands the same group to every Redis server of an address class. */
function describeGroup(group: FlowGroupVerdict): string {
  let text = groupTexts.get(group);
  if (text !== undefined) return text;
  const count = group.frontends.length;
  const shown = group.frontends.slice(0, 5).map((f) => f.instanceId);
  const who = count === 1 ? `front-end ${shown[0]}` : `${count} front-ends (${shown.join(', ')}${count > 5 ? ` and ${count - 5} more` : ''})`;
  const where = group.result.hop ? ` at ${HOP_NAMES[group.result.hop]}` : '';
  text = `TCP ${group.port} from ${who}${where}: ${group.example ? `for example, ${group.result.detail}` : group.result.detail}`;
  groupTexts.set(group, text);
  return text;
}

/** Joins verdict groups of one port that fail at the same hop with the same fix, so each problem is told once. */
function mergeGroups(groups: readonly FlowGroupVerdict[]): FlowGroupVerdict[] {
  const merged = new Map<string, FlowGroupVerdict>();
  for (const group of groups) {
    const key = `${group.port}|${group.result.verdict}|${group.result.hop ?? ''}|${group.result.fix ?? ''}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, group);
    else merged.set(key, { frontends: [...existing.frontends, ...group.frontends], port: group.port, result: existing.result, ...(existing.example || group.example || existing.result.detail !== group.result.detail ? { example: true as const } : {}) });
  }
  return [...merged.values()];
}

/** The problems as one text that ends without a full stop (the caller adds it). */
function problemsText(groups: readonly FlowGroupVerdict[]): string {
  const shown = groups.slice(0, MAX_PROBLEMS).map(describeGroup);
  if (groups.length > MAX_PROBLEMS) shown.push(`and ${groups.length - MAX_PROBLEMS} more`);
  return shown.join(' | ').replace(/\.+$/, '');
}

/** The distinct changes that clear the problems of one verdict. */
function remediationText(groups: readonly FlowGroupVerdict[], verdict: 'blocked' | 'unknown'): string {
  const all = new Set<string>();
  for (const group of groups) for (const issue of group.result.issues) if (issue.verdict === verdict) all.add(issue.fix);
  const list = [...all];
  return list.length > MAX_PROBLEMS ? `${list.slice(0, MAX_PROBLEMS).join(' ')} (and ${list.length - MAX_PROBLEMS} more changes of the same kind)` : list.join(' ');
}

const frontendListTexts = new WeakMap<readonly Server[], string>();

/** "i-1, i-2 ... and N more" for an environment's front-ends, built once per list. */
function frontendList(frontends: readonly Server[]): string {
  let text = frontendListTexts.get(frontends);
  if (text === undefined) {
    text = listIds(frontends.map((f) => f.instanceId));
    frontendListTexts.set(frontends, text);
  }
  return text;
}

/**
 * What every Redis server of one environment (as tagged) and production flag shares: its
 * front-ends, severity and required text, and the verdicts already made per destination class.
 */
interface EnvironmentScope {
  environment: string;
  frontends: readonly Server[];
  severity: Severity;
  required: string;
  /** Valid per class because equal classes get equal analyses from this scope's front-ends (see destinationClassOf). */
  verdicts: Map<DestinationClass, Verdict>;
  /** PASS verdicts by passShareKeyOf (see there why they may be shared). */
  passes: Map<string, Verdict>;
}

/** Scopes by environment key, environment value and production flag; one set per evaluation. */
type ScopeIndex = Map<string, Map<string, [EnvironmentScope | undefined, EnvironmentScope | undefined]>>;

export const networkFrontendReachabilityRule: RuleDefinition = {
  id: 'network.frontend-reachability',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis ports are reachable from every front-end of the environment',
  requirement: REQUIREMENT.ports,
  evaluate(target) {
    const ports = target.config.redisPorts;
    const portText = ports.map((p) => `TCP ${p}`).join(' and ');
    const analyzer = reachabilityAnalyzerFor(target);
    const scopes: ScopeIndex = new Map();

    const scopeOf = (server: RedisServer): EnvironmentScope => {
      let byEnvironment = scopes.get(server.environmentKey);
      if (!byEnvironment) scopes.set(server.environmentKey, (byEnvironment = new Map()));
      let pair = byEnvironment.get(server.environment);
      if (!pair) byEnvironment.set(server.environment, (pair = [undefined, undefined]));
      const index = server.production ? 1 : 0;
      return (pair[index] ??= {
        environment: server.environment,
        frontends: target.frontendsByEnvironment.get(server.environmentKey) ?? [],
        severity: server.production ? 'high' : 'medium',
        required: `${portText} of this Redis server reachable from every OutSystems front-end of environment ${server.environment} in ${target.accountId}/${target.region}: security groups both ends, network ACLs both ways (including return traffic to the front-ends' ephemeral ports) and routes both ways.`,
        verdicts: new Map(),
        passes: new Map(),
      });
    };

    const serverVerdict = (scope: EnvironmentScope, server: RedisServer): Verdict => {
      const { frontends, severity, required, environment } = scope;
      if (frontends.length === 0) {
        return {
          status: 'UNKNOWN',
          severity,
          observed: `No front-end tagged ${target.config.tags.roleKey}=${target.config.tags.frontendRole} with environment ${environment} is running in ${target.accountId}/${target.region}, so reachability from the front-ends cannot be judged.`,
          required,
          remediation: `Tag the OutSystems front-end instances of environment ${environment} with ${target.config.tags.roleKey}=${target.config.tags.frontendRole} and ${target.config.tags.environmentKey}=${environment}, then scan again.`,
        };
      }
      const groups = mergeGroups(analyzer.analyse(frontends, server, ports));
      const blocked = groups.filter((g) => g.result.verdict === 'blocked');
      const unknown = groups.filter((g) => g.result.verdict === 'unknown');
      const pairs = frontends.length * ports.length;
      if (blocked.length > 0) {
        const blockedPairs = blocked.reduce((n, g) => n + g.frontends.length, 0);
        return {
          status: 'FAIL',
          severity,
          observed: `${blockedPairs} of ${pairs} (front-end, port) pairs are blocked: ${problemsText(blocked)}${unknown.length > 0 ? `. Also not judged: ${problemsText(unknown)}` : ''}.`,
          required,
          remediation: remediationText(blocked, 'blocked'),
        };
      }
      if (unknown.length > 0) {
        const unknownPairs = unknown.reduce((n, g) => n + g.frontends.length, 0);
        return {
          status: 'UNKNOWN',
          severity,
          observed: `${unknownPairs} of ${pairs} (front-end, port) pairs cannot be judged from the snapshot: ${problemsText(unknown)}.`,
          required,
          remediation: remediationText(unknown, 'unknown'),
        };
      }
      const example = groups[0]!.result.detail;
      const instancesError = ec2Error(target, 'DescribeInstances');
      if (instancesError) {
        // "From every front-end": the failed listing may have hidden front-ends that cannot reach.
        return {
          status: 'UNKNOWN',
          severity,
          observed: `The ${frontends.length} front-end(s) of environment ${environment} in the snapshot (${frontendList(frontends)}) reach ${portText}, but the instance list is incomplete, so front-ends it hid are not judged: ${describeError(instancesError)}.`,
          required,
          remediation: 'Grant the scanner ec2:DescribeInstances (and check the capture errors), then scan again.',
        };
      }
      return {
        status: 'PASS',
        severity,
        observed: `All ${frontends.length} front-end(s) of environment ${environment} (${frontendList(frontends)}) reach ${portText}. For example: ${example}`,
        required,
        remediation: `None needed. Keep the Redis security group rules for ${portText} from the front-ends' security group, and keep network ACLs open for the return traffic.`,
      };
    };

    return target.redisServers.map((server: RedisServer) => {
      const scope = scopeOf(server);
      // Without front-ends the verdict names only the environment, so one serves the whole scope.
      const placement = !target.shareVerdicts ? undefined : scope.frontends.length === 0 ? NO_FRONTENDS : analyzer.destinationClassOf(scope.frontends, server);
      if (placement === undefined) return serverFinding(networkFrontendReachabilityRule, server, serverVerdict(scope, server));
      let verdict = scope.verdicts.get(placement);
      if (!verdict) {
        // Servers that differ only in groups without a say on the Redis ports (one cluster-bus
        // group per cluster) share a passing verdict; any other verdict is judged per class.
        const shareKey = scope.frontends.length === 0 ? undefined : analyzer.passShareKeyOf(scope.frontends, server, ports);
        verdict = shareKey === undefined ? undefined : scope.passes.get(shareKey);
        if (!verdict) {
          verdict = serverVerdict(scope, server);
          if (shareKey !== undefined && verdict.status === 'PASS') scope.passes.set(shareKey, verdict);
        }
        scope.verdicts.set(placement, verdict);
      }
      return serverFinding(networkFrontendReachabilityRule, server, verdict);
    });
  },
};

/** The destination class used for every server of a scope without front-ends. */
const NO_FRONTENDS: DestinationClass = { subnetId: '(no front-ends)' };
