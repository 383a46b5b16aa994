import { renderJson } from '../../../lambdas/core/report/render-json';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { sampleInput, sampleFindings } from '../../support/report-fixtures';

describe('renderJson', () => {
  const model = buildReportModel(sampleInput());
  const json = renderJson(model);
  const parsed = JSON.parse(json) as Record<string, any>;

  it('has scan, summary and findings', () => {
    expect(Object.keys(parsed)).toEqual(['format', 'generatedAt', 'reportUrl', 'scan', 'summary', 'findings']);
    expect(parsed.scan.scanId).toBe(model.scan.scanId);
    expect(parsed.summary.counts).toEqual({ FAIL: 3, UNKNOWN: 1, SUPPRESSED: 1, PASS: 2, NOT_APPLICABLE: 1 });
    expect(parsed.summary.failBySeverity).toEqual({ critical: 1, high: 1, medium: 0, low: 1, info: 0 });
    expect(parsed.summary.changes.new).toHaveLength(1);
    expect(parsed.summary.waivers.expiringSoon.map((w: { id: string }) => w.id)).toEqual(['waiver-1']);
    expect(parsed.findings).toHaveLength(model.findings.length);
    expect(parsed.findings[0]).toMatchObject({ status: 'FAIL', severity: 'critical', observed: 'Public IPv4 address 203.0.113.10 is attached.', suppression: null });
  });

  it('is stable: the same input in any order gives the same bytes', () => {
    const reversed = sampleInput({ findings: sampleFindings().reverse() });
    expect(renderJson(buildReportModel(reversed))).toBe(json);
  });

  it('gives every finding the same keys in the same order', () => {
    const keys = parsed.findings.map((f: object) => Object.keys(f).join(','));
    expect(new Set(keys).size).toBe(1);
  });
});
