/** Attacker-controlled tag values through every output: they must come out inert, and still readable. */
import { escapeSlackMrkdwn, plainText } from '../../../lambdas/core/report/escaping';
import { renderCsv } from '../../../lambdas/core/report/render-csv';
import { renderEmail } from '../../../lambdas/core/report/render-email';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { renderJson } from '../../../lambdas/core/report/render-json';
import { renderMarkdown } from '../../../lambdas/core/report/render-markdown';
import { renderSlackMessage, type SlackMessage } from '../../../lambdas/core/report/render-slack';
import { renderTextSummary } from '../../../lambdas/core/report/render-text-summary';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { parseCsv } from '../../support/csv-parse';
import { inspectHtml } from '../../support/html-inspect';
import { HOSTILE_VALUES } from '../../support/report-fixtures';
import { hostileInput } from '../../support/report-fixtures';

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'section', 'div', 'p', 'h1', 'h2', 'h3',
  'code', 'strong', 'a', 'span', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption',
  'article', 'details', 'summary', 'dl', 'dt', 'dd', 'blockquote', 'svg', 'rect', 'text', 'line', 'polyline', 'circle',
  'br', // between the resources a shared sentence is about
]);

const cases = Object.entries(HOSTILE_VALUES);

function expectInertHtml(html: string, value: string): void {
  const parsed = inspectHtml(html);
  const unexpected = parsed.tags.filter((t) => !ALLOWED_TAGS.has(t));
  expect(unexpected).toEqual([]);
  expect(parsed.attributes.filter(([, name]) => name.startsWith('on'))).toEqual([]);
  // Links only to the report URL (http/https), never javascript: or an attacker's host.
  for (const [tag, name, v] of parsed.attributes) {
    if (name === 'href' || name === 'src') expect([tag, name, v]).toEqual(['a', 'href', 'https://reports.example.com/scans/scan-2025-06-10/report.html']);
  }
  // The value is shown, as text, exactly as it was.
  expect(parsed.text).toContain(value);
  if (/[<>&"']/.test(value)) expect(html).not.toContain(value);
}

function slackTexts(message: SlackMessage): Array<{ type: string; text: string; verbatim?: boolean }> {
  const texts: Array<{ type: string; text: string; verbatim?: boolean }> = [{ type: 'mrkdwn', text: message.text, verbatim: true }];
  for (const block of message.blocks) {
    if ('text' in block && block.text) texts.push(block.text);
    if ('fields' in block && block.fields) texts.push(...block.fields);
    if (block.type === 'context') texts.push(...block.elements);
    if (block.type === 'actions') texts.push(...block.elements.map((e) => e.text));
  }
  return texts;
}

describe.each(cases)('hostile value %s', (_name, value) => {
  const model = buildReportModel(hostileInput(value));

  it('HTML: no element, attribute or link comes from it; its text is shown escaped', () => {
    expectInertHtml(renderHtml(model), value);
  });

  it('Markdown: no HTML, no link, no broken table row, and the cell reads back as the value', () => {
    const markdown = renderMarkdown(model);
    expect(markdown).not.toMatch(/[<>]/);
    expect(markdown).not.toMatch(/(^|[^\\])\]\(/); // no [text](url) link syntax
    expect(markdown).not.toMatch(/(^|[^\\])`/); // no code span opened by a value
    const lines = markdown.split('\n');
    // Every table row has as many unescaped pipes as its header.
    let expected = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) { expected = -1; continue; }
      const pipes = (line.match(/(^|[^\\])\|/g) ?? []).length;
      if (expected === -1) expected = pipes;
      expect(pipes).toBe(expected);
    }
    const unescape = (s: string): string => s.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(unescape(markdown)).toContain(plainText(value));
  });

  it('CSV: every row parses to the header width, the value reads back, no cell starts a formula', () => {
    const rows = parseCsv(renderCsv(model));
    const header = rows[0]!;
    expect(rows).toHaveLength(model.findings.length + 1);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const nameColumn = header.indexOf('resourceName');
    const names = rows.slice(1).map((r) => r[nameColumn]);
    const formula = /^[=+\-@\t\r]/.test(value);
    expect(names).toContain(formula ? `'${value}` : value);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('Slack: no <, no raw &, every mrkdwn verbatim, texts within limits, value shown escaped', () => {
    const message = renderSlackMessage(model);
    const texts = slackTexts(message);
    for (const t of texts) {
      expect(t.text).not.toMatch(/[<>`]/);
      expect(t.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(t.text.length).toBeLessThanOrEqual(3000);
      if (t.type === 'mrkdwn') expect(t.verbatim).toBe(true);
    }
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const shown = escapeSlackMrkdwn(value).slice(0, 40);
    expect(texts.some((t) => t.text.includes(shown))).toBe(true);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('e-mail: one-line subject, inert HTML part, text part without control characters', () => {
    const email = renderEmail(model);
    expect(email.subject).not.toMatch(/[\r\n]/);
    // The e-mail cuts any one value at 300 characters (the full report has it whole).
    expectInertHtml(email.html, Array.from(value).slice(0, 100).join(''));
    expect(email.text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
    expect(email.text).toContain(plainText(value).slice(0, 100));
  });

  it('text summary: the same guarantees as the e-mail text', () => {
    const text = renderTextSummary(model);
    expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
    expect(text).toContain(plainText(value).slice(0, 100));
  });

  it('JSON: the value round-trips exactly and no raw < > & is written', () => {
    const json = renderJson(model);
    expect(json).not.toMatch(/[<>&]/);
    const parsed = JSON.parse(json) as { findings: Array<{ resourceName: string | null }> };
    expect(parsed.findings.map((f) => f.resourceName)).toContain(value);
  });
});
