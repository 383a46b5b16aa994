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

/** What the compliance figure is, for a label beside it. */
export const COMPLIANCE_DEFINITION = 'PASS share of evaluated findings, rounded to 0.1 %';

/**
 * "87.5 %" or "n/a": rounded to one decimal, except that a share short of 100 % never shows as
 * "100.0 %" (99.96 gives "99.9 %") and a share above 0 never shows as "0.0 %" (0.04 gives "0.1 %").
 */
export function formatPercent(percent: number | null): string {
  if (percent === null) return 'n/a';
  let tenths = Math.round(percent * 10);
  if (tenths === 1000 && percent < 100) tenths = 999;
  if (tenths === 0 && percent > 0) tenths = 1;
  return `${(tenths / 10).toFixed(1)} %`;
}
