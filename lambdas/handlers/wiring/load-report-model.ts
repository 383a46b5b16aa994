/**
 * Loads what a report needs for one stored scan and builds the report model.
 *
 * `loadReportSummaryModel` (the report Lambda, the HTML report) holds only what it shows: the
 * findings that need a decision (FAIL, UNKNOWN, SUPPRESSED) in full, read by status; PASS and
 * NOT_APPLICABLE read page by page as outlines (no sentences) and kept as counts per rule and
 * resource ids; and, for the changes since the previous scan, that scan's findings needing a
 * decision only (a pair that was not failing before counts as new, whatever it was). Its memory
 * grows with the findings that need attention, not with the scan. `loadReportModel` (the CSV, JSON
 * and Markdown reports, which list every finding) reads every finding of the scan on top.
 */
import { forEachPagedItem, type FindingsStore } from '../../adapters/store/findings-store';
import { diffFindings, isFailing } from '../../core/finding-states';
import { findingKey, type FindingChanges, type FindingStatus, type ScanRecord, type StoredFinding, type Suppression } from '../../core/model';
import { ChangesSincePrevious } from '../../core/report/changes-since-previous';
import { PassingCollector } from '../../core/report/passing-resources';
import {
  buildReportModel,
  buildReportSummaryModel,
  DEFAULT_TREND_LENGTH,
  type ReportContext,
  type ReportModel,
  type ReportSummaryModel,
} from '../../core/report/report-model';
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

/** The statuses of the findings a report shows in full (and the only ones that can be failing). */
const NEEDING_DECISION: readonly FindingStatus[] = ['FAIL', 'UNKNOWN', 'SUPPRESSED'];
const PASSING: readonly FindingStatus[] = ['PASS', 'NOT_APPLICABLE'];

/** Every report's model: every finding of the scan, sorted, with the summary. */
export async function loadReportModel(scanOrId: string | ScanRecord, sources: ReportModelSources): Promise<ReportModel> {
  const scan = await finishedScan(scanOrId, sources.store);
  const [findings, context] = await Promise.all([sources.store.allFindings(scan.scanId), reportContext(scan, sources)]);
  const changes = context.previous ? diffFindings(await failingFindings(sources.store, context.previous.scanId), findings, scan.targets) : NO_CHANGES;
  return buildReportModel({ ...context.input, findings, changes });
}

/** The summary alone (Slack, e-mail, HTML), without holding the scan's PASS and NOT_APPLICABLE findings. */
export async function loadReportSummaryModel(scanOrId: string | ScanRecord, sources: ReportModelSources): Promise<ReportSummaryModel> {
  const { store } = sources;
  const scan = await finishedScan(scanOrId, store);
  const covered = new Set(scan.targets.map((t) => `${t.accountId}/${t.region}`));
  const passing = new PassingCollector();
  // Keys of PASS / NOT_APPLICABLE findings outside the scan's targets (normally none): they still resolve a pair.
  const presentOutsideTargets = new Set<string>();
  const [needingDecision, context] = await Promise.all([
    findingsWithStatuses(store, scan.scanId, NEEDING_DECISION),
    reportContext(scan, sources),
    (async () => {
      for (const status of PASSING) {
        await forEachPagedItem(
          (page) => store.listFindingOutlines(scan.scanId, { status, ...page }),
          (outline) => {
            passing.add(outline);
            if (!covered.has(`${outline.accountId}/${outline.region}`)) presentOutsideTargets.add(findingKey(outline));
          },
        );
      }
    })(),
  ]);
  let changes = NO_CHANGES;
  if (context.previous) {
    // The previous scan's failing findings page by page: only those resolved now are kept.
    const comparison = new ChangesSincePrevious(needingDecision, scan.targets, presentOutsideTargets);
    await eachFindingWithStatuses(store, context.previous.scanId, NEEDING_DECISION, (before) => comparison.addPrevious(before));
    changes = comparison.changes();
  }
  return buildReportSummaryModel({ ...context.input, needingDecision, passing: passing.result(), changes });
}

const NO_CHANGES: FindingChanges = { new: [], resolved: [] };

async function finishedScan(scanOrId: string | ScanRecord, store: FindingsStore): Promise<ScanRecord> {
  const scan = typeof scanOrId === 'string' ? await store.getScan(scanOrId) : scanOrId;
  if (!scan) throw new ReportUnavailableError(`no scan with id ${JSON.stringify(scanOrId)}`);
  if (scan.status === 'RUNNING') throw new ReportUnavailableError(`scan ${scan.scanId} has not finished`);
  return scan;
}

/** Everything but the findings and the changes: the previous scans (trend), the waivers. */
async function reportContext(scan: ScanRecord, sources: ReportModelSources): Promise<{ input: Omit<ReportContext, 'changes'>; previous: ScanRecord | undefined }> {
  const trendLength = sources.trendLength ?? DEFAULT_TREND_LENGTH;
  const [earlier, storedWaivers] = await Promise.all([sources.store.listFinishedScans({ limit: Math.max(1, trendLength - 1), before: scan }), sources.store.listSuppressions()]);
  const previous = earlier[0];
  return {
    previous,
    input: {
      scan,
      suppressions: [...storedWaivers, ...(sources.configSuppressions ?? [])],
      trend: [...earlier].reverse().map(trendPoint),
      now: sources.now,
      ...(scan.capturedAt ? { capturedAt: scan.capturedAt } : {}),
      compared: previous !== undefined,
      ...(previous ? { previousScanId: previous.scanId } : {}),
      trendLength,
      ...(sources.reportUrl ? { reportUrl: sources.reportUrl } : {}),
    },
  };
}

/** A scan's failing findings (rule verdict FAIL or UNKNOWN, waived or not): what the changes compare. */
async function failingFindings(store: FindingsStore, scanId: string): Promise<StoredFinding[]> {
  return (await findingsWithStatuses(store, scanId, NEEDING_DECISION)).filter(isFailing);
}

/** A scan's findings of these statuses, in full, each status read from the by-status index. */
async function findingsWithStatuses(store: FindingsStore, scanId: string, statuses: readonly FindingStatus[]): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  await eachFindingWithStatuses(store, scanId, statuses, (finding) => out.push(finding));
  return out;
}

async function eachFindingWithStatuses(store: FindingsStore, scanId: string, statuses: readonly FindingStatus[], each: (finding: StoredFinding) => void): Promise<void> {
  for (const status of statuses) await forEachPagedItem((page) => store.listFindings(scanId, { status, ...page }), each);
}
