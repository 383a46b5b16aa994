/**
 * nextFindingStates as a scan's findings pass, one at a time, without holding them: the previous
 * states are read without their last failing findings (FindingStateHead), a failing finding's state
 * is handed back at once, and the pairs that resolve are named by key so that only their full
 * states are read back (a RESOLVED state keeps its last failing finding). For findings with
 * distinct keys, the states written and the counts of changes are those of nextFindingStates. Pure.
 */
import { failingState, isFailing, resolves, type FindingState, type FindingStateHead, type ScanPoint } from './finding-states';
import { findingKey, type StoredFinding } from './model';

export class FindingStatesAsFindingsPass {
  /** Keys of previous states that a finding of this scan named. */
  private readonly met = new Set<string>();
  private readonly resolving: string[] = [];
  private finished = false;
  /** Pairs failing in this scan that were not failing before (nextFindingStates' changes.new). */
  newFailures = 0;

  constructor(
    private readonly previous: ReadonlyMap<string, FindingStateHead>,
    private readonly scan: Omit<ScanPoint, 'targets'>,
  ) {}

  /**
   * The state to write for this finding when it is failing; undefined otherwise (a pair that stops
   * failing is named by `pairsToResolve` at the end).
   */
  pass(finding: StoredFinding): FindingState | undefined {
    const key = findingKey(finding);
    const before = this.previous.get(key);
    if (before) this.met.add(before.key);
    if (isFailing(finding)) {
      const state = failingState(key, finding, before, this.scan);
      if (state.state === 'NEW') this.newFailures++;
      return state;
    }
    if (before && resolves(before, this.scan)) this.resolving.push(before.key);
    return undefined;
  }

  /**
   * After the last finding: the keys of the previous states to write back RESOLVED (resolve() of
   * their full state), in nextFindingStates' order: those that passed, then those gone from a
   * target this scan covered (`targets`). Their number is nextFindingStates' changes.resolved.length.
   */
  pairsToResolve(targets: ScanPoint['targets']): string[] {
    if (!this.finished) {
      this.finished = true;
      const covered = new Set(targets.map((t) => `${t.accountId}/${t.region}`));
      for (const [key, before] of this.previous) {
        if (this.met.has(key) || !covered.has(`${before.accountId}/${before.region}`)) continue;
        if (resolves(before, this.scan)) this.resolving.push(key);
      }
      this.met.clear();
    }
    return this.resolving;
  }
}
