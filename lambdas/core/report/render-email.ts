/**
 * The report e-mail: a subject, a compact HTML part and the plain-text summary. The HTML part is
 * not the whole report (which grows with the estate: megabytes at thousands of servers, and Gmail
 * clips a message body over about 102 kB): it holds the summary, what changed since the previous
 * scan and the worst findings first, within `maxHtmlBytes`, and links to the full report.
 */
import { SEVERITIES, type StoredFinding } from '../model';
import { COMPLIANCE_DEFINITION, formatPercent } from './compliance';
import { escapeHtml as h, plainText, truncate } from './escaping';
import { andMore, environmentLabel, formatTime, locationLabel, REPORT_TITLE, resourceLabel, scanStatusSentence, STATUS_LABEL } from './labels';
import { renderTextSummary } from './render-text-summary';
import { FINDING_STATUSES, type ReportSummaryModel } from './report-model';
import { SEVERITY_PALETTE } from './severity-palette';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Gmail clips a message whose HTML is over about 102 kB; this leaves room for the MIME headers. */
export const DEFAULT_EMAIL_HTML_BYTES = 100_000;

export interface EmailOptions {
  /** Where the full HTML report is (the S3 presigned URL when deployed, the file locally); default: the model's reportUrl. */
  fullReportUrl?: string;
  /** Upper bound on the HTML part in UTF-8 bytes (default DEFAULT_EMAIL_HTML_BYTES). */
  maxHtmlBytes?: number;
}

/** Characters of any one value (a title, an observed sentence) before it is cut. */
const VALUE_CHARS = 300;
/** Share of the budget the "what changed" lists may use, so the worst findings always get room. */
const CHANGES_SHARE = 0.3;

export function renderEmail(model: ReportSummaryModel, options: EmailOptions = {}): RenderedEmail {
  const url = options.fullReportUrl ?? model.reportUrl;
  const withUrl = url === undefined || url === model.reportUrl ? model : { ...model, reportUrl: url };
  return { subject: emailSubject(model), html: renderEmailHtml(withUrl, options.maxHtmlBytes ?? DEFAULT_EMAIL_HTML_BYTES), text: renderTextSummary(withUrl) };
}

/** One line, no control characters (no header injection), at most 200 characters. */
export function emailSubject(model: ReportSummaryModel): string {
  const { scan, counts } = model;
  const critical = model.failBySeverity.critical > 0 ? ` (${model.failBySeverity.critical} critical)` : '';
  const newPart = model.changes.compared && model.changes.new.length > 0 ? `, ${model.changes.new.length} new` : '';
  return truncate(
    plainText(`[${REPORT_TITLE}] ${scan.status}: ${counts.FAIL} failing${critical}, ${counts.UNKNOWN} unknown${newPart}, ${formatPercent(model.compliancePercent)} compliant (scan ${scan.scanId})`),
    200,
  );
}

/** Appends HTML while it fits in a byte budget; what is kept for the closing tags is never spent. */
class BoundedHtml {
  private readonly parts: string[] = [];
  private used = 0;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.used;
  }

  /** Adds the piece when it fits within `limit` bytes in all (the whole budget by default). */
  add(html: string, limit = this.limit): boolean {
    const size = Buffer.byteLength(html, 'utf8');
    if (this.used + size > limit) return false;
    this.parts.push(html);
    this.used += size;
    return true;
  }

  toString(): string {
    return this.parts.join('');
  }
}

const v = (value: string): string => h(truncate(value, VALUE_CHARS));

