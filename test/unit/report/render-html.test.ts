import { renderHtml } from '../../../lambdas/core/report/render-html';
import { fillTemplate, needsDecision, observedTemplate, templateOf } from '../../../lambdas/core/report/finding-groups';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { inspectHtml } from '../../support/html-inspect';
import { ACCOUNT, REGION, sampleInput, scanRecord } from '../../support/report-fixtures';

/** The HTML of the element with id `id` (a section or article), by balanced tag counting. */
function element(html: string, tag: string, id: string): string {
  const open = html.indexOf(`id="${id}"`);
  expect(open).toBeGreaterThan(-1);
  const from = html.lastIndexOf(`<${tag}`, open);
  let depth = 0;
  const re = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  re.lastIndex = from;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(from, m.index + m[0].length);
  }
  throw new Error(`unbalanced <${tag}> for ${id}`);
}

describe('renderHtml', () => {
  const model = buildReportModel(sampleInput());
  const html = renderHtml(model);
  const parsed = inspectHtml(html);

  it('is one self-contained document readable on a phone', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(parsed.attributes).toContainEqual(['meta', 'name', 'viewport']);
    expect(parsed.attributes).toContainEqual(['meta', 'content', 'width=device-width, initial-scale=1']);
    expect(parsed.tags).not.toContain('script');
    expect(parsed.tags).not.toContain('link');
    expect(parsed.tags).not.toContain('img');
    expect(html).toMatch(/<style>[^<]*@media \(min-width/);
    const csp = parsed.attributes.find(([tag, name, value]) => tag === 'meta' && name === 'content' && value.startsWith("default-src 'none'"));
    expect(csp).toBeDefined();
  });

  it('draws the severity bar chart with one bar per severity, sized by count', () => {
    const chart = element(html, 'svg', 'chart-severity');
    const bars = [...chart.matchAll(/<rect [^>]*width="(\d+)"[^>]*><title>([a-z]+): (\d+)<\/title>/g)].map((m) => [m[2], Number(m[3]), Number(m[1])]);
    expect(bars.map(([sev, count]) => [sev, count])).toEqual([['critical', 1], ['high', 1], ['medium', 0], ['low', 1], ['info', 0]]);
    const widths = Object.fromEntries(bars.map(([sev, , width]) => [sev, width]));
    expect(widths.medium).toBe(0);
    expect(widths.critical).toBeGreaterThan(0);
    expect(widths.critical).toBe(widths.high);
  });

  it('draws the compliance trend over the last scans, oldest first', () => {
    const chart = element(html, 'svg', 'chart-trend');
    const points = [...chart.matchAll(/<circle [^>]*><title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(points).toEqual([
      'scan-2025-06-07 (2025-06-07): 0.0 %',
      'scan-2025-06-08 (2025-06-08): 20.0 %',
      'scan-2025-06-09T02-00-00Z (2025-06-09): 37.5 %',
      'scan-2025-06-10T02-00-00Z (2025-06-10): 28.5 %',
    ]);
    expect(chart).toMatch(/<polyline points="[^"]+"/);
  });

  it('shows every failing, unknown and waived finding in full: its group has the title, required, requirement, remediation, its resource and its observed sentence', () => {
    const attention = model.findings.filter((f) => needsDecision(f.status));
    expect(attention.length).toBeGreaterThan(0);
    const groups = [...html.matchAll(/id="(group-\d+)"/g)].map((m) => inspectHtml(element(html, 'article', m[1]!)).text);
    for (const finding of attention) {
      const template = observedTemplate(finding);
      const group = groups.find((text) => text.includes(templateOf(finding.title, finding)) && text.includes(template) && text.includes(finding.resourceId));
      expect(group).toBeDefined();
      expect(group).toContain(templateOf(finding.required, finding));
      expect(group).toContain(finding.requirement);
      expect(group).toContain(templateOf(finding.remediation, finding));
      // The sentence read back for this resource is the finding's own.
      expect(fillTemplate(template, finding)).toBe(finding.observed);
    }
  });

  it('counts passing and not-applicable findings per rule and lists their resources in a folded list', () => {
    const passing = element(html, 'section', 'passing');
    for (const status of ['PASS', 'NOT_APPLICABLE'] as const) {
      const byRule = new Map<string, string[]>();
      for (const f of model.findings.filter((x) => x.status === status)) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f.resourceId]);
      for (const [ruleId, ids] of byRule) {
        const row = inspectHtml(element(passing, 'tr', `tally-${ruleId}-${status}`));
        expect(row.text).toContain(`${ids.length} resource(s)`);
        for (const id of ids) expect(row.text).toContain(id);
        expect(row.tags).toContain('details');
      }
    }
    // No passing finding gets a card of its own.
    const findingsSection = inspectHtml(element(html, 'section', 'findings')).text;
    for (const f of model.findings.filter((x) => x.status === 'PASS')) expect(findingsSection).not.toContain(f.title);
  });

  it('shows a suppressed finding as such, with the waiver reason, owner and expiry', () => {
    const index = model.findings.findIndex((f) => f.status === 'SUPPRESSED');
    const suppressed = model.findings[index]!;
    const groupId = [...html.matchAll(/id="(group-\d+)"/g)].map((m) => m[1]!).find((id) => element(html, 'article', id).includes('badge st-SUPPRESSED'))!;
    const article = element(html, 'article', groupId);
    const text = inspectHtml(article).text;
    expect(text).toContain(suppressed.resourceId);
    expect(text).toContain('Suppressed by waiver-1');
    expect(text).toContain('Vendor-approved exception until the migration to m7i.');
    expect(text).toContain('platform-team@example.com');
    expect(text).toContain('2025-06-15 00:00 UTC');
    expect(text).toContain('rule verdict FAIL');
  });

  it('calls out expired waivers and lists the ones expiring soon', () => {
    const waivers = inspectHtml(element(html, 'section', 'waivers')).text;
    expect(waivers).toContain('1 waiver(s) expired: these findings count again.');
    expect(waivers).toContain('waiver-0');
    expect(waivers).toContain('Expiring within 14 days (1)');
    expect(waivers).toContain('2025-06-15 (in 5 day(s))');
    expect(waivers).not.toContain('waiver-later');
  });

  it('shows new and resolved findings since the previous scan', () => {
    const changes = inspectHtml(element(html, 'section', 'changes')).text;
    expect(changes).toContain('New (1)');
    expect(changes).toContain('Redis server has no public IP address: i-0aaa00000000000a3 (redis-prod-3)');
    expect(changes).toContain('Resolved (1)');
    expect(changes).toContain('subnet-0redis0000000001 (redis-subnet)');
  });

  it('shows the errors of a PARTIAL scan; a COMPLETE scan has no error banner', () => {
    expect(html).not.toContain('id="scan-errors"');
    const partial = renderHtml(
      buildReportModel(sampleInput({ scan: scanRecord({ status: 'PARTIAL', errors: [{ accountId: ACCOUNT, region: REGION, service: 'ec2', operation: 'DescribeNetworkAcls', code: 'UnauthorizedOperation', message: 'not allowed' }] }) })),
    );
    const banner = inspectHtml(element(partial, 'section', 'scan-errors')).text;
    expect(banner).toContain('Scan PARTIAL: 1 collection error(s)');
    expect(banner).toContain('ec2:DescribeNetworkAcls');
    expect(banner).toContain('UnauthorizedOperation');
    expect(banner).toContain('not allowed');
  });

  it('shares one observed sentence between findings that differ only in their own resource, and reads back each one exactly', () => {
    const base = model.findings.find((f) => f.status === 'FAIL')!;
    const many = Array.from({ length: 30 }, (_, i) => ({ ...base, resourceId: `i-0shared${String(i).padStart(9, '0')}`, resourceName: `redis-shared-${i}`, observed: `Server i-0shared${String(i).padStart(9, '0')} (redis-shared-${i}) carries the shared-sentence marker.` }));
    const big = renderHtml({ ...model, findings: [...many, ...model.findings] });
    const text = inspectHtml(big).text;
    expect(text).toContain('Server [resource] ([name]) carries the shared-sentence marker.');
    expect(text).toContain('30 resource(s)');
    for (const f of many) expect(text).toContain(f.resourceId);
    expect(big.split('carries the shared-sentence marker.').length - 1).toBe(1);
  });

  it('links the report URL only when it is http(s)', () => {
    const bad = renderHtml(buildReportModel(sampleInput({ reportUrl: 'javascript:alert(1)' })));
    expect(inspectHtml(bad).attributes.filter(([, name]) => name === 'href').map(([, , v]) => v)).toEqual(['#']);
  });
});
