/** What every report renders: one scan's findings, what changed, waivers and the trend. Pure. */
import {
  type FindingChanges,
  type FindingStatus,
  type ScanRecord,
  type Severity,
  type StoredFinding,
  type Suppression,
  type TrendPoint,
} from '../model';
import { countFindings } from '../finding-counts';
import { compliancePercent } from './compliance';
import { compareStoredFindings, needsAttention, sortFindings } from './order-findings';
import { isPassingStatus, PassingCollector, type PassingResources } from './passing-resources';

export const DEFAULT_EXPIRING_WITHIN_DAYS = 14;
export const DEFAULT_TREND_LENGTH = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export { FINDING_STATUSES } from '../finding-counts';

export interface ExpiringWaiver {
  suppression: Suppression;
  /** Whole days left, rounded up (an expiry later today is 1). */
  daysLeft: number;
  /** Findings of this scan the waiver suppresses. */
  suppressedFindings: number;
}

export interface ExpiredWaiver {
  finding: StoredFinding;
  waiver: NonNullable<StoredFinding['waiverExpired']>;
}

export interface ReportTrendPoint extends TrendPoint {
  compliancePercent: number | null;
}

/**
 * What every report renders except the list of every finding: the findings that need a decision
 * (FAIL, UNKNOWN, SUPPRESSED) in full, PASS and NOT_APPLICABLE as counts per rule and resource ids
 * (`passing`). Slack, the e-mail, the text summary and the HTML report render from this alone, so it
 * can be built without holding every finding of a scan (load-report-model.ts).
 */
export interface ReportSummaryModel {
  generatedAt: string;
  reportUrl?: string;
  /** When the evidence was captured, when it differs from the scan (a snapshot evaluated later). */
  capturedAt?: string;
  scan: ScanRecord;
  /** How many findings the scan has, of every status. */
  total: number;
  /** FAIL and UNKNOWN findings, worst first. */
  attention: StoredFinding[];
  /** SUPPRESSED findings, worst first. */
  suppressed: StoredFinding[];
  /** PASS and NOT_APPLICABLE findings: counts per rule, every resource listed once. */
  passing: PassingResources;
  /** Findings by final status. */
  counts: Record<FindingStatus, number>;
  /** FAIL findings (after waivers) by severity. */
  failBySeverity: Record<Severity, number>;
  compliancePercent: number | null;
  changes: {
    /** False when there was no previous scan to compare with: new / resolved are then empty. */
    compared: boolean;
    previousScanId?: string;
    new: StoredFinding[];
    resolved: StoredFinding[];
  };
  waivers: {
    expiringWithinDays: number;
    /** Every active waiver (its scope, owner and expiry), soonest to expire first. */
    active: ExpiringWaiver[];
    /** Active waivers that expire within `expiringWithinDays`, soonest first. */
    expiringSoon: ExpiringWaiver[];
    /** Findings whose waiver has expired (they count again), worst first. */
    expired: ExpiredWaiver[];
  };
  /** Oldest first, ending with this scan. */
  trend: ReportTrendPoint[];
}

/** The summary and every finding: what the CSV, JSON and Markdown reports list. */
export interface ReportModel extends ReportSummaryModel {
  /** Every finding, worst first. */
  findings: StoredFinding[];
}

export interface ReportModelInput extends ReportContext {
  findings: StoredFinding[];
}

/** The summary's input: the findings that need a decision in full, the others already tallied. */
export interface ReportSummaryInput extends ReportContext {
  /** The scan's FAIL, UNKNOWN and SUPPRESSED findings, in any order (and no others). */
  needingDecision: readonly StoredFinding[];
  /** The scan's PASS and NOT_APPLICABLE findings (PassingCollector). */
  passing: PassingResources;
}

export interface ReportContext {
  scan: ScanRecord;
  changes: FindingChanges;
  suppressions: Suppression[];
  trend: TrendPoint[];
  now: Date;
  reportUrl?: string;
  expiringWithinDays?: number;
  /** False when there is no previous scan (default true). */
  compared?: boolean;
  previousScanId?: string;
  /** How many of the most recent trend points to keep (default 30). */
  trendLength?: number;
  capturedAt?: string;
}

