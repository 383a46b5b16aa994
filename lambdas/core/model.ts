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
  'cluster.failover',
  'cluster.membership',
  'cluster.zone-spread',
  'network.cluster-bus',
  'capacity.memory',
  'capacity.bandwidth',
  'frontend.platform-server-version',
  'redis.authentication',
  'redis.scripting-exposure',
  'redis.dangerous-commands',
  'redis.known-vulnerabilities',
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
  /** By final status: SUPPRESSED counts findings waived (always 0 before waivers are applied). */
  byStatus: Record<FindingStatus, number>;
  /** Failing findings (status FAIL) by severity. */
  failBySeverity: Record<Severity, number>;
  byRule: Record<string, Record<FindingStatus, number>>;
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

export type ScanTrigger = 'scheduled' | 'api' | 'cli';

/** A finding as stored and reported: the rule's verdict after waivers were applied. */
export interface StoredFinding extends Omit<Finding, 'status'> {
  scanId: string;
  status: FindingStatus;
  /** The active waiver that suppressed it (status SUPPRESSED; the rule's own status is in `ruleStatus`). */
  suppression?: { id: string; reason: string; owner: string; expiresAt: string };
  /** The rule's own status, before any waiver. */
  ruleStatus: Status;
  /** A waiver that matched but has expired: the finding is back, and reports say the waiver expired. */
  waiverExpired?: { id: string; reason: string; owner: string; expiredAt: string };
}

/** One scan, as stored: what ran, how it ended, and its counts. */
export interface ScanRecord {
  scanId: string;
  trigger: ScanTrigger;
  startedAt: string;
  finishedAt?: string;
  /** When the evidence (the snapshot) was captured; absent until the scan has a snapshot. */
  capturedAt?: string;
  status: ScanStatus | 'RUNNING';
  /** Findings by final status (SUPPRESSED included). */
  counts: Record<FindingStatus, number>;
  /** Failing findings (status FAIL after waivers) by severity. */
  failBySeverity: Record<Severity, number>;
  apiCalls: Record<string, number>;
  errors: Array<{ accountId: string; region: string; service: string; operation: string; code: string; message: string }>;
  targets: Array<{ accountId: string; region: string }>;
  redisServers: number;
  frontends: number;
  clusters: number;
  notEvaluated: NotEvaluatedInstance[];
  /**
   * Organization mode: ACTIVE accounts without the reader role (no successful stack instance of its
   * StackSet), not scanned. Not targets and not errors: they leave the scan COMPLETE.
   */
  notEnrolled?: string[];
}

/** What changed since the previous scan, by (account, region, resource, rule). */
export interface FindingChanges {
  /** Failing (FAIL or UNKNOWN) now and not failing in the previous scan. */
  new: StoredFinding[];
  /** Failing in the previous scan, PASS / NOT_APPLICABLE / gone now. */
  resolved: StoredFinding[];
}

/** One point of the compliance trend over recent scans. */
export interface TrendPoint {
  scanId: string;
  finishedAt: string;
  counts: Record<FindingStatus, number>;
}

/** The identity of a finding across scans. */
export function findingKey(f: Pick<Finding, 'accountId' | 'region' | 'resourceId' | 'ruleId'>): string {
  return `${f.accountId}/${f.region}/${f.resourceId}/${f.ruleId}`;
}
