/**
 * Wraps a fresh evaluation (no store, no history, no waivers) into a ReportModel, so the CLI renders
 * `--format json|csv|markdown|html` with the same renderers as the stored reports.
 */
import type { ScanInfo, ScanRecord, ScanSummary, ScanTrigger, StoredFinding } from '../model';
import { buildReportModel, countByStatus, type ReportModel } from './report-model';

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
  const scan: ScanRecord = {
    scanId,
    trigger: options.trigger ?? 'cli',
    startedAt: result.scan.evaluatedAt,
    finishedAt: result.scan.evaluatedAt,
    status: result.scan.status,
    counts: countByStatus(findings),
    failBySeverity: { ...result.summary.failBySeverity },
    apiCalls: { ...result.summary.apiCalls },
    errors: result.scan.targets.flatMap((t) => t.errors.map((e) => ({ accountId: t.accountId, region: t.region, ...e }))),
    targets: result.scan.targets.map(({ accountId, region }) => ({ accountId, region })),
    redisServers: result.summary.redisServers,
    frontends: result.summary.frontends,
    clusters: result.summary.clusters,
    notEvaluated: result.scan.notEvaluated,
  };
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
