import { renderMarkdown } from '../../../lambdas/core/report/render-markdown';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { ACCOUNT, REGION, sampleInput, scanRecord } from '../../support/report-fixtures';

describe('renderMarkdown', () => {
  const model = buildReportModel(sampleInput());
  const markdown = renderMarkdown(model);

  it('has the summary, changes, waivers and a findings table row per finding', () => {
    expect(markdown).toContain('# Redis compliance report');
    expect(markdown).toContain('HTML report: https://reports.example.com/scans/scan-2025-06-10/report.html');
    expect(markdown).toContain('Compliance: **28.6 %** (PASS share of evaluated findings, rounded to 0.1 %)');
    expect(markdown).toContain('### New (1)');
    expect(markdown).toContain('### Expired (1): these findings count again');
    expect(markdown).toContain('## Findings (8)');
    const rows = markdown.split('\n').filter((l) => /^\| \d+ \| [A-Z\\_]+ \|/.test(l));
    expect(rows).toHaveLength(model.findings.length);
    expect(rows[0]).toContain('Disassociate the public address and launch in a private subnet.');
  });

  it('shows scan errors of a PARTIAL scan', () => {
    const partial = renderMarkdown(buildReportModel(sampleInput({ scan: scanRecord({ status: 'PARTIAL', errors: [{ accountId: ACCOUNT, region: REGION, service: 'ec2', operation: 'DescribeSubnets', code: 'Throttling', message: 'slow down' }] }) })));
    expect(partial).toContain('## Scan errors');
    expect(partial).toContain('| 111122223333 / eu-west-1 | ec2:DescribeSubnets | Throttling | slow down |');
  });
});
