import type { RuleId } from '../../../lambdas/core/model';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { fillTemplate, needsDecision, observedTemplate, templateOf } from '../../../lambdas/core/report/finding-groups';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { inspectHtml } from '../../support/html-inspect';
import { ACCOUNT, REGION, sampleInput, scanRecord, storedFinding } from '../../support/report-fixtures';

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

/** The folded lists of the passing section: number, the verdicts its summary names, the resource ids it lists. */
function passingLists(passing: string): Array<{ n: number; verdicts: string[]; ids: string[] }> {
  return [...passing.matchAll(/id="pass-(\d+)"/g)].map((m) => {
    const list = element(passing, 'details', `pass-${m[1]}`);
    const summary = inspectHtml(list.slice(0, list.indexOf('</summary>'))).text;
    const [, what] = /· (.*)$/.exec(summary)!;
    const verdicts = what!.split('; ').flatMap((part) => {
      const [status, rules] = [part.slice(0, part.indexOf(' ')), part.slice(part.indexOf(' ') + 1)];
      return rules.split(', ').map((rule) => `${status} ${rule}`);
    });
    const ids = [...list.matchAll(/<p class="ids">(.*?)<\/p>/g)].flatMap((p) => inspectHtml(p[1]!).text.replace(/^[^:]*: /, '').split(' · ').map((item) => item.split(' ')[0]!));
    return { n: Number(m[1]), verdicts, ids };
  });
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
      'scan-2025-06-10T02-00-00Z (2025-06-10): 28.6 %',
    ]);
    expect(chart).toMatch(/<polyline points="[^"]+"/);
  });

  it('shows every failing, unknown and waived finding in full: its group has the title, required, requirement, remediation, its resource and its observed sentence', () => {
    const attention = model.findings.filter((f) => needsDecision(f.status));
    expect(attention.length).toBeGreaterThan(0);
    const groups = [...html.matchAll(/id="(group-\d+)"/g)].map((m) => inspectHtml(element(html, 'article', m[1]!)).text);
    for (const finding of attention) {
      const template = observedTemplate(finding);
      // A sentence shared by several findings is printed as its template; a finding alone has its own sentence.
      const group = groups.find((text) => text.includes(templateOf(finding.title, finding)) && (text.includes(template) || text.includes(finding.observed)) && text.includes(finding.resourceId));
      expect(group).toBeDefined();
      expect(group).toContain(templateOf(finding.required, finding));
      expect(group).toContain(finding.requirement);
      expect(group).toContain(templateOf(finding.remediation, finding));
      // The sentence read back for this resource is the finding's own.
      expect(fillTemplate(template, finding)).toBe(finding.observed);
    }
  });

  it('counts passing and not-applicable findings per rule and lists every resource once, in a folded list naming the verdicts it has', () => {
    const passing = element(html, 'section', 'passing');
    const lists = passingLists(passing);
    const listed = lists.flatMap((l) => l.ids);
    expect(new Set(listed).size).toBe(listed.length);
    const verdicts = model.findings.filter((f) => f.status === 'PASS' || f.status === 'NOT_APPLICABLE');
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new Set(verdicts.map((f) => f.status))).toEqual(new Set(['PASS', 'NOT_APPLICABLE']));
    for (const f of verdicts) {
      const list = lists.find((l) => l.ids.includes(f.resourceId));
      expect(list?.verdicts).toContain(`${f.status} ${f.ruleId}`);
      // The rule's row counts its findings and points at the list.
      const row = element(passing, 'tr', `tally-${f.ruleId}-${f.status}`);
      const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => inspectHtml(m[1]!).text);
      expect(cells[2]).toBe(String(verdicts.filter((x) => x.ruleId === f.ruleId && x.status === f.status).length));
      expect(cells[3]!.split(', ')).toContain(`List ${list!.n}`);
      expect(row).toContain(`<a href="#pass-${list!.n}">List ${list!.n}</a>`);
    }
    // A list holds exactly the resources with exactly its verdicts.
    for (const list of lists) {
      for (const id of list.ids) expect(verdicts.filter((f) => f.resourceId === id).map((f) => `${f.status} ${f.ruleId}`).sort()).toEqual([...list.verdicts].sort());
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
    expect(inspectHtml(element(html, 'table', 'expiring-waivers')).text).not.toContain('waiver-later');
  });

  it('lists every active waiver with its scope, owner and expiry', () => {
    const active = inspectHtml(element(html, 'table', 'active-waivers')).text;
    expect(active).toContain('waiver-1');
    expect(active).toContain('waiver-later');
    expect(active).toContain('i-0aaa*');
    expect(active).toContain('platform-team@example.com');
    expect(active).toContain('2025-08-01');
    expect(active).not.toContain('waiver-0');
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
    const big = renderHtml({ ...model, attention: [...many, ...model.attention] });
    const text = inspectHtml(big).text;
    expect(text).toContain('Server [resource] ([name]) carries the shared-sentence marker.');
    expect(text).toContain('30 resource(s)');
    for (const f of many) expect(text).toContain(f.resourceId);
    expect(big.split('carries the shared-sentence marker.').length - 1).toBe(1);
  });

  it('never lets a hostile value spelled like a placeholder read as the finding\'s own value', () => {
    const base = model.findings.find((f) => f.status === 'FAIL')!;
    // Two servers whose sentences name a peer called "[name]": without care, the shared sentence
    // would show [name] as if it were each server's own name.
    const many = Array.from({ length: 2 }, (_, i) => ({ ...base, resourceId: `i-0peer${String(i).padStart(10, '0')}`, resourceName: `redis-peer-${i}`, observed: `Server i-0peer${String(i).padStart(10, '0')} replicates from the peer named [name] and [resource].` }));
    const big = renderHtml({ ...model, attention: [...many, ...model.attention] });
    const text = inspectHtml(big).text;
    expect(text).toContain('Server [resource] replicates from the peer named \uff3bname\uff3d and \uff3bresource\uff3d.');
    expect(text).not.toContain('peer named [name]');
    for (const f of many) expect(text).toContain(f.resourceId);
    expect(templateOf('peer [cluster] and [name]', { resourceId: 'i-0x', resourceName: undefined, cluster: null })).toBe('peer \uff3bcluster\uff3d and \uff3bname\uff3d');
  });

  it('folds a location with many different observed sentences into one <details>, every sentence and resource still in it', () => {
    const base = model.findings.find((f) => f.status === 'FAIL')!;
    const many = Array.from({ length: 20 }, (_, i) => ({ ...base, resourceId: `i-0fold${String(i).padStart(10, '0')}`, resourceName: `redis-fold-${i}`, observed: `Distinct observation number ${i} for the fold test.` }));
    const big = renderHtml({ ...model, attention: [...many, ...model.attention] });
    const groupId = [...big.matchAll(/id="(group-\d+)"/g)].map((m) => m[1]!).find((id) => element(big, 'article', id).includes('Distinct observation number 0 '))!;
    const article = element(big, 'article', groupId);
    const fold = article.slice(article.indexOf('different observations</summary>'));
    expect(Number(/<summary>(\d+) different observations<\/summary>/.exec(article)?.[1])).toBeGreaterThanOrEqual(20);
    const text = inspectHtml(fold).text;
    for (const [i, f] of many.entries()) {
      expect(text).toContain(`Distinct observation number ${i} for the fold test.`);
      expect(text).toContain(`${f.resourceId} (${f.resourceName})`);
    }
    // A location with few sentences is not folded.
    expect(html).not.toContain('different observations</summary>');
  });

  it('links the report URL only when it is http(s)', () => {
    const bad = renderHtml(buildReportModel(sampleInput({ reportUrl: 'javascript:alert(1)' })));
    expect(inspectHtml(bad).attributes.filter(([, name]) => name === 'href').map(([, , v]) => v).filter((v) => !v.startsWith('#pass-'))).toEqual(['#']);
  });
});

