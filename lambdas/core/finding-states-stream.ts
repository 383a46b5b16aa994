/**
 * nextFindingStates as a scan's findings pass, one at a time, without holding them: the previous
 * states are read without their last failing findings and kept compactly (PreviousStates), a
 * failing finding's state is handed back at once, and the pairs that resolve are named by key so
 * that only their full states are read back (a RESOLVED state keeps its last failing finding). For
 * findings with distinct keys, the states written and the counts of changes are those of
 * nextFindingStates. Pure.
 */
import { failingState, isFailing, resolves, type FindingState, type FindingStateHead, type ScanPoint, type StateLifecycle } from './finding-states';
import { findingKey, type RuleId, type StoredFinding } from './model';

/**
 * The previous finding states by key, each as its lifecycle only. States written by one scan share
 * their lifecycle (the same state, times and scan id), so a state costs its key and a map entry;
 * the pair (account, region, resource, rule) is read back from the key when needed.
 */
export class PreviousStates {
  private readonly byKey = new Map<string, StateLifecycle>();
  private readonly lifecycles = new Map<string, StateLifecycle>();

  add(head: FindingStateHead): void {
    const { state, firstSeen, lastSeen, resolvedAt, lastScanId } = head;
    const id = `${state}\u0000${firstSeen}\u0000${lastSeen}\u0000${resolvedAt ?? ''}\u0000${lastScanId}`;
    let lifecycle = this.lifecycles.get(id);
    if (lifecycle === undefined) {
      lifecycle = resolvedAt === undefined ? { state, firstSeen, lastSeen, lastScanId } : { state, firstSeen, lastSeen, resolvedAt, lastScanId };
      this.lifecycles.set(id, lifecycle);
    }
    this.byKey.set(head.key, lifecycle);
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): StateLifecycle | undefined {
    return this.byKey.get(key);
  }

  /** Forgets a state (a finding of this scan named it). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  entries(): IterableIterator<[string, StateLifecycle]> {
    return this.byKey.entries();
  }
}

/** The pair a finding key names: `<account>/<region>/<resource>/<rule>` (account, region and rule hold no `/`). */
export function pairOfKey(key: string): { accountId: string; region: string; resourceId: string; ruleId: RuleId } {
  const afterAccount = key.indexOf('/');
  const afterRegion = key.indexOf('/', afterAccount + 1);
  const beforeRule = key.lastIndexOf('/');
  return { accountId: key.slice(0, afterAccount), region: key.slice(afterAccount + 1, afterRegion), resourceId: key.slice(afterRegion + 1, beforeRule), ruleId: key.slice(beforeRule + 1) as RuleId };
}

export class FindingStatesAsFindingsPass {
  private readonly resolving: string[] = [];
  private finished = false;
  /** Pairs failing in this scan that were not failing before (nextFindingStates' changes.new). */
  newFailures = 0;

  /** `previous` is consumed: each state a finding names is taken out of it. */
  constructor(
    private readonly previous: PreviousStates,
    private readonly scan: Omit<ScanPoint, 'targets'>,
  ) {}

  /**
   * The state to write for this finding when it is failing; undefined otherwise (a pair that stops
   * failing is named by `pairsToResolve` at the end).
   */
  pass(finding: StoredFinding): FindingState | undefined {
    const key = findingKey(finding);
    const before = this.previous.get(key);
    if (before) this.previous.delete(key);
    if (isFailing(finding)) {
      const state = failingState(key, finding, before, this.scan);
      if (state.state === 'NEW') this.newFailures++;
      return state;
    }
    if (before && resolves(before, this.scan)) this.resolving.push(key);
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
      // What is left was named by no finding of this scan.
      for (const [key, before] of this.previous.entries()) {
        const target = key.slice(0, key.indexOf('/', key.indexOf('/') + 1));
        if (covered.has(target) && resolves(before, this.scan)) this.resolving.push(key);
      }
    }
    return this.resolving;
  }
}
