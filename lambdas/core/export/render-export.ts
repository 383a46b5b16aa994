/**
 * The export files: a JSON array of ASFF findings (what `aws securityhub batch-import-findings
 * --findings file://...` takes) or a JSON array of OCSF Compliance Findings. Pure.
 */
import type { ReportModel } from '../report/report-model';
import { toAsffFinding } from './asff';
import { exportItems, type ExportItem } from './export-items';
import { toOcsfComplianceFinding } from './ocsf';

export const EXPORT_FORMATS = ['asff', 'ocsf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export function renderExportItems(items: readonly ExportItem[], format: ExportFormat): string {
  const records = format === 'asff' ? items.map(toAsffFinding) : items.map(toOcsfComplianceFinding);
  return `${JSON.stringify(records, null, 2)}\n`;
}

/**
 * A report's findings as an export file, without finding states: every finding is observed at the
 * scan's start (a stored scan's exports with states come from the scan itself).
 */
export function renderReportExport(model: ReportModel, format: ExportFormat): string {
  return renderExportItems(exportItems(model.findings, [], { scanId: model.scan.scanId, at: model.scan.startedAt }), format);
}
