/** The compliance percentage shown in summaries and the trend. */
import type { FindingStatus } from '../model';

/**
 * PASS as a share of every evaluated finding, NOT_APPLICABLE left out. UNKNOWN counts against
 * compliance (missing evidence is not compliance) and so does SUPPRESSED (a waiver accepts a gap, it
 * does not close it). Null when nothing was evaluated: no evidence, no percentage.
 */
export function compliancePercent(counts: Partial<Record<FindingStatus, number>>): number | null {
  const pass = counts.PASS ?? 0;
  const evaluated = pass + (counts.FAIL ?? 0) + (counts.UNKNOWN ?? 0) + (counts.SUPPRESSED ?? 0);
  return evaluated === 0 ? null : (pass / evaluated) * 100;
}

/** "87.5 %" or "n/a". */
export function formatPercent(percent: number | null): string {
  return percent === null ? 'n/a' : `${(Math.floor(percent * 10) / 10).toFixed(1)} %`;
}
