/** Hand-made stored findings, scans and waivers for the report and notifier tests. */
import type { FindingChanges, ScanRecord, StoredFinding, Suppression, TrendPoint } from '../../lambdas/core/model';
import { REQUIREMENT } from '../../lambdas/core/requirements';
import type { ReportModelInput } from '../../lambdas/core/report/report-model';

export const NOW = new Date('2025-06-10T02:15:00.000Z');
export const SCAN_ID = 'scan-2025-06-10T02-00-00Z';
export const PREVIOUS_SCAN_ID = 'scan-2025-06-09T02-00-00Z';
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/** Attacker-controlled tag values: each must come out inert in every format. */
export const HOSTILE_VALUES = {
  script: '<script>alert(1)</script>',
  channel: '<!channel>',
  slackLink: '<http://evil|click>',
  userMention: '<@U123> & <#C123>',
  formula: "=cmd|' /C calc'!A0",
  atFormula: '@SUM(1)',
  pipesAndBackticks: 'prod | `rm -rf /` | ```block```',
  markdownLink: '[click](http://evil.example) ![x](http://evil.example/x.png) **bold**',
  quotes: `"><img src=x onerror=alert(1)>'`,
  terminal: '\u001b[31mred\u001b[0m\nINJECTED LINE\r\u202Eevil',
  long: ('&<>|`' + 'a'.repeat(45)).repeat(100),
} as const;

export type HostileName = keyof typeof HOSTILE_VALUES;

export function storedFinding(overrides: Partial<StoredFinding> = {}): StoredFinding {
  const status = overrides.status ?? 'FAIL';
  return {
    scanId: SCAN_ID,
    ruleId: 'instance.vcpu',
    resourceType: 'AWS::EC2::Instance',
    resourceId: 'i-0aaa00000000000a1',
    resourceName: 'redis-prod-1',
    accountId: ACCOUNT,
    region: REGION,
    environment: 'production',
    production: true,
    cluster: 'sessions',
    status,
    ruleStatus: status === 'SUPPRESSED' ? 'FAIL' : status,
    severity: 'high',
    title: 'Redis server has 3 or 4 vCPUs',
    observed: 'm6i.large has 2 vCPUs.',
    required: '3 or 4 vCPUs (production).',
    requirement: REQUIREMENT.prodServers,
    remediation: 'Change the instance type to one with 4 vCPUs, e.g. m6i.xlarge.',
    ...overrides,
  };
}

export function scanRecord(overrides: Partial<ScanRecord> = {}): ScanRecord {
  return {
    scanId: SCAN_ID,
    trigger: 'scheduled',
    startedAt: '2025-06-10T02:00:00.000Z',
    finishedAt: '2025-06-10T02:00:42.000Z',
    status: 'COMPLETE',
    counts: { FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0, PASS: 0, NOT_APPLICABLE: 0 },
    failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    apiCalls: { 'ec2:DescribeInstances': 1, 'ssm:DescribeInstanceInformation': 1 },
    errors: [],
    targets: [{ accountId: ACCOUNT, region: REGION }],
    redisServers: 3,
    frontends: 2,
    clusters: 1,
    notEvaluated: [],
    ...overrides,
  };
}

