/**
 * The report e-mail stays under Gmail's clipping size (about 102 kB of HTML) at any estate size:
 * summary, what changed and the worst findings first, then a link to the full report. Checked with
 * a 10,000-server synthetic estate (about 100,000 findings).
 */
import { syntheticSnapshot } from '../../../bench/synthetic-estate';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { DEFAULT_EMAIL_HTML_BYTES, renderEmail } from '../../../lambdas/core/report/render-email';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { reportModelFromScanResult } from '../../../lambdas/core/report/report-model-from-scan-result';
import { inspectHtml } from '../../support/html-inspect';

const now = new Date('2026-11-25T02:05:00.000Z');
const evaluated = reportModelFromScanResult(evaluateSnapshot(syntheticSnapshot(10_000), { now: () => now }), now, { scanId: 'scan-2026-11-25T02-00-00Z', trigger: 'scheduled' });
// The same scan with history: every failing finding new since the previous scan, and some resolved.
const model = buildReportModel({
  scan: evaluated.scan,
  findings: evaluated.findings,
  changes: { new: evaluated.attention.slice(0, 5000), resolved: evaluated.attention.slice(5000, 7000) },
  previousScanId: 'scan-2026-11-24T02-00-00Z',
  suppressions: [],
  trend: [],
  now,
});
const presigned = 'https://redis-compliance-reports.s3.eu-west-1.amazonaws.com/reports/scan-2026-11-25T02-00-00Z/report.html?X-Amz-Expires=43200&X-Amz-Signature=abc';
const email = renderEmail(model, { fullReportUrl: presigned });
const text = inspectHtml(email.html).text;

describe('the report e-mail of a 10,000-server estate', () => {
  it('has that many servers and findings', () => {
    expect(model.scan.redisServers).toBeGreaterThanOrEqual(10_000);
    expect(model.attention.length).toBeGreaterThan(5000);
  });

  it(`keeps its HTML under ${DEFAULT_EMAIL_HTML_BYTES} bytes`, () => {
    expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThanOrEqual(DEFAULT_EMAIL_HTML_BYTES);
  });

  it('gives the summary, what changed, the worst findings first and the link to the full report', () => {
    expect(text).toContain(`Failing${model.counts.FAIL}`);
    expect(text).toContain('What changed since the previous scan');
    expect(text).toContain('New (5000)');
    expect(text).toContain('Resolved (2000)');
    expect(text).toMatch(/and \d+ more new finding\(s\): see the full report/);
    // The worst finding first: the first listed after the heading is model.attention[0].
    const worst = model.attention[0]!;
    const section = text.slice(text.indexOf(`Needing attention (${model.attention.length}), worst first`));
    expect(section.indexOf(worst.resourceId)).toBeGreaterThan(-1);
    expect(section).toMatch(/and \d+ more finding\(s\) needing attention: see the full report/);
    expect(inspectHtml(email.html).attributes).toContainEqual(['a', 'href', presigned]);
  });

  it('shows as many findings as fit: more than a screenful', () => {
    const shown = Number(/Needing attention \((\d+)\)/.exec(text)![1]) - Number(/and (\d+) more finding\(s\) needing attention/.exec(text)![1]);
    expect(shown).toBeGreaterThanOrEqual(50);
  });
});

describe('a small estate', () => {
  it('fits whole: no "more" line, and the link is the model\'s report URL by default', () => {
    const small = reportModelFromScanResult(evaluateSnapshot(syntheticSnapshot(3), { now: () => now }), now, { reportUrl: 'file:///tmp/out/report.html' });
    const html = renderEmail(small).html;
    expect(html).not.toContain('more finding(s) needing attention');
    expect(inspectHtml(html).attributes).toContainEqual(['a', 'href', 'file:///tmp/out/report.html']);
  });
});
