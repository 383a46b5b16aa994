/**
 * The single-table design: every key the store writes or queries is built here, and
 * `createTableInput` creates the table (tests, the local pipeline, and the CDK stack mirror it).
 * docs/dynamodb-design.md explains each access pattern.
 */
import { createHash } from 'node:crypto';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { findingKey, SEVERITIES, type FindingStatus, type RuleId, type ScanRecord, type Severity, type StoredFinding } from '../../core/model';
import type { FindingOutline } from '../../core/report/passing-resources';
import type { ResourceRef } from './findings-store';

export const TTL_ATTRIBUTE = 'expiresAt';

export const INDEX = {
  /** Scans by time; resource history; all finding states; all waivers. */
  GSI1: 'GSI1',
  /** Finished scans by time; a scan's findings by status > severity > rule. */
  GSI2: 'GSI2',
  /** A scan's findings of one severity, by status > rule (worst first). */
  GSI3: 'GSI3',
  /** A scan's findings of one rule, by status > severity. */
  GSI4: 'GSI4',
} as const;
export type IndexName = (typeof INDEX)[keyof typeof INDEX];

/** The key attributes of the table and of each index. */
export const KEY_ATTRIBUTES: Record<'TABLE' | IndexName, { partition: string; sort: string }> = {
  TABLE: { partition: 'PK', sort: 'SK' },
  GSI1: { partition: 'GSI1PK', sort: 'GSI1SK' },
  GSI2: { partition: 'GSI2PK', sort: 'GSI2SK' },
  GSI3: { partition: 'GSI3PK', sort: 'GSI3SK' },
  GSI4: { partition: 'GSI4PK', sort: 'GSI4SK' },
};

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = Object.values(KEY_ATTRIBUTES).flatMap((k) => [k.partition, k.sort]);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: KEY_ATTRIBUTES.TABLE.partition, KeyType: 'HASH' },
      { AttributeName: KEY_ATTRIBUTES.TABLE.sort, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.values(INDEX).map((IndexName) => ({
      IndexName,
      KeySchema: [
        { AttributeName: KEY_ATTRIBUTES[IndexName].partition, KeyType: 'HASH' },
        { AttributeName: KEY_ATTRIBUTES[IndexName].sort, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/**
 * A value made safe for a key: short printable values are kept as they are (readable in the
 * console); long ones or ones with control characters (tag values are attacker-controlled and may be
 * 5,000 characters, beyond DynamoDB's 1,024-byte sort-key limit) become a SHA-256 digest.
 */
export function keyPart(value: string): string {
  if (value.length <= 200 && !/[\u0000-\u001f\u007f]/.test(value) && !value.startsWith('~')) return value;
  return `~sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

const STATUS_RANK: Record<FindingStatus, number> = { FAIL: 0, UNKNOWN: 1, SUPPRESSED: 2, PASS: 3, NOT_APPLICABLE: 4 };
export const STATUSES_WORST_FIRST = (Object.keys(STATUS_RANK) as FindingStatus[]).sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);
export const statusPart = (status: FindingStatus) => `${STATUS_RANK[status]}:${status}`;
export const severityPart = (severity: Severity) => `${SEVERITIES.indexOf(severity)}:${severity}`;

export const keys = {
  scanPartition: (scanId: string) => `SCAN#${scanId}`,
  scanRecord: (scanId: string) => ({ PK: `SCAN#${scanId}`, SK: 'SCAN' }),
  scansPartition: 'SCANS',
  finishedScansPartition: 'SCANS#FINISHED',
  scanTime: (scan: Pick<ScanRecord, 'scanId' | 'startedAt'>) => `${scan.startedAt}#${scan.scanId}`,
  findingSortPrefix: 'FINDING#',
  findingSortKey: (f: Parameters<typeof findingKey>[0]) => `FINDING#${keyPart(findingKey(f))}`,
  resourcePartition: (r: ResourceRef) => `RESOURCE#${keyPart(`${r.accountId}/${r.region}/${r.resourceId}`)}`,
  byStatusPartition: (scanId: string) => `SCAN#${scanId}#FINDINGS`,
  bySeverityPartition: (scanId: string, severity: Severity) => `SCAN#${scanId}#SEVERITY#${severity}`,
  byRulePartition: (scanId: string, ruleId: RuleId) => `SCAN#${scanId}#RULE#${ruleId}`,
  statePartition: (r: ResourceRef) => `STATE#${keyPart(`${r.accountId}/${r.region}/${r.resourceId}`)}`,
  stateSortKey: (ruleId: RuleId) => `RULE#${ruleId}`,
  statesPartition: 'STATES',
  exportedPartition: (r: ResourceRef) => `EXPORTED#${keyPart(`${r.accountId}/${r.region}/${r.resourceId}`)}`,
  exportedPairsPartition: 'EXPORTED',
  suppression: (id: string) => ({ PK: `SUPPRESSION#${id}`, SK: 'SUPPRESSION' }),
  suppressionsPartition: 'SUPPRESSIONS',
  /** The one scan lease (lambdas/core/scan-lease.ts): a partition of its own, in no index. */
  scanLease: { PK: 'LEASE#SCAN', SK: 'LEASE' },
};

/**
 * Sort-key prefixes for a findings query: which index serves which combination of filters.
 * Every combination of status / severity / rule is a key condition (no filter expression).
 */
export function findingsQuery(scanId: string, filter: { status?: FindingStatus; severity?: Severity; ruleId?: RuleId }): {
  index: 'GSI2' | 'GSI3' | 'GSI4';
  partition: string;
  sortPrefix: string;
} {
  const { status, severity, ruleId } = filter;
  if (status !== undefined || (severity === undefined && ruleId === undefined)) {
    // GSI2: status > severity > rule. Serves none, status, status+severity, status+severity+rule.
    if (ruleId !== undefined && severity === undefined) {
      // status+rule: GSI4 (rule partition) by status.
      return { index: 'GSI4', partition: keys.byRulePartition(scanId, ruleId), sortPrefix: `${statusPart(status!)}#` };
    }
    let prefix = status !== undefined ? `${statusPart(status)}#` : '';
    if (severity !== undefined) prefix += `${severityPart(severity)}#`;
    if (ruleId !== undefined) prefix += `${ruleId}#`;
    return { index: 'GSI2', partition: keys.byStatusPartition(scanId), sortPrefix: prefix };
  }
  if (severity !== undefined && ruleId === undefined) {
    // GSI3: severity partition, status > rule. Serves severity, worst first.
    return { index: 'GSI3', partition: keys.bySeverityPartition(scanId, severity), sortPrefix: '' };
  }
  if (severity !== undefined) {
    // severity+rule: GSI4 (rule partition, status > severity), one status after the other
    // (findingsByStatusInOrder): worst first, each a key condition.
    return { index: 'GSI4', partition: keys.byRulePartition(scanId, ruleId!), sortPrefix: `${statusPart(STATUSES_WORST_FIRST[0]!)}#${severityPart(severity)}#` };
  }
  // GSI4: rule partition, status > severity. Serves rule.
  return { index: 'GSI4', partition: keys.byRulePartition(scanId, ruleId!), sortPrefix: '' };
}

/** The finding fields a FindingOutline holds (what FindingsStore.listFindingOutlines projects). */
export const FINDING_OUTLINE_FIELDS = ['ruleId', 'status', 'severity', 'title', 'accountId', 'region', 'resourceId', 'resourceName'] as const satisfies ReadonlyArray<keyof FindingOutline>;

/** Every key attribute of a finding item (deterministic: same scan and finding => same keys). */
export function findingItemKeys(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>, f: StoredFinding): Record<string, string> {
  const key = keyPart(findingKey(f));
  return {
    PK: keys.scanPartition(scan.scanId),
    SK: keys.findingSortKey(f),
    GSI1PK: keys.resourcePartition(f),
    GSI1SK: `${keys.scanTime(scan)}#${f.ruleId}`,
    GSI2PK: keys.byStatusPartition(scan.scanId),
    GSI2SK: `${statusPart(f.status)}#${severityPart(f.severity)}#${f.ruleId}#${key}`,
    GSI3PK: keys.bySeverityPartition(scan.scanId, f.severity),
    // Status first: a severity's findings list worst first. Items written before this order (rule
    // first) keep theirs until their scan expires; they are still all listed.
    GSI3SK: `${statusPart(f.status)}#${f.ruleId}#${key}`,
    GSI4PK: keys.byRulePartition(scan.scanId, f.ruleId),
    GSI4SK: `${statusPart(f.status)}#${severityPart(f.severity)}#${key}`,
  };
}