export function suppression(overrides: Partial<Suppression> = {}): Suppression {
  return {
    id: 'waiver-1',
    ruleId: 'instance.clock-speed',
    resourcePattern: 'i-0aaa*',
    reason: 'Vendor-approved exception until the migration to m7i.',
    owner: 'platform-team@example.com',
    expiresAt: '2025-06-15T00:00:00.000Z',
    createdAt: '2025-05-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The findings of a realistic scan: one of each status, a waiver in force and an expired one. */
export function sampleFindings(): StoredFinding[] {
  return [
    storedFinding({ ruleId: 'instance.memory', resourceId: 'i-0aaa00000000000a2', resourceName: 'redis-prod-2', status: 'PASS', severity: 'high', title: 'Redis server has 8 GiB of RAM or more', observed: '16 GiB.', required: '8 GiB or more.', remediation: 'Keep an instance type with 8 GiB or more.' }),
    storedFinding({ ruleId: 'instance.public-address', resourceId: 'i-0aaa00000000000a3', resourceName: 'redis-prod-3', severity: 'critical', title: 'Redis server has no public IP address', observed: 'Public IPv4 address 203.0.113.10 is attached.', required: 'No public IPv4 or IPv6 address.', requirement: REQUIREMENT.ownSubnet, remediation: 'Disassociate the public address and launch in a private subnet.' }),
    storedFinding(),
    storedFinding({ ruleId: 'redis.version', resourceId: 'i-0aaa00000000000a2', resourceName: 'redis-prod-2', status: 'UNKNOWN', severity: 'high', title: 'Redis Server 7.0.x is installed', observed: 'No SSM inventory for this instance: the Redis version could not be read.', required: 'Redis Server 7.0.x.', requirement: REQUIREMENT.redisVersion, remediation: 'Enable SSM inventory on the instance, then scan again.' }),
    storedFinding({
      ruleId: 'instance.clock-speed',
      status: 'SUPPRESSED',
      severity: 'medium',
      title: 'Redis server CPUs run above 2.6 GHz',
      observed: 'm5.large sustains 2.5 GHz.',
      required: 'More than 2.6 GHz.',
      remediation: 'Move to an instance family above 2.6 GHz, e.g. m7i.',
      suppression: { id: 'waiver-1', reason: 'Vendor-approved exception until the migration to m7i.', owner: 'platform-team@example.com', expiresAt: '2025-06-15T00:00:00.000Z' },
    }),
    storedFinding({
      ruleId: 'instance.disk',
      resourceId: 'i-0aaa00000000000a3',
      resourceName: 'redis-prod-3',
      severity: 'low',
      title: 'Redis server has 10 GB of disk or more',
      observed: 'Root volume of 8 GiB.',
      required: '10 GB or more.',
      requirement: REQUIREMENT.disk,
      remediation: 'Grow the root EBS volume to 10 GiB or more.',
      waiverExpired: { id: 'waiver-0', reason: 'Disk resize scheduled for May.', owner: 'ops@example.com', expiredAt: '2025-06-01T00:00:00.000Z' },
    }),
    storedFinding({ ruleId: 'cluster.size', resourceType: 'Redis::Cluster', resourceId: 'cluster/sessions', resourceName: undefined, status: 'PASS', severity: 'high', title: 'Production cluster has 3 Redis servers or more', observed: '3 servers.', required: '3 or more.', requirement: REQUIREMENT.prodServers, remediation: 'Keep 3 servers or more.' }),
    storedFinding({ ruleId: 'network.frontend-reachability', resourceId: 'i-0fff00000000000f1', resourceName: 'os-frontend-1', status: 'NOT_APPLICABLE', severity: 'info', title: 'Front-ends reach ports 7000 and 7001', observed: 'Front-end not in a Redis environment.', required: 'Ports 7000 and 7001 reachable.', requirement: REQUIREMENT.ports, remediation: 'Nothing to do.' }),
  ];
}

export function sampleChanges(findings: StoredFinding[]): FindingChanges {
  return {
    new: findings.filter((f) => f.ruleId === 'instance.public-address'),
    resolved: [storedFinding({ scanId: PREVIOUS_SCAN_ID, ruleId: 'subnet.private', resourceType: 'AWS::EC2::Subnet', resourceId: 'subnet-0redis0000000001', resourceName: 'redis-subnet', status: 'PASS', severity: 'critical', title: 'Redis subnet is private' })],
  };
}

export function sampleTrend(): TrendPoint[] {
  return [
    { scanId: 'scan-2025-06-08', finishedAt: '2025-06-08T02:00:40.000Z', counts: { FAIL: 6, UNKNOWN: 2, SUPPRESSED: 0, PASS: 2, NOT_APPLICABLE: 1 } },
    { scanId: PREVIOUS_SCAN_ID, finishedAt: '2025-06-09T02:00:41.000Z', counts: { FAIL: 3, UNKNOWN: 1, SUPPRESSED: 1, PASS: 3, NOT_APPLICABLE: 1 } },
    { scanId: 'scan-2025-06-07', finishedAt: '2025-06-07T02:00:39.000Z', counts: { FAIL: 8, UNKNOWN: 0, SUPPRESSED: 0, PASS: 0, NOT_APPLICABLE: 1 } },
  ];
}

export function sampleInput(overrides: Partial<ReportModelInput> = {}): ReportModelInput {
  const findings = sampleFindings();
  return {
    scan: scanRecord(),
    findings,
    changes: sampleChanges(findings),
    suppressions: [
      suppression(),
      suppression({ id: 'waiver-later', expiresAt: '2025-08-01T00:00:00.000Z' }),
      suppression({ id: 'waiver-past', expiresAt: '2025-06-01T00:00:00.000Z' }),
    ],
    trend: sampleTrend(),
    now: NOW,
    reportUrl: 'https://reports.example.com/scans/scan-2025-06-10/report.html',
    previousScanId: PREVIOUS_SCAN_ID,
    ...overrides,
  };
}

/** A failing finding that carries `value` in every attacker-reachable field, plus a waiver quoting it. */
export function hostileInput(value: string): ReportModelInput {
  const hostile = storedFinding({
    resourceName: value,
    environment: value,
    cluster: value,
    observed: `Name tag ${value} on m6i.large: 2 vCPUs.`,
    severity: 'critical',
  });
  const suppressed = storedFinding({
    ruleId: 'instance.clock-speed',
    status: 'SUPPRESSED',
    resourceName: value,
    suppression: { id: 'waiver-h', reason: value, owner: value, expiresAt: '2025-06-12T00:00:00.000Z' },
  });
  const expired = storedFinding({ ruleId: 'instance.disk', resourceName: value, waiverExpired: { id: 'waiver-x', reason: value, owner: value, expiredAt: '2025-06-01T00:00:00.000Z' } });
  const findings = [hostile, suppressed, expired];
  return sampleInput({
    scan: scanRecord({ status: 'PARTIAL', errors: [{ accountId: ACCOUNT, region: REGION, service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDenied', message: `denied for ${value}` }] }),
    findings,
    changes: { new: [hostile], resolved: [expired] },
    suppressions: [suppression({ id: 'waiver-h', reason: value, owner: value, resourcePattern: value, expiresAt: '2025-06-12T00:00:00.000Z' })],
  });
}