function renderEmailHtml(model: ReportSummaryModel, maxBytes: number): string {
  const { scan } = model;
  const link = model.reportUrl !== undefined && /^(https?|file):\/\//i.test(model.reportUrl) ? model.reportUrl : undefined;
  const linkHtml = link === undefined ? '' : `<p style="font-size:16px"><a href="${h(link)}">Open the full report</a> (every finding, passing resources, charts and waivers)</p>`;
  const closing = `${linkHtml}<p style="color:#4b5563;font-size:12px">Generated ${h(formatTime(model.generatedAt))}. Compliance: ${h(COMPLIANCE_DEFINITION)}; UNKNOWN and SUPPRESSED count against it.</p></body></html>\n`;
  // The closing part (link and footer) is always written: the rest must leave room for it.
  const budget = maxBytes - Buffer.byteLength(closing, 'utf8');
  const out = new BoundedHtml(budget);
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${v(`${REPORT_TITLE}: ${scan.scanId}`)}</title></head>` +
    '<body style="margin:0;padding:12px;font:15px/1.5 -apple-system,BlinkMacSystemFont,\'Segoe UI\',Roboto,Helvetica,Arial,sans-serif;color:#111827">' +
    `<h1 style="font-size:20px;margin:0 0 6px">${h(REPORT_TITLE)}</h1>` +
    `<p style="color:#4b5563;margin:0 0 8px">Scan ${v(scan.scanId)} (${v(scan.trigger)}) · status <strong>${v(scan.status)}</strong> · finished ${v(formatTime(scan.finishedAt))} · ${scan.redisServers} Redis server(s), ${scan.frontends} front-end(s), ${scan.clusters} cluster(s)</p>` +
    linkHtml;
  out.add(head);
  out.add(summaryHtml(model));
  if (scan.status !== 'COMPLETE' || scan.errors.length > 0) {
    out.add(`<p style="background:#fffbeb;border-left:4px solid #a16207;padding:6px 10px"><strong>${v(scanStatusSentence(scan))}</strong></p>`);
  }
  changesHtml(out, model, out.bytes + (budget - out.bytes) * CHANGES_SHARE);
  worstHtml(out, model);
  return `${out}${closing}`;
}

function summaryHtml(model: ReportSummaryModel): string {
  const cell = 'style="border:1px solid #e5e7eb;padding:4px 8px;text-align:left"';
  const counts = FINDING_STATUSES.map((s) => `<tr><th ${cell}>${h(STATUS_LABEL[s])}</th><td ${cell}>${model.counts[s]}</td></tr>`).join('');
  const severities = SEVERITIES.map((s) => `${badge(s)} ${model.failBySeverity[s]}`).join(' ');
  return (
    '<h2 style="font-size:17px;margin:16px 0 6px">Summary</h2>' +
    `<p style="margin:0 0 6px"><strong style="font-size:18px">${h(formatPercent(model.compliancePercent))}</strong> compliant <span style="color:#4b5563">(${h(COMPLIANCE_DEFINITION)})</span></p>` +
    `<table style="border-collapse:collapse">${counts}</table><p style="margin:6px 0">Failing by severity: ${severities}</p>`
  );
}

function changesHtml(out: BoundedHtml, model: ReportSummaryModel, limit: number): void {
  out.add('<h2 style="font-size:17px;margin:16px 0 6px">What changed since the previous scan</h2>');
  if (!model.changes.compared) {
    out.add('<p>No previous scan to compare with.</p>');
    return;
  }
  for (const [label, list] of [
    ['New', model.changes.new],
    ['Resolved', model.changes.resolved],
  ] as const) {
    out.add(`<h3 style="font-size:15px;margin:10px 0 4px">${label} (${list.length})</h3>`);
    if (list.length === 0) {
      out.add(`<p>${label === 'New' ? 'Nothing new fails.' : 'Nothing was resolved.'}</p>`);
      continue;
    }
    out.add('<ul style="margin:0;padding-left:20px">');
    let shown = 0;
    for (const f of list) {
      if (!out.add(`<li>${badges(f)} ${v(f.title)}: ${v(resourceLabel(f))} <span style="color:#4b5563">(${v(locationLabel(f))})</span></li>`, limit)) break;
      shown++;
    }
    out.add('</ul>');
    if (shown < list.length) out.add(`<p style="color:#4b5563">${h(andMore(list.length - shown, `${label.toLowerCase()} finding(s)`))}: see the full report.</p>`);
  }
}

function worstHtml(out: BoundedHtml, model: ReportSummaryModel): void {
  const attention = model.attention;
  out.add(`<h2 style="font-size:17px;margin:16px 0 6px">Needing attention (${attention.length}), worst first</h2>`);
  if (attention.length === 0) {
    out.add('<p>Nothing fails and nothing is unknown.</p>');
    return;
  }
  // Room kept for the "and N more" line, whatever N is.
  const more = 200;
  let shown = 0;
  for (const f of attention) {
    const item =
      `<div style="border-left:4px solid ${SEVERITY_PALETTE[f.severity].fill};padding:4px 10px;margin:8px 0">` +
      `<p style="margin:0">${badges(f)} <strong>${v(f.title)}</strong>: ${v(resourceLabel(f))}</p>` +
      `<p style="margin:2px 0;color:#4b5563">${v(locationLabel(f))}, ${v(environmentLabel(f))} · ${v(f.ruleId)}</p>` +
      `<p style="margin:2px 0">Observed: ${v(f.observed)}</p>` +
      `<p style="margin:2px 0">Fix: ${v(f.remediation)}</p></div>`;
    if (!out.add(item, out.limit - more)) break;
    shown++;
  }
  if (shown < attention.length) out.add(`<p><strong>${h(andMore(attention.length - shown, 'finding(s) needing attention'))}</strong>: see the full report.</p>`);
}

function badge(severity: StoredFinding['severity']): string {
  const { fill, text } = SEVERITY_PALETTE[severity];
  return `<span style="background:${fill};color:${text};border-radius:8px;padding:0 6px;font-size:12px;font-weight:700">${h(severity)}</span>`;
}

function badges(f: StoredFinding): string {
  return `<span style="font-size:12px;font-weight:700">${h(f.status)}</span> ${badge(f.severity)}`;
}
