/** The stored record of one scan, from its start to its end. Pure. */
import { countFindings, zeroFindingCounts, zeroSeverityCounts, type FindingCounts } from './finding-counts';
import type { ScanRecord, ScanResult, ScanTrigger, StoredFinding, TrendPoint } from './model';

export { zeroFindingCounts };

/** A scan that has started and not finished. */
export function runningScanRecord(scanId: string, trigger: ScanTrigger, startedAt: string, targets: ScanRecord['targets'] = []): ScanRecord {
  return {
    scanId,
    trigger,
    startedAt,
    status: 'RUNNING',
    counts: zeroFindingCounts(),
    failBySeverity: zeroSeverityCounts(),
    apiCalls: {},
    errors: [],
    targets,
    redisServers: 0,
    frontends: 0,
    clusters: 0,
    notEvaluated: [],
  };
}

/** The finished record: counts after waivers (of the stored findings, or counted as they passed), COMPLETE or PARTIAL as the evaluation said. */
export function finishedScanRecord(running: ScanRecord, result: Pick<ScanResult, 'scan' | 'summary'>, findings: readonly StoredFinding[] | FindingCounts, finishedAt: string, notEnrolled: readonly string[] = []): ScanRecord {
  const { byStatus: counts, failBySeverity } = Array.isArray(findings) ? countFindings(findings) : (findings as FindingCounts);
  return {
    ...running,
    finishedAt,
    capturedAt: result.scan.capturedAt,
    status: result.scan.status,
    counts,
    failBySeverity,
    apiCalls: result.summary.apiCalls,
    errors: result.scan.targets.flatMap((t) => t.errors.map((e) => ({ accountId: t.accountId, region: t.region, ...e }))),
    targets: result.scan.targets.map(({ accountId, region }) => ({ accountId, region })),
    redisServers: result.summary.redisServers,
    frontends: result.summary.frontends,
    clusters: result.summary.clusters,
    notEvaluated: result.scan.notEvaluated,
    ...(notEnrolled.length > 0 ? { notEnrolled: [...new Set(notEnrolled)].sort() } : {}),
  };
}

/** A scan that could not produce findings (the snapshot could not be captured or read). */
export function failedScanRecord(running: ScanRecord, error: { operation: string; code: string; message: string }, finishedAt: string): ScanRecord {
  return {
    ...running,
    finishedAt,
    status: 'FAILED',
    errors: [...running.errors, { accountId: '', region: '', service: 'scanner', ...error }],
  };
}

export function trendPoint(scan: ScanRecord): TrendPoint {
  return { scanId: scan.scanId, finishedAt: scan.finishedAt ?? scan.startedAt, counts: scan.counts };
}
