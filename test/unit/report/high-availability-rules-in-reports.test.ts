/**
 * The high-availability and capacity rules appear in the HTML, Markdown and Slack reports
 * like every other rule: the sample estate's carts-prod cluster fails each of them once.
 */
import { readFileSync } from 'node:fs';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { renderMarkdown } from '../../../lambdas/core/report/render-markdown';
import { renderSlackMessage } from '../../../lambdas/core/report/render-slack';
import { reportModelFromScanResult } from '../../../lambdas/core/report/report-model-from-scan-result';
import { parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';

const NEW_RULES = ['cluster.failover', 'cluster.membership', 'cluster.zone-spread', 'network.cluster-bus', 'capacity.memory', 'capacity.bandwidth'] as const;
const SAMPLE = 'examples/estate.sample.json';
const now = new Date('2026-11-25T03:00:00.000Z');

const result = evaluateSnapshot(parseSnapshot(readFileSync(SAMPLE, 'utf8'), SAMPLE), { now: () => now });
const model = reportModelFromScanResult(result, now);

test('the sample estate fails each new rule in carts-prod', () => {
  for (const ruleId of NEW_RULES) {
    const failing = result.findings.filter((f) => f.ruleId === ruleId && f.status === 'FAIL' && f.cluster === 'carts-prod');
    expect([ruleId, failing.length]).toEqual([ruleId, 1]);
  }
});

test('Markdown and HTML list each new rule\'s failing finding with its remediation', () => {
  const markdown = renderMarkdown(model);
  const html = renderHtml(model);
  for (const ruleId of NEW_RULES) {
    const f = result.findings.find((x) => x.ruleId === ruleId && x.status === 'FAIL' && x.cluster === 'carts-prod')!;
    expect(markdown).toContain(ruleId);
    expect(html).toContain(ruleId);
    expect(html).toContain(f.title);
  }
  expect(markdown).toContain('10.0.4.99:7000');
});

test('Slack counts them with the rest and shows the worst failing findings', () => {
  const message = JSON.stringify(renderSlackMessage(model, { worstFindings: 30 }));
  expect(message).toContain(`${model.counts.FAIL} failing`);
  // High severity first: failover and membership (high) are among the worst findings shown.
  expect(message).toContain('cluster.failover');
  expect(message).toContain('cluster.membership');
});
