/** Evaluates a snapshot against every rule: data in, findings out. Pure. */
import { DEFAULT_CONFIG, type ScanConfig } from './config';
import { buildEstate } from './estate/build-estate';
import { sanitiseEvidence } from './evidence-text';
import type { Finding, NotEvaluatedInstance, ScanResult, ScanSummary } from './model';
import { RULES } from './rules';
import type { RuleDefinition } from './rules/rule';
import type { Snapshot, SnapshotTarget } from './snapshot/schema';
import { summarise } from './summarise';
import { sortFindings } from './sort-findings';
import { SummaryTally } from './summary-tally';

type ScanTarget = ScanResult['scan']['targets'][number];

export interface EvaluateOptions {
  config?: ScanConfig;
  /** The evaluation time; injectable for reproducible output. */
  now?: () => Date;
  rules?: readonly RuleDefinition[];
  /** False turns every shared-verdict cache off (same findings, slower); for the property tests. Default true. */
  shareVerdicts?: boolean;
  /** Sees each target as it is evaluated (what the command line needs to tell a run that judged nothing). */
  observeTarget?: (target: SnapshotTarget) => void;
}

export function evaluateSnapshot(snapshot: Snapshot, options: EvaluateOptions = {}): ScanResult {
  const evaluation = new SnapshotEvaluation(options);
  for (const target of snapshot.targets) evaluation.addTarget(target);
  return evaluation.result(snapshot.capturedAt);
}

/**
 * Evaluates targets as `feed` hands them on (a stream, a capture, a store read one at a time): each
 * target is evaluated when it arrives and can then be released. `feed` resolves to the capture time.
 */
export async function evaluateTargetFeed(options: EvaluateOptions, feed: (onTarget: (target: SnapshotTarget) => void) => Promise<{ capturedAt: string }>): Promise<ScanResult> {
  const evaluation = new SnapshotEvaluation(options);
  const { capturedAt } = await feed((target) => evaluation.addTarget(target));
  return evaluation.result(capturedAt);
}

/**
 * What an evaluation holds between targets, as plain JSON: a merge that must stop before its
 * Lambda's time is up stores it and the next invocation resumes from it (SnapshotEvaluation.resume).
 */
export interface EvaluationState {
  findings: Finding[];
  notEvaluated: NotEvaluatedInstance[];
  targets: ScanTarget[];
  apiCalls: Record<string, number>;
  redisServers: number;
  frontends: number;
  clusters: number;
}

/**
 * What an evaluation keeps of each target besides its findings: the not-evaluated list, the
 * targets and their errors, the API calls and the resource counts. Hands each target's findings
 * out one rule at a time (`findingChunks`).
 */
abstract class TargetBookkeeping {
  protected readonly config: ScanConfig;
  protected readonly rules: readonly RuleDefinition[];
  protected readonly notEvaluated: NotEvaluatedInstance[] = [];
  protected readonly targets: ScanTarget[] = [];
  protected readonly apiCalls: Record<string, number> = {};
  protected redisServers = 0;
  protected frontends = 0;
  protected clusters = 0;

  constructor(protected readonly options: EvaluateOptions = {}) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.rules = options.rules ?? RULES;
  }

  /**
   * Evaluates one target and yields its findings rule by rule, in rule order (each rule's findings
   * for the target, as the rule made them); the target is recorded once its last rule has run.
   */
  protected *findingChunks(received: SnapshotTarget): Generator<Finding[], void, void> {
    // The evidence boundary: no text from AWS reaches a rule, a finding or a renderer with control
    // or bidi characters in it.
    const snapshotTarget = sanitiseEvidence(received);
    this.options.observeTarget?.(snapshotTarget);
    const built = buildEstate(snapshotTarget, this.config, { shareVerdicts: this.options.shareVerdicts ?? true });
    for (const instance of built.notEvaluated) this.notEvaluated.push(instance);
    this.redisServers += built.target.redisServers.length;
    this.frontends += built.target.frontends.length;
    this.clusters += built.target.clusters.length;
    for (const rule of this.rules) yield rule.evaluate(built.target);
    const { accountId, region, errors } = snapshotTarget;
    this.targets.push({ accountId, region, errors: errors.map(({ service, operation, code, message }) => ({ service, operation, code, message })) });
    for (const [operation, count] of Object.entries(snapshotTarget.apiCalls ?? {})) this.apiCalls[operation] = (this.apiCalls[operation] ?? 0) + count;
  }

  /** The scan block of the result, captured at `capturedAt`; reads the evaluation time. */
  protected scanInfo(capturedAt: string): ScanResult['scan'] {
    const partial = this.targets.some((t) => t.errors.length > 0);
    return {
      capturedAt,
      evaluatedAt: (this.options.now ?? (() => new Date()))().toISOString(),
      status: partial ? 'PARTIAL' : 'COMPLETE',
      targets: this.targets,
      notEvaluated: this.notEvaluated,
    };
  }

  protected summaryExtra(): Pick<ScanSummary, 'redisServers' | 'frontends' | 'clusters' | 'notEvaluated' | 'apiCalls'> {
    return { redisServers: this.redisServers, frontends: this.frontends, clusters: this.clusters, notEvaluated: this.notEvaluated.length, apiCalls: this.apiCalls };
  }
}

