/**
 * Where a scan's findings go as the evaluation makes them, a slice at a time: waivers, the store
 * (batches of 25), the finding states and the counts of the scan record. Nothing here holds every
 * finding of the scan, unless exporters are on (`keepForExports`): they are handed the whole scan.
 *
 * The previous finding states are read without their last failing findings, page by page, into a
 * compact map; the full state is read back only for a pair that resolves in this scan (a RESOLVED
 * state keeps its last failing finding).
 */
import type { FindingsStore, FindingsWrite } from '../../adapters/store/findings-store';
import { countFinding, zeroFindingCounts, zeroSeverityCounts, type FindingCounts } from '../../core/finding-counts';
import { resolve, type FindingState, type ScanPoint } from '../../core/finding-states';
import { FindingStatesAsFindingsPass, pairOfKey, PreviousStates } from '../../core/finding-states-stream';
import type { Finding, ScanRecord, StoredFinding, Suppression } from '../../core/model';
import { compareFindings } from '../../core/sort-findings';
import { applySuppressions } from '../../core/suppressions/apply-suppressions';
import type { WaiverPolicy } from '../../core/suppressions/waiver-policy';

/** Findings made into stored findings and handed to the store at a time. */
const SLICE = 1000;
/** Finding states handed to the store at a time: one BatchWriteItem. */
const STATES_PER_WRITE = 25;
/** Resolving pairs whose full states are read at a time (one BatchGetItem). */
const STATES_PER_READ = 100;

export interface PipelineSetup {
  store: FindingsStore;
  scan: Pick<ScanRecord, 'scanId' | 'startedAt'>;
  waivers: readonly Suppression[];
  /** The waivers' time. */
  now: Date;
  waiverPolicy?: WaiverPolicy;
  /** The previous finding states in full (when exporters need them); read without findings otherwise. */
  previousStates?: readonly FindingState[];
  /** Keep every finding that passes, for the exporters. */
  keepForExports: boolean;
}

export interface PipelineOutcome {
  counts: FindingCounts;
  newFailures: number;
  resolvedFailures: number;
  /** The stored findings in the order of a sorted evaluation result. Only with keepForExports. */
  findings?: StoredFinding[];
}

export class ScanFindingsPipeline {
  private readonly counts: FindingCounts = { byStatus: zeroFindingCounts(), failBySeverity: zeroSeverityCounts() };
  private readonly statesToWrite: FindingState[] = [];
  private readonly kept?: { raw: Finding[]; stored: StoredFinding[] };
  /** Set when a store call made by `consume` failed (not the evaluation feeding it). */
  storeFailed = false;

  private constructor(
    private readonly setup: PipelineSetup,
    private readonly write: FindingsWrite,
    private readonly states: FindingStatesAsFindingsPass,
  ) {
    if (setup.keepForExports) this.kept = { raw: [], stored: [] };
  }

  /** Reads the previous finding states (without findings unless given) and opens the findings write. */
  static async open(setup: PipelineSetup): Promise<ScanFindingsPipeline> {
    const previous = new PreviousStates();
    if (setup.previousStates) for (const state of setup.previousStates) previous.add(state);
    else for await (const page of setup.store.findingStateHeadPages()) for (const head of page) previous.add(head);
    const write = await setup.store.openFindingsWrite(setup.scan);
    return new ScanFindingsPipeline(setup, write, new FindingStatesAsFindingsPass(previous, { scanId: setup.scan.scanId, at: setup.scan.startedAt }));
  }

  /** A FindingsConsumer: waits until the findings are stored (all but the last partial batch). */
  readonly consume = async (findings: readonly Finding[]): Promise<void> => {
    try {
      for (let first = 0; first < findings.length; first += SLICE) await this.consumeSlice(findings.slice(first, first + SLICE));
    } catch (error) {
      this.storeFailed = true;
      throw error;
    }
  };

  private async consumeSlice(raw: readonly Finding[]): Promise<void> {
    const { scan, waivers, now, waiverPolicy } = this.setup;
    const stored = applySuppressions(raw, waivers, now, scan.scanId, waiverPolicy);
    for (const finding of stored) {
      countFinding(this.counts, finding);
      const state = this.states.pass(finding);
      if (state) this.statesToWrite.push(state);
    }
    if (this.kept) {
      for (const f of raw) this.kept.raw.push(f);
      for (const f of stored) this.kept.stored.push(f);
    }
    await this.write.write(stored);
    await this.writeStates(false);
  }

  private async writeStates(all: boolean): Promise<void> {
    while (this.statesToWrite.length >= STATES_PER_WRITE || (all && this.statesToWrite.length > 0)) {
      await this.setup.store.putFindingStates(this.statesToWrite.splice(0, STATES_PER_WRITE));
    }
  }

  /**
   * After the last finding: the findings' write is finished (an earlier attempt's leftovers
   * removed), the pairs that stopped failing or are gone from `targets` are written back RESOLVED.
   */
  async finish(targets: ScanPoint['targets']): Promise<PipelineOutcome> {
    const scan: ScanPoint = { scanId: this.setup.scan.scanId, at: this.setup.scan.startedAt, targets };
    await this.write.finish();
    const toResolve = this.states.pairsToResolve(targets);
    let resolvedFailures = 0;
    for (let first = 0; first < toResolve.length; first += STATES_PER_READ) {
      const keys = toResolve.slice(first, first + STATES_PER_READ);
      const full = new Map<string, FindingState>();
      for (const state of await this.fullStates(keys)) full.set(state.key, state);
      for (const key of keys) {
        const before = full.get(key);
        const resolved = before && resolve(before, scan);
        if (!resolved) continue;
        resolvedFailures++;
        this.statesToWrite.push(resolved);
      }
      await this.writeStates(false);
    }
    await this.writeStates(true);
    const outcome: PipelineOutcome = { counts: this.counts, newFailures: this.states.newFailures, resolvedFailures };
    if (this.kept) outcome.findings = inSortedOrder(this.kept.raw, this.kept.stored);
    return outcome;
  }

  /** The previous states given in full, by key (built once, on the first read back). */
  private givenByKey?: Map<string, FindingState>;

  private async fullStates(keys: readonly string[]): Promise<FindingState[]> {
    const given = this.setup.previousStates;
    if (given) {
      this.givenByKey ??= new Map(given.map((state) => [state.key, state] as const));
      return keys.flatMap((key) => this.givenByKey!.get(key) ?? []);
    }
    return this.setup.store.getFindingStates(keys.map(pairOfKey));
  }
}

/** The stored findings in the order their unwaived findings have in a sorted evaluation result. */
function inSortedOrder(raw: readonly Finding[], stored: readonly StoredFinding[]): StoredFinding[] {
  const order = raw.map((_, i) => i);
  order.sort((a, b) => compareFindings(raw[a]!, raw[b]!) || a - b);
  return order.map((i) => stored[i]!);
}
