import { summarise } from '../../../lambdas/core/summarise';
import type { Finding, ScanResult } from '../../../lambdas/core/model';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { reportModelFromScanResult } from '../../../lambdas/core/report/report-model-from-scan-result';
import { NOW, PREVIOUS_SCAN_ID, SCAN_ID, sampleInput, scanRecord, storedFinding, suppression } from '../../support/report-fixtures';

describe('buildReportModel', () => {
  const model = buildReportModel(sampleInput());

  it('sorts findings worst first: FAIL by severity, UNKNOWN, SUPPRESSED, PASS, NOT_APPLICABLE', () => {
    expect(model.findings.map((f) => `${f.status}:${f.severity}:${f.ruleId}`)).toEqual([
      'FAIL:critical:instance.public-address',
      'FAIL:high:instance.vcpu',
      'FAIL:low:instance.disk',
      'UNKNOWN:high:redis.version',
      'SUPPRESSED:medium:instance.clock-speed',
      'PASS:high:cluster.size',
      'PASS:high:instance.memory',
      'NOT_APPLICABLE:info:network.frontend-reachability',
    ]);
  });

  it('counts by status and failing findings by severity, from the findings themselves', () => {
    expect(model.counts).toEqual({ FAIL: 3, UNKNOWN: 1, SUPPRESSED: 1, PASS: 2, NOT_APPLICABLE: 1 });
    expect(model.failBySeverity).toEqual({ critical: 1, high: 1, medium: 0, low: 1, info: 0 });
    expect(model.attention.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'UNKNOWN']);
  });

  it('computes compliance as PASS over evaluated findings (UNKNOWN and SUPPRESSED count against)', () => {
    expect(model.compliancePercent).toBeCloseTo((2 / 7) * 100, 10);
  });

  it('carries new and resolved findings and the previous scan id', () => {
    expect(model.changes.compared).toBe(true);
    expect(model.changes.previousScanId).toBe(PREVIOUS_SCAN_ID);
    expect(model.changes.new.map((f) => f.ruleId)).toEqual(['instance.public-address']);
    expect(model.changes.resolved.map((f) => f.ruleId)).toEqual(['subnet.private']);
  });

  it('lists waivers expiring within 14 days with the findings they suppress, not later or past ones', () => {
    expect(model.waivers.expiringWithinDays).toBe(14);
    expect(model.waivers.expiringSoon).toEqual([{ suppression: suppression(), daysLeft: 5, suppressedFindings: 1 }]);
  });

  it('honours a custom window, boundaries included', () => {
    const inWindow = suppression({ id: 'edge', expiresAt: new Date(NOW.getTime() + 3 * 86_400_000).toISOString() });
    const outside = suppression({ id: 'after', expiresAt: new Date(NOW.getTime() + 3 * 86_400_000 + 1).toISOString() });
    const m = buildReportModel(sampleInput({ suppressions: [outside, inWindow], expiringWithinDays: 3 }));
    expect(m.waivers.expiringSoon.map((w) => [w.suppression.id, w.daysLeft])).toEqual([['edge', 3]]);
  });

  it('calls out findings whose waiver expired', () => {
    expect(model.waivers.expired.map((e) => [e.finding.ruleId, e.waiver.id])).toEqual([['instance.disk', 'waiver-0']]);
  });

  it('orders the trend oldest first and ends it with this scan', () => {
    expect(model.trend.map((p) => p.scanId)).toEqual(['scan-2025-06-07', 'scan-2025-06-08', PREVIOUS_SCAN_ID, SCAN_ID]);
    expect(model.trend[0]!.compliancePercent).toBe(0);
    expect(model.trend[3]!.counts).toEqual(model.counts);
  });

  it('keeps only the most recent trend points', () => {
    const m = buildReportModel(sampleInput({ trendLength: 2 }));
    expect(m.trend.map((p) => p.scanId)).toEqual([PREVIOUS_SCAN_ID, SCAN_ID]);
  });

  it('gives no compliance percentage when nothing was evaluated', () => {
    const m = buildReportModel(sampleInput({ findings: [storedFinding({ status: 'NOT_APPLICABLE' })], scan: scanRecord({ status: 'FAILED' }) }));
    expect(m.compliancePercent).toBeNull();
  });

  it('does not invent changes when there is no previous scan', () => {
    const input = sampleInput({ compared: false });
    const m = buildReportModel(input);
    expect(m.changes).toEqual({ compared: false, previousScanId: PREVIOUS_SCAN_ID, new: [], resolved: [] });
  });
});

