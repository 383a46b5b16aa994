/**
 * Wraps a fresh evaluation (no store, no history, no waivers) into a ReportModel, so the CLI renders
 * `--format json|csv|markdown|html` with the same renderers as the stored reports.
 */
import type { ScanInfo, ScanSummary, ScanTrigger, StoredFinding } from '../model';
import { finishedScanRecord, runningScanRecord } from '../scan-record';
import { storedCopy } from '../suppressions/apply-suppressions';
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
  // Object.assign, not `{ ...finding, scanId }`: V8 gives every object built by spreading then adding
  // a key a hidden class of its own (99,988 classes for 100k findings: 4x slower to build, and every
  // renderer's reads then miss), while Object.assign's copies share their source's few classes. Same
  // keys, same order. A finding not yet waived is stored as applySuppressions stores it.
  const findings: StoredFinding[] = result.findings.map((finding) => ('ruleStatus' in finding ? Object.assign({}, finding, { scanId }) : storedCopy(finding, scanId)));
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
