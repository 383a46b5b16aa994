/** The report e-mail: a subject, the HTML report and the plain-text summary. */
import { formatPercent } from './compliance';
import { plainText, truncate } from './escaping';
import { REPORT_TITLE } from './labels';
import { renderHtml } from './render-html';
import { renderTextSummary } from './render-text-summary';
import type { ReportModel } from './report-model';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Rendering options of the e-mail (none today: the HTML part is the whole report, which stays compact at any size). */
export type EmailOptions = Record<string, never>;

export function renderEmail(model: ReportModel, _options: EmailOptions = {}): RenderedEmail {
  return {
    subject: emailSubject(model),
    // The HTML report itself: every failing, unknown and waived finding in full, passing ones counted per rule.
    html: renderHtml(model),
    text: renderTextSummary(model),
  };
}

/** One line, no control characters (no header injection), at most 200 characters. */
export function emailSubject(model: ReportModel): string {
  const { scan, counts } = model;
  const critical = model.failBySeverity.critical > 0 ? ` (${model.failBySeverity.critical} critical)` : '';
  const newPart = model.changes.compared && model.changes.new.length > 0 ? `, ${model.changes.new.length} new` : '';
  return truncate(
    plainText(`[${REPORT_TITLE}] ${scan.status}: ${counts.FAIL} failing${critical}, ${counts.UNKNOWN} unknown${newPart}, ${formatPercent(model.compliancePercent)} compliant (scan ${scan.scanId})`),
    200,
  );
}
