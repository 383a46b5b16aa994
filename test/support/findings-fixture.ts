/** Findings and scan records for store, waiver and handler tests (values as the engine produces them). */
import { SEVERITIES, type Finding, type FindingStatus, type ScanRecord, type Severity, type StoredFinding } from '../../lambdas/core/model';

export function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'instance.vcpu',
    resourceType: 'AWS::EC2::Instance',
    resourceId: 'i-0123456789abcdef0',
    resourceName: 'redis-prod-1',
    accountId: '111122223333',
    region: 'eu-west-1',
    environment: 'production',
    production: true,
    cluster: 'sessions',
    status: 'FAIL',
    severity: 'high',
    title: 'Redis server has enough vCPUs',
    observed: 'm5.large has 2 vCPUs',
    required: '3 or 4 vCPUs',
    requirement: '3 dedicated or virtualized Redis servers with 3 or 4 vCPUs each (>2.6 Ghz) and 8GB of RAM',
    remediation: 'Change the instance type to one with 4 vCPUs, e.g. m5.xlarge.',
    ...overrides,
  };
}

export function aStoredFinding(scanId: string, overrides: Partial<StoredFinding> = {}): StoredFinding {
  const { status, ...rest } = aFinding();
  return { ...rest, scanId, status, ruleStatus: status, ...overrides } as StoredFinding;
}

export function zeroCounts(): Record<FindingStatus, number> {
  return { PASS: 0, FAIL: 0, UNKNOWN: 0, NOT_APPLICABLE: 0, SUPPRESSED: 0 };
}

export function zeroSeverities(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export function aScanRecord(scanId: string, startedAt: string, overrides: Partial<ScanRecord> = {}): ScanRecord {
  return {
    scanId,
    trigger: 'cli',
    startedAt,
    finishedAt: startedAt,
    status: 'COMPLETE',
    counts: zeroCounts(),
    failBySeverity: zeroSeverities(),
    apiCalls: {},
    errors: [],
    targets: [{ accountId: '111122223333', region: 'eu-west-1' }],
    redisServers: 0,
    frontends: 0,
    clusters: 0,
    notEvaluated: [],
    ...overrides,
  };
}
