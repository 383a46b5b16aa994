/** The contract every requirement rule implements (one rule per file, cdk-nag style). */
import type { EstateTarget, RedisCluster, RedisServer, Server } from '../estate/estate';
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

/**
 * A finding about one server (a Redis server or a front-end instance). `requirement` defaults to the
 * rule's; rules whose sentence depends on the environment pass it instead of copying the rule.
 * Findings are built as fixed-shape literals (no spreads): a million of them share two hidden classes.
 */
export function serverFinding(rule: RuleDefinition, server: Server, verdict: Verdict, requirement: string = rule.requirement): Finding {
  const cluster = (server as Partial<RedisServer>).cluster;
  const observed = server.environmentTagMissing && server.role === 'redis' ? `${verdict.observed} ${UNTAGGED_NOTE}` : verdict.observed;
  return server.name === undefined
    ? {
        ruleId: rule.id,
        resourceType: 'AWS::EC2::Instance',
        resourceId: server.instanceId,
        accountId: server.accountId,
        region: server.region,
        environment: server.environment,
        production: server.production,
        cluster: typeof cluster === 'string' ? cluster : null,
        title: rule.title,
        requirement,
        status: verdict.status,
        severity: verdict.severity,
        observed,
        required: verdict.required,
        remediation: verdict.remediation,
      }
    : {
        ruleId: rule.id,
        resourceType: 'AWS::EC2::Instance',
        resourceId: server.instanceId,
        resourceName: server.name,
        accountId: server.accountId,
        region: server.region,
        environment: server.environment,
        production: server.production,
        cluster: typeof cluster === 'string' ? cluster : null,
        title: rule.title,
        requirement,
        status: verdict.status,
        severity: verdict.severity,
        observed,
        required: verdict.required,
        remediation: verdict.remediation,
      };
}

/** Appended to what was observed on a Redis server that has no environment tag. */
export const UNTAGGED_NOTE = '(No environment tag: judged by the production requirements, the stricter set.)';

/** A finding about one Redis cluster (a fixed-shape literal, as serverFinding). */
export function clusterFinding(rule: RuleDefinition, cluster: RedisCluster, verdict: Verdict, requirement: string = rule.requirement): Finding {
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
    requirement,
    status: verdict.status,
    severity: verdict.severity,
    observed: verdict.observed,
    required: verdict.required,
    remediation: verdict.remediation,
  };
}

/** The resource a finding is about when it is neither a server nor a cluster (a subnet, a security group). */
export type FindingResource = Pick<Finding, 'resourceType' | 'resourceId' | 'resourceName' | 'accountId' | 'region' | 'environment' | 'production' | 'cluster'>;

/** A finding about a shared resource such as a subnet or a security group (the name, when known, follows the cluster). */
export function resourceFinding(rule: RuleDefinition, resource: FindingResource, verdict: Verdict): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    resourceType: resource.resourceType,
    resourceId: resource.resourceId,
    accountId: resource.accountId,
    region: resource.region,
    environment: resource.environment,
    production: resource.production,
    cluster: resource.cluster,
    title: rule.title,
    requirement: rule.requirement,
    status: verdict.status,
    severity: verdict.severity,
    observed: verdict.observed,
    required: verdict.required,
    remediation: verdict.remediation,
  };
  return resource.resourceName === undefined ? finding : withResourceName(finding, resource.resourceName);
}

/** The same finding with `resourceName` placed after `cluster`, where reports and stored JSON have always had it. */
function withResourceName(f: Finding, resourceName: string): Finding {
  return {
    ruleId: f.ruleId,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    accountId: f.accountId,
    region: f.region,
    environment: f.environment,
    production: f.production,
    cluster: f.cluster,
    resourceName,
    title: f.title,
    requirement: f.requirement,
    status: f.status,
    severity: f.severity,
    observed: f.observed,
    required: f.required,
    remediation: f.remediation,
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
