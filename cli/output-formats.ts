/** Renders a scan result in the format asked for on the command line. */
import type { WaivedScanResult } from '../lambdas/core/suppressions/waive-scan-result';
import { renderCsv } from '../lambdas/core/report/render-csv';
import { renderHtml } from '../lambdas/core/report/render-html';
import { renderJson } from '../lambdas/core/report/render-json';
import { renderMarkdown } from '../lambdas/core/report/render-markdown';
import { reportModelFromScanResult } from '../lambdas/core/report/report-model-from-scan-result';
import { renderReportExport } from '../lambdas/core/export/render-export';
import { renderTable, type TableOptions } from './render-table';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'asff', 'ocsf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function renderResult(result: WaivedScanResult, format: OutputFormat, table: TableOptions): string {
  switch (format) {
    case 'table':
      return renderTable(result, table);
    case 'json':
      // The one JSON contract (docs/report-json.schema.json), as report.json and the API give it.
      return renderJson(reportModelFromScanResult(result, new Date(result.scan.evaluatedAt)));
    case 'csv':
      return renderCsv(reportModelFromScanResult(result, new Date(result.scan.evaluatedAt)));
    case 'markdown':
      return renderMarkdown(reportModelFromScanResult(result, new Date(result.scan.evaluatedAt)));
    case 'html':
      return renderHtml(reportModelFromScanResult(result, new Date(result.scan.evaluatedAt)));
    case 'asff':
    case 'ocsf':
      // Security Hub (a JSON array of ASFF findings) / OCSF 1.8.0 Compliance Findings; a local scan
      // has no finding states, so each finding is first observed at the evaluation time.
      return renderReportExport(reportModelFromScanResult(result, new Date(result.scan.evaluatedAt)), format);
  }
}