/**
 * An evaluation fed one target at a time, so a caller that reads targets as a stream holds one
 * target's records at a time (the findings, the not-evaluated list and the counts are all it keeps
 * of a target). Targets added in snapshot order give exactly evaluateSnapshot's result.
 */
export class SnapshotEvaluation extends TargetBookkeeping {
  private readonly findings: Finding[] = [];

  /** An evaluation that continues from `state` (the targets before it are not evaluated again). */
  static resume(state: EvaluationState, options: EvaluateOptions = {}): SnapshotEvaluation {
    const evaluation = new SnapshotEvaluation(options);
    evaluation.findings.push(...state.findings);
    evaluation.notEvaluated.push(...state.notEvaluated);
    evaluation.targets.push(...state.targets);
    Object.assign(evaluation.apiCalls, state.apiCalls);
    evaluation.redisServers = state.redisServers;
    evaluation.frontends = state.frontends;
    evaluation.clusters = state.clusters;
    return evaluation;
  }

  /** The state after the targets added so far (see EvaluationState). */
  state(): EvaluationState {
    return { findings: this.findings, notEvaluated: this.notEvaluated, targets: this.targets, apiCalls: this.apiCalls, redisServers: this.redisServers, frontends: this.frontends, clusters: this.clusters };
  }

  addTarget(received: SnapshotTarget): void {
    for (const chunk of this.findingChunks(received)) for (const finding of chunk) this.findings.push(finding);
  }

  /** The scan result of the targets added so far, captured at `capturedAt`. Call once. */
  result(capturedAt: string): ScanResult {
    const findings = this.findings;
    sortFindings(findings);
    const scan = this.scanInfo(capturedAt);
    return { scan, summary: summarise(findings, this.summaryExtra()), findings };
  }
}

/** Takes each chunk of findings as the evaluation hands it out; the evaluation waits for it. */
export type FindingsConsumer = (findings: readonly Finding[]) => void | Promise<void>;

/** A scan result without its findings: they went to the consumer as they were made. */
export type StreamedScanResult = Pick<ScanResult, 'scan' | 'summary'>;

/**
 * An evaluation that keeps no findings: each rule's findings for a target go to `consume` as soon
 * as they are made (in evaluation order, not sorted), and the evaluation waits for the consumer
 * before the next rule runs, so it never runs ahead of what consumes the findings. The summary is
 * counted as they pass: the same as evaluateSnapshot's for the same targets. Targets are evaluated
 * one after another, in the order they are added.
 */
export class StreamedEvaluation extends TargetBookkeeping {
  private readonly tally = new SummaryTally();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    options: EvaluateOptions,
    private readonly consume: FindingsConsumer,
  ) {
    super(options);
  }

  /**
   * Evaluates `target` once the targets added before it are done; resolves when its findings have
   * all been consumed (rejects with the first error of this or an earlier target).
   */
  addTarget(target: SnapshotTarget): Promise<void> {
    this.queue = this.queue.then(() => this.evaluate(target));
    return this.queue;
  }

  private async evaluate(target: SnapshotTarget): Promise<void> {
    for (const chunk of this.findingChunks(target)) {
      for (const finding of chunk) this.tally.add(finding);
      await this.consume(chunk);
    }
  }

  /** Resolves once every target added so far is evaluated and consumed, or has failed. */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** The scan and summary of the targets added so far, once they are all consumed. Call once. */
  async result(capturedAt: string): Promise<StreamedScanResult> {
    await this.queue;
    return { scan: this.scanInfo(capturedAt), summary: this.tally.summary(this.summaryExtra()) };
  }
}

/** evaluateSnapshot with the findings handed to `consume` rule by rule and target by target instead of kept. */
export async function evaluateSnapshotStreamed(snapshot: Snapshot, options: EvaluateOptions, consume: FindingsConsumer): Promise<StreamedScanResult> {
  const evaluation = new StreamedEvaluation(options, consume);
  for (const target of snapshot.targets) await evaluation.addTarget(target);
  return evaluation.result(snapshot.capturedAt);
}

/**
 * evaluateTargetFeed with the findings handed to `consume` instead of kept. The feed is handed a
 * callback that returns a promise settled when that target's findings are consumed: a feed that
 * waits for it holds one target at a time; one that does not (a sync callback caller) queues its
 * targets, which are evaluated in order.
 */
export async function evaluateTargetFeedStreamed(
  options: EvaluateOptions,
  feed: (onTarget: (target: SnapshotTarget) => Promise<void>) => Promise<{ capturedAt: string }>,
  consume: FindingsConsumer,
): Promise<StreamedScanResult> {
  const evaluation = new StreamedEvaluation(options, consume);
  let header: { capturedAt: string };
  try {
    header = await feed((target) => {
      const done = evaluation.addTarget(target);
      // Settled through result() below when the feed does not wait for it.
      done.catch(() => undefined);
      return done;
    });
  } catch (error) {
    // A feed that fails does not leave targets it handed on still being consumed.
    await evaluation.settled();
    throw error;
  }
  return evaluation.result(header.capturedAt);
}
