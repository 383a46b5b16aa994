/**
 * What makes the HTML report readable: a finding alone in its group is written with its own
 * resource (no placeholders), the passing lists are reachable by link and name their resources,
 * the capture-error table and the trend chart read on a 390 px phone, and the compliance figure is
 * rounded and says what it is.
 */
import { compliancePercent, formatPercent } from '../../../lambdas/core/report/compliance';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { inspectHtml } from '../../support/html-inspect';
import { sampleInput, scanRecord, storedFinding } from '../../support/report-fixtures';

/** The text of each group article, by its id. */
function articles(html: string): string[] {
  return [...html.matchAll(/<article class="finding[^"]*" id="group-\d+">([\s\S]*?)<\/article>/g)].map((m) => m[1]!);
}

describe('a group of one finding', () => {
  const own = storedFinding({
    ruleId: 'redis.version',
    resourceId: 'i-0bbb00000000000b1',
    resourceName: 'redis-<b>odd</b>-1',
    title: 'Redis server i-0bbb00000000000b1 runs a stable Redis 7.0.x',
    observed: 'i-0bbb00000000000b1 (redis-<b>odd</b>-1) runs Redis 6.2.14.',
    required: 'Redis 7.0.x on i-0bbb00000000000b1.',
    remediation: 'Install the latest stable Redis 7.0.x on i-0bbb00000000000b1 (redis-<b>odd</b>-1).',
  });
  const pair = ['i-0ccc00000000000c1', 'i-0ccc00000000000c2'].map((id, n) =>
    storedFinding({ ruleId: 'instance.disk', resourceId: id, resourceName: `cache-${n}`, title: 'Disk', observed: `${id} has 8 GB.`, required: '10 GB.', remediation: `Grow the disk of ${id}.` }),
  );
  const html = renderHtml(buildReportModel(sampleInput({ findings: [own, ...pair] })));
  const [alone, shared] = articles(html);

  it('names its resource in the title, required, remediation and observed sentence: no placeholder', () => {
    const text = inspectHtml(alone!).text;
    expect(text).not.toMatch(/\[(resource|name|cluster)\]/);
    expect(text).toContain(own.title);
    expect(text).toContain(own.required);
    expect(text).toContain(own.remediation);
    expect(text).toContain(own.observed);
  });

  it('keeps its values escaped', () => {
    expect(alone).not.toContain('<b>odd</b>');
    expect(alone).toContain('redis-&lt;b&gt;odd&lt;/b&gt;-1');
  });

  it('while a group of two still shares one sentence with placeholders', () => {
    const text = inspectHtml(shared!).text;
    expect(text).toContain('Grow the disk of [resource].');
    expect(text).toContain('[resource] has 8 GB.');
  });
});

describe('the passing lists', () => {
  const passing = ['i-0ddd00000000000d1', 'i-0ddd00000000000d2'].map((id, n) => storedFinding({ status: 'PASS', ruleStatus: 'PASS', resourceId: id, resourceName: `sessions-${n}` }));
  const html = renderHtml(buildReportModel(sampleInput({ findings: passing })));

  it('are linked from the rule table and list each resource with its name', () => {
    expect(html).toContain('<a href="#pass-1">List 1</a>');
    expect(html).toContain('id="pass-1"');
    for (const f of passing) expect(html).toContain(`${f.resourceId} (${f.resourceName})`);
  });
});

describe('at 390 px', () => {
  const html = renderHtml(
    buildReportModel(
      sampleInput({
        scan: scanRecord({
          status: 'PARTIAL',
          errors: [{ accountId: '444455556666', region: 'ap-southeast-2', service: 'ec2', operation: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }],
        }),
      }),
    ),
  );
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;

  it('keeps account ids, calls and error codes whole in the capture-error table (cells stack instead)', () => {
    const table = /<section id="scan-errors"[\s\S]*?<\/section>/.exec(html)![0];
    for (const token of ['444455556666 / ap-southeast-2', 'ec2:DescribeInstances', 'UnauthorizedOperation']) {
      const cell = new RegExp(`<(td|code)[^>]*class="token"[^>]*>${token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}<`).exec(table);
      expect(cell).not.toBeNull();
    }
    expect(css).toMatch(/\.token\{[^}]*white-space:nowrap/);
    expect(css).toMatch(/@media \(max-width:\d+px\)\{table\.stack/);
  });

  it('draws the trend chart so that its text is at least 10 px on the phone', () => {
    // The chart is as wide as the figure: 390 px less the page padding (2 x 16), the figure padding (2 x 10) and borders (2 x 1).
    const shownWidth = 390 - 2 * 16 - 2 * 10 - 2;
    const chart = /<svg class="chart" id="chart-trend"[^>]*viewBox="0 0 (\d+) \d+"/.exec(html)!;
    const fontSize = Number(/\.chart-axis\{font-size:(\d+)px/.exec(css)?.[1] ?? /\.chart-label,\.chart-value,\.chart-axis\{font-size:(\d+)px/.exec(css)![1]);
    expect((fontSize * shownWidth) / Number(chart[1])).toBeGreaterThanOrEqual(10);
  });
});

describe('the compliance figure', () => {
  it('is rounded to one decimal, never shown as 100 % or 0 % when it is not', () => {
    expect(formatPercent(74.68)).toBe('74.7 %');
    expect(formatPercent(compliancePercent({ PASS: 2, FAIL: 5 }))).toBe('28.6 %');
    expect(formatPercent(99.96)).toBe('99.9 %');
    expect(formatPercent(0.04)).toBe('0.1 %');
    expect(formatPercent(100)).toBe('100.0 %');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(null)).toBe('n/a');
  });

  it('says what it is beside it in the HTML summary', () => {
    const html = renderHtml(buildReportModel(sampleInput()));
    const card = /<section id="summary">[\s\S]*?<\/section>/.exec(html)![0];
    expect(inspectHtml(card).text).toMatch(/28\.6 %compliant \(PASS share of evaluated findings, rounded to 0\.1 %\)/);
  });
});
