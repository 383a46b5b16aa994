/**
 * The life of each (account, region, resource, rule) across scans, and what changed since the
 * previous scan. Pure.
 *
 * A finding is *failing* when the rule's own verdict (`ruleStatus`) is FAIL or UNKNOWN. The
 * lifecycle follows the estate, not the paperwork: a waiver does not resolve a problem and its
 * expiry does not create a new one (reports show waivers through `status` SUPPRESSED and
 * `waiverExpired`).
 *
 * - NEW: failing in this scan, and not failing (or not present) in the previous one.
 * - OPEN: failing in this scan and in the previous one.
 * - RESOLVED: failing before, now passing, not applicable, or gone from a target this scan covered.
 *
 * A pair that has never failed has no state. A resource is only "gone" when its (account, region)
 * was scanned: a scan of some regions resolves nothing in the others.
 */
import { findingKey, type RuleId, type Status, type StoredFinding, type FindingChanges } from './model';

export type FindingLifecycle = 'NEW' | 'OPEN' | 'RESOLVED';

export interface FindingState {
  /** findingKey: `<account>/<region>/<resource>/<rule>`. */
  key: string;
  accountId: string;
  region: string;
  resourceId: string;
  ruleId: RuleId;
  state: FindingLifecycle;
  /** When the current (or, once RESOLVED, the last) failing period began: that scan's time. */
  firstSeen: string;
  /** The last scan time at which it was failing. */
  lastSeen: string;
  /** The scan time at which it stopped failing (RESOLVED only). */
  resolvedAt?: string;
  /** The scan that last wrote this state. */
  lastScanId: string;
  /** The last failing finding (what a report shows for a resolved one). */
  finding: StoredFinding;
}

/** A finding state without its last failing finding: what a scan reads of every previous state. */
export type FindingStateHead = Omit<FindingState, 'finding'>;

/** What computing the next state reads of a previous one: its lifecycle, not which pair it is. */
export type StateLifecycle = Pick<FindingState, 'state' | 'firstSeen' | 'lastSeen' | 'resolvedAt' | 'lastScanId'>;

export interface ScanPoint {
  scanId: string;
  /** The scan's time (ISO-8601). */
  at: string;
  /** The (account, region) pairs the scan covered. */
  targets: ReadonlyArray<{ accountId: string; region: string }>;
}

const FAILING: ReadonlySet<Status> = new Set<Status>(['FAIL', 'UNKNOWN']);

export function isFailing(finding: Pick<StoredFinding, 'ruleStatus'>): boolean {
  return FAILING.has(finding.ruleStatus);
}

/**
 * The states to write after a scan (only those that changed or were confirmed by it) and the
 * changes since the previous scan. Re-running the same scan id over its own states changes nothing.
 */
export function nextFindingStates(
  previous: readonly FindingState[],
  current: readonly StoredFinding[],
  scan: ScanPoint,
): { states: FindingState[]; changes: FindingChanges } {
  const previousByKey = new Map(previous.map((s) => [s.key, s]));
  const currentByKey = new Map(current.map((f) => [findingKey(f), f]));
  const covered = new Set(scan.targets.map((t) => `${t.accountId}/${t.region}`));
  const states: FindingState[] = [];
  const changes: FindingChanges = { new: [], resolved: [] };

  for (const [key, finding] of currentByKey) {
    const before = previousByKey.get(key);
    if (isFailing(finding)) {
      const state = failingState(key, finding, before, scan);
      states.push(state);
      if (state.state === 'NEW') changes.new.push(finding);
    } else if (before) {
      const resolved = resolve(before, scan);
      if (resolved) {
        states.push(resolved);
        changes.resolved.push(before.finding);
      }
    }
  }
  for (const before of previous) {
    if (currentByKey.has(before.key) || !covered.has(`${before.accountId}/${before.region}`)) continue;
    const resolved = resolve(before, scan);
    if (resolved) {
      states.push(resolved);
      changes.resolved.push(before.finding);
    }
  }
  return { states, changes };
}

/**
 * The state of a pair failing in this scan, given its previous state (without its last failing
 * finding: only the lifecycle fields are read).
 */
export function failingState(key: string, finding: StoredFinding, before: StateLifecycle | undefined, scan: Pick<ScanPoint, 'scanId' | 'at'>): FindingState {
  const rerun = before?.lastScanId === scan.scanId && before.state !== 'RESOLVED';
  const continuing = rerun ? before.state === 'OPEN' : before !== undefined && before.state !== 'RESOLVED';
  return {
    key,
    accountId: finding.accountId,
    region: finding.region,
    resourceId: finding.resourceId,
    ruleId: finding.ruleId,
    state: continuing ? 'OPEN' : 'NEW',
    firstSeen: before && (continuing || rerun) ? before.firstSeen : scan.at,
    lastSeen: scan.at,
    lastScanId: scan.scanId,
    finding,
  };
}

/** True when a pair that is no longer failing (or is gone) has a state to write back: resolve(before) is not undefined. */
export function resolves(before: StateLifecycle, scan: Pick<ScanPoint, 'scanId'>): boolean {
  return before.state !== 'RESOLVED' || before.lastScanId === scan.scanId;
}

/** The RESOLVED state of a pair that stopped failing in this scan, or undefined if nothing changes. */
export function resolve(before: FindingState, scan: ScanPoint): FindingState | undefined {
  if (before.state === 'RESOLVED') {
    // Resolved by this very scan on an earlier run: report it again, unchanged.
    return before.lastScanId === scan.scanId ? before : undefined;
  }
  return { ...before, state: 'RESOLVED', resolvedAt: scan.at, lastScanId: scan.scanId };
}

/**
 * What changed between two scans' findings (the report's "new" and "resolved"), for any pair of
 * stored scans. `current` only resolves pairs in the (account, region) targets it covered.
 */
export function diffFindings(
  previous: readonly StoredFinding[],
  current: readonly StoredFinding[],
  coveredTargets: ReadonlyArray<{ accountId: string; region: string }>,
): FindingChanges {
  const covered = new Set(coveredTargets.map((t) => `${t.accountId}/${t.region}`));
  const previousByKey = new Map(previous.map((f) => [findingKey(f), f]));
  const currentByKey = new Map(current.map((f) => [findingKey(f), f]));
  const changes: FindingChanges = { new: [], resolved: [] };
  for (const [key, finding] of currentByKey) {
    const before = previousByKey.get(key);
    if (isFailing(finding) && !(before && isFailing(before))) changes.new.push(finding);
  }
  for (const [key, before] of previousByKey) {
    if (!isFailing(before)) continue;
    const now = currentByKey.get(key);
    if (now ? !isFailing(now) : covered.has(`${before.accountId}/${before.region}`)) changes.resolved.push(before);
  }
  return changes;
}
