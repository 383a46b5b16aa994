/**
 * Wraps a fresh evaluation (no store, no history, no waivers) into a ReportModel, so the CLI renders
 * `--format json|csv|markdown|html` with the same renderers as the stored reports.
 */
import type { ScanRecord, ScanResult, ScanTrigger, StoredFinding } from '../model';
import { buildReportModel, countByStatus, type ReportModel } from './report-model';

export interface FromScanResultOptions {
  /** Default: `local-<evaluatedAt>`. */
  scanId?: string;
  trigger?: ScanTrigger;
  reportUrl?: string;
}

export function reportModelFromScanResult(result: ScanResult, now: Date, options: FromScanResultOptions = {}): ReportModel {
  const scanId = options.scanId ?? `local-${result.scan.evaluatedAt}`;
  const findings: StoredFinding[] = result.findings.map((finding) => ({ ...finding, scanId, ruleStatus: finding.status }));
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