describe('renderHtml of a generated estate (3,000 findings, several accounts, hostile names)', () => {
  const HOSTILE = '<script>alert(1)</script>';
  const statuses = ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'PASS', 'PASS', 'NOT_APPLICABLE'] as const;
  const rules: RuleId[] = ['instance.vcpu', 'instance.disk', 'redis.version', 'cluster.zone-spread', 'subnet.private'];
  const findings = Array.from({ length: 3000 }, (_, i) => {
    const server = i % 600;
    const resourceId = `i-0gen${String(server).padStart(12, '0')}`;
    const resourceName = server % 50 === 7 ? `${HOSTILE}-${server}` : `redis-gen-${server}`;
    const ruleId = rules[Math.floor(i / 600)]!;
    const status = statuses[(server * 7 + Math.floor(i / 600)) % statuses.length]!;
    return storedFinding({
      ruleId,
      resourceId,
      resourceName,
      accountId: server % 3 === 0 ? '444455556666' : ACCOUNT,
      region: server % 4 === 0 ? 'us-east-1' : REGION,
      environment: server % 2 === 0 ? 'production' : 'uat',
      production: server % 2 === 0,
      cluster: `sessions-${server % 20}`,
      status,
      ruleStatus: status === 'SUPPRESSED' ? 'FAIL' : status,
      severity: (['critical', 'high', 'medium', 'low'] as const)[server % 4]!,
      title: `Generated rule ${ruleId}`,
      // Some sentences name the resource (shared as a template), some are the same for all, some are the finding's own.
      observed: server % 3 === 0 ? `${resourceId} (${resourceName}) has ${server % 5} vCPUs.` : server % 3 === 1 ? 'The same sentence for every server.' : `Volume vol-${server} of cluster sessions-${server % 20} is 8 GiB.`,
      remediation: server % 2 === 0 ? `Resize ${resourceId} to an m7i.xlarge.` : 'Resize the instance to an m7i.xlarge.',
      ...(status === 'SUPPRESSED' ? { suppression: { id: `waiver-${server}`, reason: `Accepted ${HOSTILE}`, owner: 'ops@example.com', expiresAt: '2025-07-01T00:00:00.000Z' } } : {}),
    });
  });
  const model = buildReportModel(sampleInput({ findings, changes: { new: [], resolved: [] }, suppressions: [] }));
  const html = renderHtml(model);

  it('shows every FAIL, UNKNOWN and SUPPRESSED finding in full: resource, name, required, requirement, remediation and observed sentence', () => {
    // Each observed block with the text of its article, the article's rule and status.
    const blocks = [...html.matchAll(/id="(group-\d+)"/g)].flatMap((m) => {
      const a = element(html, 'article', m[1]!);
      const article = inspectHtml(a).text;
      const [, status, ruleId] = /badge st-([A-Z_]+)[\s\S]*?\(<code>([^<]+)<\/code>\)<\/span><\/summary>/.exec(a)!;
      return [...a.matchAll(/<div class="o">(.*?)<\/div>/g)].map((b) => ({ status, ruleId, article, block: inspectHtml(b[1]!).text }));
    });
    const attention = model.findings.filter((f) => needsDecision(f.status));
    expect(attention.length).toBeGreaterThan(1000);
    for (const f of attention) {
      // The block of its rule and verdict whose list names this resource, with its name.
      const items = blocks.filter((b) => b.status === f.status && b.ruleId === f.ruleId && b.block.includes(`${f.resourceId} (${f.resourceName})`));
      expect(items).toHaveLength(1);
      const { article, block } = items[0]!;
      expect(block.includes(f.observed) || block.includes(observedTemplate(f))).toBe(true);
      expect(fillTemplate(observedTemplate(f), f)).toBe(f.observed);
      expect(article).toContain(templateOf(f.remediation, f));
      expect(fillTemplate(templateOf(f.remediation, f), f)).toBe(f.remediation);
      expect(article).toContain(f.required);
      expect(article).toContain(f.requirement);
      if (f.suppression) expect(block).toContain(`Suppressed by ${f.suppression.id}: “${f.suppression.reason}”`);
    }
  });

  it('lists every PASS and NOT_APPLICABLE resource with the verdicts it has', () => {
    const lists = passingLists(element(html, 'section', 'passing'));
    const verdicts = model.findings.filter((f) => f.status === 'PASS' || f.status === 'NOT_APPLICABLE');
    expect(verdicts.length).toBeGreaterThan(1000);
    for (const f of verdicts) expect(lists.find((l) => l.ids.includes(f.resourceId))?.verdicts).toContain(`${f.status} ${f.ruleId}`);
  });

  it('escapes the hostile names: shown as text, never as markup', () => {
    expect(html).not.toContain('<script');
    expect(inspectHtml(html).tags).not.toContain('script');
    expect(inspectHtml(html).text).toContain(`(${HOSTILE}-7)`);
  });
});
