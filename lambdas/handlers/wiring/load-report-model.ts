/** Loads what a report needs for one stored scan and builds the report model. */
import type { FindingsStore } from '../../adapters/store/findings-store';
import { diffFindings } from '../../core/finding-states';
import type { ScanRecord, Suppression } from '../../core/model';
import { buildReportModel, DEFAULT_TREND_LENGTH, type ReportModel } from '../../core/report/report-model';
import { trendPoint } from '../../core/scan-record';

export interface ReportModelSources {
  store: FindingsStore;
  now: Date;
  /** Waivers from the config file (shown with the stored ones). */
  configSuppressions?: Suppression[];
  trendLength?: number;
  reportUrl?: string;
}

/** The scan could not be reported: unknown id, or not finished yet. */
export class ReportUnavailableError extends Error {
  override name = 'ReportUnavailableError';
}

export async function loadReportModel(scanOrId: string | ScanRecord, sources: ReportModelSources): Promise<ReportModel> {
  const { store } = sources;
  const scan = typeof scanOrId === 'string' ? await store.getScan(scanOrId) : scanOrId;
  if (!scan) throw new ReportUnavailableError(`no scan with id ${JSON.stringify(scanOrId)}`);
  if (scan.status === 'RUNNING') throw new ReportUnavailableError(`scan ${scan.scanId} has not finished`);
  const trendLength = sources.trendLength ?? DEFAULT_TREND_LENGTH;
  const [findings, earlier, storedWaivers] = await Promise.all([
    store.allFindings(scan.scanId),
    store.listFinishedScans({ limit: Math.max(1, trendLength - 1), before: scan }),
    store.listSuppressions(),
  ]);
  const previous = earlier[0];
  const previousFindings = previous ? await store.allFindings(previous.scanId) : [];
  return buildReportModel({
    scan,
    findings,
    changes: diffFindings(previousFindings, findings, scan.targets),
    suppressions: [...storedWaivers, ...(sources.configSuppressions ?? [])],
    trend: [...earlier].reverse().map(trendPoint),
    now: sources.now,
    ...(scan.capturedAt ? { capturedAt: scan.capturedAt } : {}),
    compared: previous !== undefined,
    ...(previous ? { previousScanId: previous.scanId } : {}),
    trendLength,
    ...(sources.reportUrl ? { reportUrl: sources.reportUrl } : {}),
  });
}
