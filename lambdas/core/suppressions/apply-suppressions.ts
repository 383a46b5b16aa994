/**
 * Applies waivers to a scan's findings. Pure.
 *
 * - A failing finding (FAIL or UNKNOWN) matched by an active waiver (expiresAt after `now`) becomes
 *   SUPPRESSED and carries the waiver; when several match, the one that lasts longest wins.
 * - A failing finding matched only by expired waivers keeps its status and carries `waiverExpired`
 *   (the most recently expired one), so reports can say the waiver ran out.
 * - PASS and NOT_APPLICABLE findings are never suppressed (there is nothing to waive), nor is a
 *   critical finding unless the waiver policy allows it (waiver-policy.ts).
 * - `ruleStatus` always holds the rule's own verdict.
 */
import type { Finding, Status, StoredFinding, Suppression } from '../model';
import { matchesResourcePattern, resourceNames } from './resource-pattern';
import { DEFAULT_WAIVER_POLICY, mayWaive, type WaiverPolicy } from './waiver-policy';

const WAIVABLE: ReadonlySet<Status> = new Set<Status>(['FAIL', 'UNKNOWN']);

/**
 * The finding as stored: its own keys in their order, then scanId and ruleStatus (the keys and order
 * `{ ...finding, scanId, status, ruleStatus }` gives). Copied with Object.assign and plain
 * assignments: V8 turned every spread-then-extended copy into a dictionary-mode object of its own
 * (100k servers: 1,008 MB retained and 17.7 s of CPU for 1,462,518 copies).
 */
export function storedCopy(finding: Finding, scanId: string): StoredFinding {
  const stored = Object.assign({}, finding) as unknown as StoredFinding;
  stored.scanId = scanId;
  stored.ruleStatus = finding.status;
  return stored;
}

export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], now: Date, scanId: string, policy: WaiverPolicy = DEFAULT_WAIVER_POLICY): StoredFinding[] {
  const nowMs = now.getTime();
  return findings.map((finding) => {
    const stored = storedCopy(finding, scanId);
    if (!WAIVABLE.has(finding.status) || !mayWaive(finding, policy)) return stored;
    const matching = suppressions.filter((s) => suppressionMatches(s, finding));
    const active = latestExpiring(matching.filter((s) => Date.parse(s.expiresAt) > nowMs));
    if (active) {
      stored.status = 'SUPPRESSED';
      stored.suppression = { id: active.id, reason: active.reason, owner: active.owner, expiresAt: active.expiresAt };
      return stored;
    }
    const expired = latestExpiring(matching);
    if (expired) stored.waiverExpired = { id: expired.id, reason: expired.reason, owner: expired.owner, expiredAt: expired.expiresAt };
    return stored;
  });
}

/** True when the waiver's rule and resource pattern both match the finding. */
export function suppressionMatches(suppression: Suppression, finding: Pick<Finding, 'ruleId' | 'accountId' | 'region' | 'resourceId'>): boolean {
  if (suppression.ruleId !== '*' && suppression.ruleId !== finding.ruleId) return false;
  return resourceNames(finding).some((name) => matchesResourcePattern(suppression.resourcePattern, name));
}

/** The waiver with the latest expiry (ties broken by id, so the choice is stable). */
function latestExpiring(candidates: readonly Suppression[]): Suppression | undefined {
  let best: Suppression | undefined;
  for (const s of candidates) {
    if (!best) {
      best = s;
      continue;
    }
    const diff = Date.parse(s.expiresAt) - Date.parse(best.expiresAt);
    if (diff > 0 || (diff === 0 && s.id < best.id)) best = s;
  }
  return best;
}
