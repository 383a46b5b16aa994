/** One entry point for "render this report as <format>" (CLI `--format`, API `?format=`). */
import { renderCsv } from './render-csv';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import type { ReportModel } from './report-model';

/** Findings for other tools (Security Hub ASFF, OCSF): lambdas/core/export/render-export.ts. */
export { EXPORT_FORMATS, isExportFormat, renderReportExport, type ExportFormat } from '../export/render-export';

export const REPORT_FORMATS = ['json', 'csv', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export const REPORT_FILE_EXTENSIONS: Record<ReportFormat, string> = { json: 'json', csv: 'csv', markdown: 'md', html: 'html' };

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(model: ReportModel, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(model);
    case 'csv':
      return renderCsv(model);
    case 'markdown':
      return renderMarkdown(model);
    case 'html':
      return renderHtml(model);
  }
}
