/** The findings model shared by the engine, the store, the reports and the API. */

export const STATUSES = ['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE'] as const;
export type Status = (typeof STATUSES)[number];

/** Ordered from most to least severe. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_IDS = [
  'redis.version',
  'instance.vcpu',
  'instance.clock-speed',
  'instance.memory',
  'instance.network-bandwidth',
  'instance.disk',
  'instance.public-address',
  'instance.ssm-managed',
  'subnet.dedicated',
  'subnet.private',
  'security-group.no-public-ingress',
  'network.frontend-reachability',
  'cluster.size',
  'cluster.mode',
  'frontend.platform-server-version',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type ResourceType = 'AWS::EC2::Instance' | 'AWS::EC2::Subnet' | 'AWS::EC2::SecurityGroup' | 'Redis::Cluster';

export interface Finding {
  ruleId: RuleId;
  resourceType: ResourceType;
  resourceId: string;
  /** The Name tag of the resource, when it has one (attacker-controlled text: escape on output). */
  resourceName?: string;
  accountId: string;
  region: string;
  /** The environment tag value as found, or `(untagged)`. */
  environment: string;
  /** Whether production requirements were applied. */
  production: boolean;
  /** The cluster key (cluster tag value, or the environment), null for resources outside one cluster. */
  cluster: string | null;
  status: Status;
  severity: Severity;
  title: string;
  /** What was observed (for UNKNOWN: what is missing, and why). */
  observed: string;
  /** What the requirement asks for. */
  required: string;
  /** The sentence of the requirements page this rule enforces. */
  requirement: string;
  /** How to fix it (empty guidance is never given: PASS findings say what keeps it passing). */
  remediation: string;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at or above `threshold` (critical is the highest). */
export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export interface NotEvaluatedInstance {
  accountId: string;
  region: string;
  instanceId: string;
  role: 'redis' | 'frontend';
  state: string;
  reason: string;
}

export type ScanStatus = 'COMPLETE' | 'PARTIAL' | 'FAILED';

export interface ScanSummary {
  total: number;
  byStatus: Record<Status, number>;
  /** Failing findings by severity. */
  failBySeverity: Record<Severity, number>;
  byRule: Record<string, Record<Status, number>>;
  redisServers: number;
  frontends: number;
  clusters: number;
  notEvaluated: number;
  /** API calls made by the collectors, by `service:Operation`, summed over targets (when known). */
  apiCalls: Record<string, number>;
}

export interface ScanInfo {
  capturedAt: string;
  evaluatedAt: string;
  status: ScanStatus;
  targets: Array<{ accountId: string; region: string; errors: Array<{ service: string; operation: string; code: string; message: string }> }>;
  notEvaluated: NotEvaluatedInstance[];
}

export interface ScanResult {
  scan: ScanInfo;
  summary: ScanSummary;
  findings: Finding[];
}

/** A waiver: findings of `ruleId` ('*' for any) on resources matching `resourcePattern` are suppressed until `expiresAt`. */
export interface Suppression {
  id: string;
  ruleId: RuleId | '*';
  /** A resource id, or a glob with `*` (e.g. `i-0abc*`, `111122223333/eu-west-1/*`). */
  resourcePattern: string;
  reason: string;
  owner: string;
  /** ISO-8601; required: every waiver expires. */
  expiresAt: string;
  createdAt: string;
}

/** Status of a stored / reported finding: a rule's status, or SUPPRESSED by an active waiver. */
export type FindingStatus = Status | 'SUPPRESSED';
