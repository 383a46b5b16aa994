/**
 * GET /reports/latest's body: the latest finished scan's report model rendered in the asked format.
 * A module of its own, loaded by that route on first use (`import()`, a chunk of the api bundle), so
 * the api Lambda's cold start does not parse the report model and the four renderers.
 */
import type { ScanRecord } from '../../core/model';
import { renderCsv } from '../../core/report/render-csv';
import { renderHtml } from '../../core/report/render-html';
import { renderJson } from '../../core/report/render-json';
import { renderMarkdown } from '../../core/report/render-markdown';
import { HTML_REPORT_CSP } from '../http/responses';
import { loadReportModel, loadReportSummaryModel, type ReportModelSources } from './load-report-model';

export type ApiReportFormat = 'json' | 'markdown' | 'html' | 'csv';

export interface ReportResponse {
  body: string;
  contentType: string;
  headers: Record<string, string>;
  csp?: string;
}

/** Loads the scan's report model and renders it: the HTML report from the summary alone, the others list every finding. */
export async function reportResponse(scan: ScanRecord, format: ApiReportFormat, sources: ReportModelSources): Promise<ReportResponse> {
  if (format === 'html') return htmlResponse(renderHtml(await loadReportSummaryModel(scan, sources)));
  return renderReport(format, await loadReportModel(scan, sources), scan.scanId);
}

function htmlResponse(body: string): ReportResponse {
  return { body, contentType: 'text/html; charset=utf-8', headers: {}, csp: HTML_REPORT_CSP };
}

export function renderReport(format: ApiReportFormat, model: Parameters<typeof renderJson>[0], scanId: string): ReportResponse {
  switch (format) {
    case 'html':
      return htmlResponse(renderHtml(model));
    case 'markdown':
      return { body: renderMarkdown(model), contentType: 'text/markdown; charset=utf-8', headers: {} };
    case 'csv':
      return { body: renderCsv(model), contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="redis-compliance-${scanId}.csv"` } };
    case 'json':
      return { body: renderJson(model), contentType: 'application/json; charset=utf-8', headers: {} };
  }
}
