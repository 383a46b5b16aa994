/**
 * Child process of figure 6: `node --import tsx bench/measure-report.ts <findings>`. Evaluates the
 * synthetic estate (10 findings per Redis server), keeps exactly <findings> of them, builds the report
 * model, then times the HTML report, the Slack message and the e-mail (median of 3 renders each),
 * and checks the Slack message against Slack's limits. Prints one JSON line.
 */
import { evaluateSnapshot } from '../lambdas/core/evaluate';
import { reportModelFromScanResult } from '../lambdas/core/report/report-model-from-scan-result';
import { renderEmail } from '../lambdas/core/report/render-email';
import { renderHtml } from '../lambdas/core/report/render-html';
import { renderSlackMessage, SLACK_LIMITS, type SlackMessage, type SlackText } from '../lambdas/core/report/render-slack';
import { syntheticSnapshot } from './synthetic-estate';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time (the judged value) and this process's CPU time (steadier on a busy machine), medians of `times` runs. */
function timed<T>(run: () => T, times = 3): { ms: number; cpuMs: number; value: T } {
  const samples: number[] = [];
  const cpu: number[] = [];
  let value!: T;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    value = run();
    const used = process.cpuUsage(cpuStart);
    samples.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ms: median(samples), cpuMs: median(cpu), value };
}

/** Every text object of a Slack message with the limit that applies to it. */
function slackTexts(message: SlackMessage): Array<{ text: SlackText; limit: number }> {
  const out: Array<{ text: SlackText; limit: number }> = [];
  for (const block of message.blocks) {
    if (block.type === 'header') out.push({ text: block.text, limit: SLACK_LIMITS.header });
    else if (block.type === 'section') {
      if (block.text) out.push({ text: block.text, limit: SLACK_LIMITS.text });
      for (const field of block.fields ?? []) out.push({ text: field, limit: SLACK_LIMITS.field });
    } else if (block.type === 'context') for (const element of block.elements) out.push({ text: element, limit: SLACK_LIMITS.text });
    else if (block.type === 'actions') for (const element of block.elements) out.push({ text: element.text, limit: SLACK_LIMITS.buttonText });
  }
  return out;
}

const count = Number(process.argv[2]);
const now = new Date('2026-11-25T02:05:00.000Z');
const result = evaluateSnapshot(syntheticSnapshot(Math.ceil(count / 10) + 200), { now: () => now });
if (result.findings.length < count) throw new Error(`only ${result.findings.length} findings`);
result.findings.length = count;

const model = timed(() => reportModelFromScanResult(result, now, { scanId: 'scan-2026-11-25T02-00-00Z', trigger: 'scheduled', reportUrl: 'https://reports.example.com/scan-2026-11-25T02-00-00Z.html' }), 1);
const html = timed(() => renderHtml(model.value));
const slack = timed(() => renderSlackMessage(model.value));
const email = timed(() => renderEmail(model.value));
const texts = slackTexts(slack.value);
const overLimit = texts.filter((t) => t.text.text.length > t.limit).length;

console.log(
  JSON.stringify({
    findings: model.value.findings.length,
    modelMs: model.ms,
    htmlMs: html.ms,
    htmlCpuMs: html.cpuMs,
    slackMs: slack.ms,
    emailMs: email.ms,
    renderMs: html.ms + slack.ms + email.ms,
    htmlBytes: Buffer.byteLength(html.value),
    emailHtmlBytes: Buffer.byteLength(email.value.html),
    slackBlocks: slack.value.blocks.length,
    slackLongestText: Math.max(0, ...texts.map((t) => t.text.text.length)),
    slackTextsOverLimit: overLimit,
    slackFallbackLength: slack.value.text.length,
  }),
);
