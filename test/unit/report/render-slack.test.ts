import type { StoredFinding } from '../../../lambdas/core/model';
import { RULE_IDS, SEVERITIES } from '../../../lambdas/core/model';
import { renderSlackMessage, type SlackBlock, type SlackMessage } from '../../../lambdas/core/report/render-slack';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { ACCOUNT, REGION, sampleInput, scanRecord, storedFinding, suppression } from '../../support/report-fixtures';

function texts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block: SlackBlock) => {
    if (block.type === 'section') return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((f) => f.text)];
    if (block.type === 'context') return block.elements.map((e) => e.text);
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'actions') return block.elements.map((e) => e.text.text);
    return [];
  });
}

function manyFindings(count: number): StoredFinding[] {
  return Array.from({ length: count }, (_, i) =>
    storedFinding({
      ruleId: RULE_IDS[i % RULE_IDS.length]!,
      resourceId: `i-${String(i).padStart(17, '0')}`,
      resourceName: `redis-${i} ${'&<>'.repeat(300)}`,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      status: i % 7 === 0 ? 'UNKNOWN' : 'FAIL',
      observed: `observed ${i} ${'x'.repeat(2000)}`,
      remediation: `fix ${i} ${'&'.repeat(1500)}`,
    }),
  );
}

describe('renderSlackMessage with 10,000 findings', () => {
  const findings = manyFindings(10_000);
  const model = buildReportModel(
    sampleInput({
      findings,
      changes: { new: findings.slice(0, 6000), resolved: findings.slice(6000) },
      suppressions: Array.from({ length: 500 }, (_, i) => suppression({ id: `waiver-${i}`, reason: 'r'.repeat(500) })),
      scan: scanRecord({
        status: 'PARTIAL',
        errors: Array.from({ length: 300 }, (_, i) => ({ accountId: ACCOUNT, region: REGION, service: 'ssm', operation: 'ListInventoryEntries', code: 'Throttling', message: `throttled ${i}` })),
      }),
    }),
  );
  const message = renderSlackMessage(model);

  it('stays within the Block Kit limits', () => {
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const text of texts(message)) expect(text.length).toBeLessThanOrEqual(3000);
    const header = message.blocks.find((b) => b.type === 'header');
    expect(header && header.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(10);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('says how much was left out with "and N more"', () => {
    const all = texts(message).join('\n');
    expect(all).toMatch(/and \d+ more new finding\(s\)/);
    expect(all).toMatch(/and \d+ more resolved finding\(s\)/);
    expect(all).toMatch(/and \d+ more waiver\(s\)/);
    expect(all).toMatch(/and \d+ more error\(s\)/);
    expect(all).toContain('and 9990 more finding(s) needing attention: see the HTML report');
  });

  it('adds up: items shown plus "and N more" equals the list length', () => {
    const newText = texts(message).find((t) => t.startsWith('*New since the previous scan (6000)*'))!;
    const shown = newText.split('\n').filter((l) => l.startsWith('• ')).length;
    const more = Number(/and (\d+) more new finding/.exec(newText)![1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown + more).toBe(6000);
  });
});

describe('renderSlackMessage content', () => {
  const model = buildReportModel(sampleInput());
  const message = renderSlackMessage(model);
  const all = texts(message).join('\n');

  it('has a header, counts by severity and a fallback text', () => {
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Redis compliance report: COMPLETE, 3 failing, 1 unknown', emoji: false } });
    const fields = message.blocks.find((b) => b.type === 'section' && b.fields);
    expect(fields && fields.type === 'section' && fields.fields!.map((f) => f.text)).toEqual([
      '*Compliance*\n28.6 % (PASS share of evaluated findings, rounded to 0.1 %)',
      '*Failing critical*\n1',
      '*Failing high*\n1',
      '*Failing medium*\n0',
      '*Failing low*\n1',
      '*Failing info*\n0',
      '*Unknown*\n1',
      '*Suppressed*\n1',
      '*Passing*\n2',
    ]);
    expect(message.text).toContain('3 failing (critical 1, high 1, medium 0, low 1, info 0), 1 unknown');
    expect(message.unfurl_links).toBe(false);
  });

  it('lists new and resolved findings, the worst findings with remediation, and expiring waivers', () => {
    expect(all).toContain('*New since the previous scan (1)*\n• [FAIL critical] Redis server has no public IP address: i-0aaa00000000000a3 (redis-prod-3)');
    expect(all).toContain('*Resolved since the previous scan (1)*\n• [PASS critical] Redis subnet is private');
    expect(all).toContain('*Remediation:* Disassociate the public address and launch in a private subnet.');
    expect(all).toContain('*Observed:* No SSM inventory for this instance');
    expect(all).toContain('*Waivers expiring within 14 days (1)*\n• waiver-1');
    expect(all).toContain('*Waivers expired (1): these findings count again*');
  });

  it('links the HTML report with a button', () => {
    expect(message.blocks[message.blocks.length - 1]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the HTML report', emoji: false }, url: 'https://reports.example.com/scans/scan-2025-06-10/report.html', action_id: 'open-report' }],
    });
  });

  it('has no button without a report URL, and says when there is no previous scan', () => {
    const input = sampleInput({ compared: false });
    delete input.reportUrl;
    const m = renderSlackMessage(buildReportModel(input));
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(m)).toContain('*Changes:* no previous scan to compare with.');
  });
});
