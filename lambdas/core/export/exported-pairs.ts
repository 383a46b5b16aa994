/**
 * Every (account, region, resource, rule) the exports have told a consumer about, whatever its
 * history: when it was first seen, the last finding it had, and whether its resource is gone. The
 * finding states (finding-states.ts) only follow pairs that failed; Security Hub and OCSF consumers
 * also hold the ones that always passed, and must hear when those end (ARCHIVED / Close) and keep
 * their first observation across scans (an Update, not a new Create). Pure.
 *
 * Written only when something changes: a pair seen for the first time (or again after it was gone),
 * and a pair whose resource disappeared from a target this scan covered. A scan of some regions
 * makes nothing in the others gone.
 */
import type { ScanPoint } from '../finding-states';
import { findingKey, type RuleId, type StoredFinding } from '../model';

export interface ExportedPair {
  /** findingKey: `<account>/<region>/<resource>/<rule>`. */
  key: string;
  accountId: string;
  region: string;
  resourceId: string;
  ruleId: RuleId;
  /** The scan time at which the pair was first seen (again, after it was gone). */
  firstSeen: string;
  /** The scan time at which its resource was found gone. */
  goneAt?: string;
  /** The scan that last wrote this entry. */
  lastScanId: string;
  /** The finding as last written (what a consumer is told when the resource is gone). */
  finding: StoredFinding;
}

export interface ExportedPairsAfterScan {
  /** The entries to write. */
  write: ExportedPair[];
  /** Every pair present in this scan, by key (its first observation). */
  present: Map<string, ExportedPair>;
  /** Pairs whose resource this scan found gone (a re-run of the same scan finds them again). */
  gone: ExportedPair[];
}

export function nextExportedPairs(previous: readonly ExportedPair[], findings: readonly StoredFinding[], scan: ScanPoint): ExportedPairsAfterScan {
  const previousByKey = new Map(previous.map((p) => [p.key, p]));
  const covered = new Set(scan.targets.map((t) => `${t.accountId}/${t.region}`));
  const write: ExportedPair[] = [];
  const present = new Map<string, ExportedPair>();
  const gone: ExportedPair[] = [];
  for (const finding of findings) {
    const key = findingKey(finding);
    const before = previousByKey.get(key);
    if (before && before.goneAt === undefined) {
      present.set(key, before);
      continue;
    }
    // New, or back after it was gone (a re-run of the scan that found it gone sees it present).
    const pair: ExportedPair = { key, accountId: finding.accountId, region: finding.region, resourceId: finding.resourceId, ruleId: finding.ruleId, firstSeen: before?.goneAt !== undefined && before.lastScanId === scan.scanId ? before.firstSeen : scan.at, lastScanId: scan.scanId, finding };
    present.set(key, pair);
    write.push(pair);
  }
  for (const before of previous) {
    if (present.has(before.key) || !covered.has(`${before.accountId}/${before.region}`)) continue;
    if (before.goneAt !== undefined) {
      if (before.lastScanId === scan.scanId) gone.push(before);
      continue;
    }
    const pair: ExportedPair = { ...before, goneAt: scan.at, lastScanId: scan.scanId };
    write.push(pair);
    gone.push(pair);
  }
  return { write, present, gone };
}
