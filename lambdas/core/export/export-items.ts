/**
 * What every export (Security Hub, OCSF, the CLI files) says about one (account, region, resource,
 * rule) after a scan: the finding, when it was first and last observed, and whether it has been
 * resolved or its resource is gone. Built from the finding states (lambdas/core/finding-states.ts),
 * so a re-scan keeps the first observation and a resolution is reported. Pure.
 */
import { isFailing, type FindingState } from '../finding-states';
import { findingKey, type StoredFinding } from '../model';
import type { ExportedPairsAfterScan } from './exported-pairs';

export interface ExportItem {
  /** The finding of this scan; for a resource that is gone, the last failing finding. */
  finding: StoredFinding;
  /** When its current (or last) failing period began; the scan time for a finding that never failed. */
  firstObservedAt: string;
  /** The scan time at which it was last observed (the last failing scan, for a resource that is gone). */
  lastObservedAt: string;
  /** The time of this scan: the update time of every exported record. */
  updatedAt: string;
  /** It was failing before and is not any more (passes, not applicable, or its resource is gone). */
  resolved: boolean;
  /** Its resource was not found in a target this scan covered. */
  gone: boolean;
}

export interface ExportScan {
  scanId: string;
  /** The scan's time (ISO-8601), as the finding states record it. */
  at: string;
}

/**
 * One item per finding of this scan, plus one per pair whose resource disappeared in this scan.
 * `states` are the finding states as they stand after this scan (previous states with this scan's
 * writes applied); `exported` (exported-pairs.ts) knows every pair a consumer was told about, so a
 * finding that never failed keeps its first observation and is closed when its resource is gone.
 * Without either (a local scan), every finding is observed for the first time now.
 */
export function exportItems(findings: readonly StoredFinding[], states: readonly FindingState[], scan: ExportScan, exported?: Pick<ExportedPairsAfterScan, 'present' | 'gone'>): ExportItem[] {
  const stateByKey = new Map(states.map((s) => [s.key, s]));
  const items: ExportItem[] = [];
  const present = new Set<string>();
  for (const finding of findings) {
    const key = findingKey(finding);
    present.add(key);
    const state = stateByKey.get(key);
    const failing = isFailing(finding);
    items.push({
      finding,
      firstObservedAt: state && (failing || state.state === 'RESOLVED') ? state.firstSeen : (exported?.present.get(key)?.firstSeen ?? scan.at),
      lastObservedAt: scan.at,
      updatedAt: scan.at,
      resolved: !failing && state?.state === 'RESOLVED',
      gone: false,
    });
  }
  const goneFromStates = new Set<string>();
  for (const state of states) {
    if (present.has(state.key) || state.state !== 'RESOLVED' || state.lastScanId !== scan.scanId) continue;
    goneFromStates.add(state.key);
    items.push({ finding: state.finding, firstObservedAt: state.firstSeen, lastObservedAt: state.lastSeen, updatedAt: scan.at, resolved: true, gone: true });
  }
  // Gone whatever their history: pairs that never failed (or were resolved earlier) are closed too.
  for (const pair of exported?.gone ?? []) {
    if (present.has(pair.key) || goneFromStates.has(pair.key)) continue;
    // Observed gone now: the change a consumer is told about.
    items.push({ finding: pair.finding, firstObservedAt: pair.firstSeen, lastObservedAt: scan.at, updatedAt: scan.at, resolved: false, gone: true });
  }
  return items;
}

/** The finding states after a scan: the previous ones with this scan's writes applied. */
export function statesAfterScan(previous: readonly FindingState[], written: readonly FindingState[]): FindingState[] {
  const byKey = new Map(previous.map((s) => [s.key, s]));
  for (const state of written) byKey.set(state.key, state);
  return [...byKey.values()];
}
