/**
 * The `Redis Compliance Finding Changed` events of one scan: one per changed finding state — a new
 * failure, a resolved failure, a waiver that expired (the finding counts again). Pure.
 *
 * The detail is versioned (`schemaVersion`); docs/finding-events.md documents it and the rule
 * patterns that route it. A re-run of the same scan produces the same events with the same
 * `eventId`, so a consumer can drop duplicates.
 */
import { isFailing, type FindingState } from '../finding-states';
import { findingKey, type FindingChanges, type FindingStatus, type ResourceType, type RuleId, type Severity, type Status, type StoredFinding } from '../model';
import { resourceArn } from './resource-arn';

export const FINDING_CHANGED = 'Redis Compliance Finding Changed';
export const FINDING_CHANGED_SCHEMA_VERSION = '1.0';

export type FindingChange = 'NEW_FAILURE' | 'RESOLVED' | 'WAIVER_EXPIRED';

export interface FindingChangedDetail {
  schemaVersion: typeof FINDING_CHANGED_SCHEMA_VERSION;
  /** Stable for (scan, finding, change): the same on a re-run of the scan. */
  eventId: string;
  change: FindingChange;
  scanId: string;
  /** The scan's time (ISO-8601). */
  scanAt: string;
  finding: {
    /** `<account>/<region>/<resource>/<rule>`: the finding's identity across scans. */
    key: string;
    ruleId: RuleId;
    title: string;
    /** After waivers: FAIL, UNKNOWN, SUPPRESSED, PASS or NOT_APPLICABLE. For RESOLVED, the status now (or GONE). */
    status: FindingStatus | 'GONE';
    /** The rule's own verdict. For RESOLVED: the last failing verdict. */
    ruleStatus: Status;
    severity: Severity;
    resourceType: ResourceType;
    resourceId: string;
    /** The resource's ARN; absent for Redis clusters (no AWS resource). */
    resourceArn?: string;
    resourceName?: string;
    accountId: string;
    region: string;
    environment: string;
    production: boolean;
    cluster: string | null;
    observed: string;
    required: string;
    requirement: string;
    remediation: string;
    /** When the failing period began (ISO-8601). */
    firstSeen: string;
    /** RESOLVED only: when it stopped failing. */
    resolvedAt?: string;
    /** WAIVER_EXPIRED only: the waiver that no longer applies. */
    waiverExpired?: { id: string; reason: string; owner: string; expiredAt: string };
  };
}

export interface FindingChangeInput {
  /** The finding states before this scan. */
  previousStates: readonly FindingState[];
  /** This scan's findings, after waivers. */
  findings: readonly StoredFinding[];
  /** What nextFindingStates returned for this scan. */
  changes: FindingChanges;
  /** The states this scan wrote. */
  states: readonly FindingState[];
  scan: { scanId: string; at: string };
}

/** The events of one scan, new failures first, then resolved, then expired waivers; each group in key order. */
export function findingChangeEvents(input: FindingChangeInput): FindingChangedDetail[] {
  const previousByKey = new Map(input.previousStates.map((s) => [s.key, s]));
  const writtenByKey = new Map(input.states.map((s) => [s.key, s]));
  const currentByKey = new Map(input.findings.map((f) => [findingKey(f), f]));
  const events: FindingChangedDetail[] = [];
  const byKey = (a: StoredFinding, b: StoredFinding) => (findingKey(a) < findingKey(b) ? -1 : findingKey(a) > findingKey(b) ? 1 : 0);

  for (const finding of [...input.changes.new].sort(byKey)) {
    const key = findingKey(finding);
    events.push(detail('NEW_FAILURE', finding, finding.status, input.scan, writtenByKey.get(key)?.firstSeen ?? input.scan.at));
  }
  for (const last of [...input.changes.resolved].sort(byKey)) {
    const key = findingKey(last);
    const now = currentByKey.get(key);
    const state = writtenByKey.get(key);
    events.push(detail('RESOLVED', last, now ? now.status : 'GONE', input.scan, state?.firstSeen ?? previousByKey.get(key)?.firstSeen ?? input.scan.at, state?.resolvedAt ?? input.scan.at));
  }
  // A waiver expired: the finding was SUPPRESSED at the previous scan and is failing again, unwaived.
  const expired = input.findings
    .filter((f) => f.waiverExpired && f.status !== 'SUPPRESSED' && isFailing(f))
    .filter((f) => previousByKey.get(findingKey(f))?.finding.status === 'SUPPRESSED')
    .sort(byKey);
  for (const finding of expired) {
    const key = findingKey(finding);
    events.push(detail('WAIVER_EXPIRED', finding, finding.status, input.scan, writtenByKey.get(key)?.firstSeen ?? input.scan.at));
  }
  return events;
}

function detail(change: FindingChange, f: StoredFinding, status: FindingStatus | 'GONE', scan: { scanId: string; at: string }, firstSeen: string, resolvedAt?: string): FindingChangedDetail {
  const key = findingKey(f);
  const arn = resourceArn(f);
  return {
    schemaVersion: FINDING_CHANGED_SCHEMA_VERSION,
    eventId: `${scan.scanId}/${change}/${key}`,
    change,
    scanId: scan.scanId,
    scanAt: scan.at,
    finding: {
      key,
      ruleId: f.ruleId,
      title: f.title,
      status,
      ruleStatus: f.ruleStatus,
      severity: f.severity,
      resourceType: f.resourceType,
      resourceId: f.resourceId,
      ...(arn ? { resourceArn: arn } : {}),
      ...(f.resourceName ? { resourceName: f.resourceName } : {}),
      accountId: f.accountId,
      region: f.region,
      environment: f.environment,
      production: f.production,
      cluster: f.cluster,
      observed: f.observed,
      required: f.required,
      requirement: f.requirement,
      remediation: f.remediation,
      firstSeen,
      ...(resolvedAt ? { resolvedAt } : {}),
      ...(change === 'WAIVER_EXPIRED' && f.waiverExpired ? { waiverExpired: f.waiverExpired } : {}),
    },
  };
}
