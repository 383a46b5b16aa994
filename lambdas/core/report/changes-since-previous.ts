/**
 * "Changes since the previous scan" (new and resolved failing pairs) without holding both scans'
 * every finding: the same answer as diffFindings (../finding-states.ts) over them, from this scan's
 * findings that need a decision, the keys of its passing findings outside the targets it covered,
 * and the previous scan's failing findings handed in one at a time (only the resolved ones are
 * kept). A finding that is not failing changes nothing in either scan unless it makes a previous
 * failing pair resolved, which the passing keys say. Pure.
 */
import { isFailing } from '../finding-states';
import { findingKey, type FindingChanges, type StoredFinding } from '../model';

export class ChangesSincePrevious {
  private readonly current = new Map<string, StoredFinding>();
  private readonly covered: ReadonlySet<string>;
  private readonly previousFailing = new Set<string>();
  private readonly resolved: StoredFinding[] = [];

  /**
   * @param needingDecision this scan's FAIL, UNKNOWN and SUPPRESSED findings
   * @param coveredTargets the (account, region) pairs this scan covered
   * @param passingOutsideTargets keys (findingKey) of this scan's other findings outside those targets
   */
  constructor(
    needingDecision: readonly StoredFinding[],
    coveredTargets: ReadonlyArray<{ accountId: string; region: string }>,
    private readonly passingOutsideTargets: ReadonlySet<string>,
  ) {
    for (const finding of needingDecision) this.current.set(findingKey(finding), finding);
    this.covered = new Set(coveredTargets.map((t) => `${t.accountId}/${t.region}`));
  }

  /** One finding of the previous scan (any status; only failing ones matter). */
  addPrevious(before: StoredFinding): void {
    if (!isFailing(before)) return;
    const key = findingKey(before);
    this.previousFailing.add(key);
    const now = this.current.get(key);
    // Not among this scan's findings needing a decision: passing now (resolved), or gone (resolved where covered).
    const resolved = now ? !isFailing(now) : this.covered.has(`${before.accountId}/${before.region}`) || this.passingOutsideTargets.has(key);
    if (resolved) this.resolved.push(before);
  }

  changes(): FindingChanges {
    const changes: FindingChanges = { new: [], resolved: [...this.resolved] };
    for (const [key, finding] of this.current) if (isFailing(finding) && !this.previousFailing.has(key)) changes.new.push(finding);
    return changes;
  }
}
