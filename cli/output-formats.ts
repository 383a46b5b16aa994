/** Renders a scan result in the format asked for on the command line. */
import type { ScanResult } from '../lambdas/core/model';
import { renderTable, type TableOptions } from './render-table';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function renderResult(result: ScanResult, format: OutputFormat, table: TableOptions): string {
  switch (format) {
    case 'table':
      return renderTable(result, table);
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    default:
      throw new Error(`format ${format} is not available yet`);
  }
}
