/**
 * Wraps a fresh evaluation (no store, no history, no waivers) into a ReportModel, so the CLI renders
 * `--format json|csv|markdown|html` with the same renderers as the stored reports.
 */
import type { ScanInfo, ScanSummary, ScanTrigger, StoredFinding } from '../model';
import { finishedScanRecord, runningScanRecord } from '../scan-record';
import { buildReportModel, type ReportModel } from './report-model';

export interface FromScanResultOptions {
  /** Default: `local-<evaluatedAt>`. */
  scanId?: string;
  trigger?: ScanTrigger;
  reportUrl?: string;
}

/** A fresh evaluation: its findings as the rules gave them, or already waived (StoredFinding). */
export interface EvaluatedScan {
  scan: ScanInfo;
  summary: ScanSummary;
  findings: ReadonlyArray<StoredFinding | (Omit<StoredFinding, 'scanId' | 'ruleStatus'> & { status: StoredFinding['ruleStatus'] })>;
}

export function reportModelFromScanResult(result: EvaluatedScan, now: Date, options: FromScanResultOptions = {}): ReportModel {
  const scanId = options.scanId ?? `local-${result.scan.evaluatedAt}`;
  const findings: StoredFinding[] = result.findings.map((finding) => ('ruleStatus' in finding ? { ...finding, scanId } : { ...finding, scanId, ruleStatus: finding.status }));
  // The same record the scan Lambda stores, started and finished at the evaluation time.
  const evaluatedAt = result.scan.evaluatedAt;
  const scan = finishedScanRecord(runningScanRecord(scanId, options.trigger ?? 'cli', evaluatedAt), result, findings, evaluatedAt);
  return buildReportModel({
    scan,
    findings,
    changes: { new: [], resolved: [] },
    compared: false,
    suppressions: [],
    trend: [],
    now,
    capturedAt: result.scan.capturedAt,
    ...(options.reportUrl !== undefined ? { reportUrl: options.reportUrl } : {}),
  });
}