describe('reportModelFromScanResult', () => {
  const failing: Finding = { ...storedFinding(), status: 'FAIL' };
  const passing: Finding = { ...storedFinding({ ruleId: 'instance.memory' }), status: 'PASS' };
  const unknown: Finding = { ...storedFinding({ ruleId: 'redis.version', severity: 'critical' }), status: 'UNKNOWN' };
  for (const f of [failing, passing, unknown]) {
    delete (f as Partial<{ scanId: string; ruleStatus: string }>).scanId;
    delete (f as Partial<{ scanId: string; ruleStatus: string }>).ruleStatus;
  }
  const result: ScanResult = {
    scan: {
      capturedAt: '2025-06-10T01:59:00.000Z',
      evaluatedAt: '2025-06-10T02:00:00.000Z',
      status: 'PARTIAL',
      targets: [{ accountId: '111122223333', region: 'eu-west-1', errors: [{ service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDenied', message: 'no' }] }],
      notEvaluated: [],
    },
    summary: summarise([failing, passing, unknown], { redisServers: 3, frontends: 2, clusters: 1, notEvaluated: 0, apiCalls: { 'ec2:DescribeInstances': 2 } }),
    findings: [passing, failing, unknown],
  };

  it('wraps a fresh evaluation with no history, no waivers and the scan errors', () => {
    const model = reportModelFromScanResult(result, NOW);
    expect(model.scan.scanId).toBe('local-2025-06-10T02:00:00.000Z');
    expect(model.scan.trigger).toBe('cli');
    expect(model.scan.startedAt).toBe('2025-06-10T02:00:00.000Z');
    expect(model.capturedAt).toBe('2025-06-10T01:59:00.000Z');
    expect(model.scan.status).toBe('PARTIAL');
    expect(model.scan.errors).toEqual([{ accountId: '111122223333', region: 'eu-west-1', service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDenied', message: 'no' }]);
    expect(model.changes.compared).toBe(false);
    expect(model.findings.map((f) => [f.status, f.ruleStatus, f.scanId])).toEqual([
      ['FAIL', 'FAIL', model.scan.scanId],
      ['UNKNOWN', 'UNKNOWN', model.scan.scanId],
      ['PASS', 'PASS', model.scan.scanId],
    ]);
    expect(model.counts).toEqual({ FAIL: 1, UNKNOWN: 1, SUPPRESSED: 0, PASS: 1, NOT_APPLICABLE: 0 });
    expect(model.trend.map((p) => p.scanId)).toEqual([model.scan.scanId]);
  });

  it('copies each finding whole, its keys in their order, then the scan id and the rule status; the inputs stay as they were', () => {
    const model = reportModelFromScanResult(result, NOW);
    for (const source of [failing, passing, unknown]) {
      const copy = model.findings.find((f) => f.ruleId === source.ruleId)!;
      expect(copy).not.toBe(source);
      expect(Object.keys(copy)).toEqual([...Object.keys(source), 'scanId', 'ruleStatus']);
      expect(copy).toEqual({ ...source, scanId: model.scan.scanId, ruleStatus: source.status });
      expect('scanId' in source).toBe(false);
    }
    const stored = storedFinding({ status: 'SUPPRESSED', ruleStatus: 'FAIL' });
    const waived = reportModelFromScanResult({ ...result, findings: [stored] }, NOW, { scanId: 'cli-2' }).findings[0]!;
    expect(Object.keys(waived)).toEqual(Object.keys(stored));
    expect(waived).toEqual({ ...stored, scanId: 'cli-2' });
  });

  it('takes a scan id and report URL when given', () => {
    const model = reportModelFromScanResult(result, NOW, { scanId: 'cli-1', reportUrl: 'https://x.example/r.html' });
    expect(model.scan.scanId).toBe('cli-1');
    expect(model.reportUrl).toBe('https://x.example/r.html');
  });
});
