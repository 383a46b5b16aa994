/**
 * The Slack message (Block Kit, for an incoming webhook). Limits respected by construction: at most
 * 50 blocks, every text at most 3,000 characters (fields 2,000, header 150), lists cut with
 * "and N more". Tag values are escaped with escapeSlackMrkdwn and every mrkdwn object is `verbatim`.
 */
import { SEVERITIES, type StoredFinding } from '../model';
import { COMPLIANCE_DEFINITION, formatPercent } from './compliance';
import { escapeSlackMrkdwn, fitEscaped, slackPlainText, truncate, type Printable } from './escaping';
import { andMore, formatDate, formatTime, locationLabel, REPORT_TITLE, resourceLabel, scanStatusSentence } from './labels';
import type { ReportSummaryModel } from './report-model';

export const SLACK_LIMITS = { blocks: 50, text: 3000, field: 2000, fields: 10, header: 150, buttonText: 75, url: 3000, contextElements: 10 } as const;

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  verbatim?: boolean;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: SlackText; url: string; action_id: string }> };

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

export interface SlackOptions {
  /** Findings needing attention shown one by one (default 10). */
  worstFindings?: number;
}

/** Escaped mrkdwn of `value`, at most `limit` characters. */
function s(value: Printable, limit: number): string {
  return fitEscaped(value, limit, escapeSlackMrkdwn);
}

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text: clamp(text, SLACK_LIMITS.text), verbatim: true };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function renderSlackMessage(model: ReportSummaryModel, options: SlackOptions = {}): SlackMessage {
  const worst = Math.min(options.worstFindings ?? 10, 30);
  const { scan, counts } = model;
  const blocks: SlackBlock[] = [];

  blocks.push({
    type: 'header',
    text: { type: 'plain_text', text: truncate(slackPlainText(`${REPORT_TITLE}: ${scan.status}, ${counts.FAIL} failing, ${counts.UNKNOWN} unknown`), SLACK_LIMITS.header), emoji: false },
  });
  const targets = scan.targets.map((t) => locationLabel(t)).join(', ') || 'none';
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`Scan ${s(scan.scanId, 200)} (${s(scan.trigger, 20)}), finished ${s(formatTime(scan.finishedAt), 40)}${model.capturedAt ? `, evidence captured ${s(formatTime(model.capturedAt), 40)}` : ''}. Targets: ${s(targets, 1500)}. ${scan.redisServers} Redis server(s), ${scan.frontends} front-end(s), ${scan.clusters} cluster(s).`)],
  });
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Compliance*\n${formatPercent(model.compliancePercent)} (${COMPLIANCE_DEFINITION})`),
      ...SEVERITIES.map((severity) => mrkdwn(`*Failing ${severity}*\n${model.failBySeverity[severity]}`)),
      mrkdwn(`*Unknown*\n${counts.UNKNOWN}`),
      mrkdwn(`*Suppressed*\n${counts.SUPPRESSED}`),
      mrkdwn(`*Passing*\n${counts.PASS}`),
    ].slice(0, SLACK_LIMITS.fields),
  });

  if (scan.status !== 'COMPLETE' || scan.errors.length > 0) {
    blocks.push(
      section(
        budgetedList(
          `*${s(scanStatusSentence(scan), 300)}*`,
          scan.errors.map((e) => `• ${s(locationLabel(e), 80)} ${s(`${e.service}:${e.operation}`, 120)} ${s(e.code, 100)}: ${s(e.message, 400)}`),
          'error(s)',
        ),
      ),
    );
  }

  blocks.push({ type: 'divider' });
  if (!model.changes.compared) blocks.push(section('*Changes:* no previous scan to compare with.'));
  else {
    blocks.push(section(budgetedList(`*New since the previous scan (${model.changes.new.length})*`, model.changes.new.map((f) => `• ${findingLine(f)}`), 'new finding(s)')));
    blocks.push(section(budgetedList(`*Resolved since the previous scan (${model.changes.resolved.length})*`, model.changes.resolved.map((f) => `• ${findingLine(f)}`), 'resolved finding(s)')));
  }

  blocks.push({ type: 'divider' });
  const attention = model.attention;
  blocks.push(section(attention.length === 0 ? '*Nothing fails and nothing is unknown.*' : `*Needing attention (${attention.length}), worst first*`));
  for (const finding of attention.slice(0, worst)) blocks.push(section(findingDetail(finding)));
  if (attention.length > worst) blocks.push({ type: 'context', elements: [mrkdwn(`_${andMore(attention.length - worst, 'finding(s) needing attention')}${model.reportUrl ? ': see the HTML report' : ''}_`)] });

  const { expired, expiringSoon, expiringWithinDays } = model.waivers;
  if (expired.length > 0) {
    blocks.push(
      section(
        budgetedList(
          `*Waivers expired (${expired.length}): these findings count again*`,
          expired.map(({ finding, waiver }) => `• ${s(waiver.id, 100)} by ${s(waiver.owner, 100)} expired ${s(formatDate(waiver.expiredAt), 20)}: ${findingLine(finding)}`),
          'expired waiver(s)',
        ),
      ),
    );
  }
  if (expiringSoon.length > 0) {
    blocks.push(
      section(
        budgetedList(
          `*Waivers expiring within ${expiringWithinDays} days (${expiringSoon.length})*`,
          expiringSoon.map(
            ({ suppression: w, daysLeft, suppressedFindings }) =>
              `• ${s(w.id, 100)} (${s(w.ruleId, 60)} on ${s(w.resourcePattern, 150)}), owner ${s(w.owner, 100)}, expires ${s(formatDate(w.expiresAt), 20)} (in ${daysLeft} day(s)), suppresses ${suppressedFindings}: ${s(w.reason, 200)}`,
          ),
          'waiver(s)',
        ),
      ),
    );
  }

  if (model.reportUrl && /^https?:\/\//i.test(model.reportUrl) && model.reportUrl.length <= SLACK_LIMITS.url) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the HTML report', emoji: false }, url: model.reportUrl, action_id: 'open-report' }] });
  }

  return {
    text: fallbackText(model),
    blocks: withinBlockLimit(blocks),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** `[FAIL high] title: resource (account / region)` in escaped mrkdwn, at most ~600 characters. */
function findingLine(f: StoredFinding): string {
  return `[${s(f.status, 20)} ${s(f.severity, 20)}] ${s(f.title, 150)}: ${s(resourceLabel(f), 300)} (${s(locationLabel(f), 80)})`;
}

function findingDetail(f: StoredFinding): string {
  const lines = [
    `*${findingLine(f)}*`,
    `Rule: ${s(f.ruleId, 60)}, environment ${s(f.environment, 150)}${f.cluster !== null ? `, cluster ${s(f.cluster, 150)}` : ''}`,
    `*Observed:* ${s(f.observed, 500)}`,
    `*Required:* ${s(f.required, 300)}`,
    `*Remediation:* ${s(f.remediation, 700)}`,
  ];
  if (f.waiverExpired) lines.push(`*Waiver ${s(f.waiverExpired.id, 100)} expired* ${s(formatDate(f.waiverExpired.expiredAt), 20)} (owner ${s(f.waiverExpired.owner, 100)})`);
  return lines.join('\n');
}

/** A title and as many items as fit in one text, then "and N more". Items are escaped already. */
function budgetedList(title: string, items: readonly string[], what: string): string {
  const reserve = 60;
  let text = title;
  let shown = 0;
  for (const item of items) {
    if (text.length + 1 + item.length > SLACK_LIMITS.text - reserve) break;
    text += `\n${item}`;
    shown++;
  }
  if (items.length === 0) text += '\nNone.';
  if (shown < items.length) text += `\n_${andMore(items.length - shown, what)}_`;
  return text;
}

/** Last guard: cut an over-long text before any partial `&...;` entity. Construction keeps texts under the limit. */
function clamp(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1).replace(/&[a-z]*$/i, '');
  return `${cut}…`;
}

function withinBlockLimit(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 1);
  return [...kept, { type: 'context', elements: [mrkdwn(`_${andMore(blocks.length - kept.length, 'block(s) left out')}_`)] }];
}

function fallbackText(model: ReportSummaryModel): string {
  const { scan, counts } = model;
  const severities = SEVERITIES.map((sev) => `${sev} ${model.failBySeverity[sev]}`).join(', ');
  const changes = model.changes.compared ? ` ${model.changes.new.length} new, ${model.changes.resolved.length} resolved since the previous scan.` : '';
  return clamp(
    `${REPORT_TITLE}, scan ${s(scan.scanId, 200)}: ${scan.status}. ${counts.FAIL} failing (${severities}), ${counts.UNKNOWN} unknown, ${counts.SUPPRESSED} suppressed, compliance ${formatPercent(model.compliancePercent)}.${changes}`,
    SLACK_LIMITS.text,
  );
}