export function buildReportModel(input: ReportModelInput): ReportModel {
  const findings = [...input.findings];
  sortFindings(findings);
  const passing = new PassingCollector();
  const needingDecision: StoredFinding[] = [];
  for (const finding of findings) {
    if (isPassingStatus(finding.status)) passing.add(finding);
    else needingDecision.push(finding);
  }
  return { ...buildReportSummaryModel({ ...input, needingDecision, passing: passing.result() }), findings };
}

export function buildReportSummaryModel(input: ReportSummaryInput): ReportSummaryModel {
  const held = [...input.needingDecision];
  for (const finding of held) if (isPassingStatus(finding.status)) throw new Error(`a ${finding.status} finding among those needing a decision: ${finding.ruleId} on ${finding.resourceId}`);
  sortFindings(held);
  const { byStatus: counts, failBySeverity } = countFindings(held);
  for (const tally of input.passing.tallies) counts[tally.status] += tally.count;
  const compared = input.compared ?? true;
  const expiringWithinDays = input.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS;
  return {
    generatedAt: input.now.toISOString(),
    ...(input.reportUrl !== undefined ? { reportUrl: input.reportUrl } : {}),
    ...(input.capturedAt !== undefined ? { capturedAt: input.capturedAt } : {}),
    scan: input.scan,
    total: held.length + input.passing.findings,
    attention: held.filter(needsAttention),
    suppressed: held.filter((f) => f.status === 'SUPPRESSED'),
    passing: input.passing,
    counts,
    failBySeverity,
    compliancePercent: compliancePercent(counts),
    changes: {
      compared,
      ...(input.previousScanId !== undefined ? { previousScanId: input.previousScanId } : {}),
      new: compared ? [...input.changes.new].sort(compareStoredFindings) : [],
      resolved: compared ? [...input.changes.resolved].sort(compareStoredFindings) : [],
    },
    waivers: {
      expiringWithinDays,
      // Only SUPPRESSED findings carry a waiver, only FAIL and UNKNOWN ones an expired one (apply-suppressions.ts).
      active: expiringWaivers(input.suppressions, held, input.now, Infinity),
      expiringSoon: expiringWaivers(input.suppressions, held, input.now, expiringWithinDays),
      expired: held.flatMap((finding) => (finding.waiverExpired ? [{ finding, waiver: finding.waiverExpired }] : [])),
    },
    trend: trendEndingWith(input.trend, input.scan, counts, input.trendLength ?? DEFAULT_TREND_LENGTH),
  };
}

function expiringWaivers(suppressions: readonly Suppression[], findings: readonly StoredFinding[], now: Date, days: number): ExpiringWaiver[] {
  const from = now.getTime();
  const until = from + days * DAY_MS;
  return suppressions
    .map((suppression) => ({ suppression, expires: Date.parse(suppression.expiresAt) }))
    .filter(({ expires }) => Number.isFinite(expires) && expires > from && expires <= until)
    .sort((a, b) => a.expires - b.expires || (a.suppression.id < b.suppression.id ? -1 : 1))
    .map(({ suppression, expires }) => ({
      suppression,
      daysLeft: Math.ceil((expires - from) / DAY_MS),
      suppressedFindings: findings.filter((f) => f.suppression?.id === suppression.id).length,
    }));
}

/** The given trend, oldest first, without duplicates, ending with this scan (added when missing). */
function trendEndingWith(trend: readonly TrendPoint[], scan: ScanRecord, counts: Record<FindingStatus, number>, length: number): ReportTrendPoint[] {
  const byScan = new Map<string, TrendPoint>();
  for (const point of trend) byScan.set(point.scanId, point);
  if (!byScan.has(scan.scanId) && scan.status !== 'RUNNING') {
    byScan.set(scan.scanId, { scanId: scan.scanId, finishedAt: scan.finishedAt ?? scan.startedAt, counts });
  }
  return [...byScan.values()]
    .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0))
    .slice(-Math.max(1, length))
    .map((point) => ({ ...point, compliancePercent: compliancePercent(point.counts) }));
}
