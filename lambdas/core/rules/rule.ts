/** The contract every requirement rule implements (one rule per file, cdk-nag style). */
import type { EstateTarget, RedisCluster, Server } from '../estate/estate';
import type { CollectionError } from '../snapshot/schema';
import type { Finding, ResourceType, RuleId, Severity, Status } from '../model';

export interface RuleDefinition {
  id: RuleId;
  resourceType: ResourceType;
  /** A short statement of what compliance means, e.g. "Redis server has enough vCPUs". */
  title: string;
  /** The requirement sentence (from REQUIREMENT) the rule enforces. */
  requirement: string;
  /** Pure: one finding per resource in scope, never none for a resource in scope. */
  evaluate(target: EstateTarget): Finding[];
}

/** The parts of a finding a rule decides; the rest comes from the rule and the resource. */
export interface Verdict {
  status: Status;
  severity: Severity;
  observed: string;
  required: string;
  remediation: string;
}

/** A finding about one server (a Redis server or a front-end instance). */
export function serverFinding(rule: RuleDefinition, server: Server, verdict: Verdict): Finding {
  return {
    ruleId: rule.id,
    resourceType: 'AWS::EC2::Instance',
    resourceId: server.instanceId,
    ...(server.name !== undefined ? { resourceName: server.name } : {}),
    accountId: server.accountId,
    region: server.region,
    environment: server.environment,
    production: server.production,
    cluster: 'cluster' in server && typeof server.cluster === 'string' ? server.cluster : null,
    title: rule.title,
    requirement: rule.requirement,
    ...verdict,
    observed: server.environmentTagMissing && server.role === 'redis' ? `${verdict.observed} ${UNTAGGED_NOTE}` : verdict.observed,
  };
}

/** Appended to what was observed on a Redis server that has no environment tag. */
export const UNTAGGED_NOTE = '(No environment tag: judged by the production requirements, the stricter set.)';

/** A finding about one Redis cluster. */
export function clusterFinding(rule: RuleDefinition, cluster: RedisCluster, verdict: Verdict): Finding {
  return {
    ruleId: rule.id,
    resourceType: 'Redis::Cluster',
    resourceId: cluster.id,
    accountId: cluster.accountId,
    region: cluster.region,
    environment: cluster.environment,
    production: cluster.production,
    cluster: cluster.name,
    title: rule.title,
    requirement: rule.requirement,
    ...verdict,
  };
}

/** The resource a finding is about when it is neither a server nor a cluster (a subnet, a security group). */
export interface FindingResource {
  resourceType: ResourceType;
  resourceId: string;
  resourceName?: string;
  accountId: string;
  region: string;
  environment: string;
  production: boolean;
  cluster: string | null;
}

/** A finding about a shared resource such as a subnet or a security group. */
export function resourceFinding(rule: RuleDefinition, resource: FindingResource, verdict: Verdict): Finding {
  const { resourceName, ...rest } = resource;
  return {
    ruleId: rule.id,
    ...rest,
    ...(resourceName !== undefined ? { resourceName } : {}),
    title: rule.title,
    requirement: rule.requirement,
    ...verdict,
  };
}

/** Describes a collection error as the reason evidence is missing. */
export function describeError(error: CollectionError): string {
  return `${error.service}:${error.operation} failed during capture (${error.code}: ${error.message})`;
}

/** "x" or "x (Name)" for messages. */
export function label(id: string, name?: string): string {
  return name ? `${id} (${name})` : id;
}
