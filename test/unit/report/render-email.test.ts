import { renderEmail } from '../../../lambdas/core/report/render-email';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { renderTextSummary } from '../../../lambdas/core/report/render-text-summary';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { sampleInput } from '../../support/report-fixtures';

describe('renderEmail', () => {
  const model = buildReportModel(sampleInput());
  const email = renderEmail(model);

  it('has a one-line subject with the status and the failing counts', () => {
    expect(email.subject).toBe('[Redis compliance report] COMPLETE: 3 failing (1 critical), 1 unknown, 1 new, 28.6 % compliant (scan scan-2025-06-10T02-00-00Z)');
  });

  it('gives a compact HTML part (not the whole report) linking to the full report, and the text summary', () => {
    expect(email.html).not.toBe(renderHtml(model));
    expect(email.html).toContain(`<a href="${model.reportUrl}">Open the full report</a>`);
    expect(email.text).toBe(renderTextSummary(model));
  });

  it('links to the full report where the caller stored it, in both parts', () => {
    const stored = renderEmail(model, { fullReportUrl: 'https://bucket.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=1&a=2' });
    expect(stored.html).toContain('<a href="https://bucket.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=1&amp;a=2">Open the full report</a>');
    expect(stored.text).toContain('Full report: https://bucket.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=1&a=2');
  });

  it('never links a script URL', () => {
    const bad = renderEmail(buildReportModel(sampleInput({ reportUrl: 'javascript:alert(1)' })));
    expect(bad.html).not.toContain('javascript:');
  });
});

describe('renderTextSummary', () => {
  const text = renderTextSummary(buildReportModel(sampleInput()));

  it('gives counts, changes, the worst findings with remediation, waivers and the link', () => {
    expect(text).toContain('Failing: 3 (critical 1, high 1, medium 0, low 1, info 0)');
    expect(text).toContain('New since the previous scan: 1');
    expect(text).toContain('1. [FAIL critical] Redis server has no public IP address: i-0aaa00000000000a3 (redis-prod-3)');
    expect(text).toContain('   Remediation: Disassociate the public address and launch in a private subnet.');
    expect(text).toContain('4. [UNKNOWN high] Redis Server 7.0.x is installed');
    expect(text).toContain('Waivers expired (1)');
    expect(text).toContain('Waivers expiring within 14 days: 1');
    expect(text).toContain('Full report: https://reports.example.com/scans/scan-2025-06-10/report.html');
  });

  it('cuts long lists with "and N more"', () => {
    const short = renderTextSummary(buildReportModel(sampleInput()), { worstFindings: 2 });
    expect(short).toContain('and 2 more finding(s) needing attention');
    expect(short).not.toContain('3. [');
  });
});
