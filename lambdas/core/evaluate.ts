/** Evaluates a snapshot against every rule: data in, findings out. Pure. */
import { DEFAULT_CONFIG, type ScanConfig } from './config';
import { buildEstate } from './estate/build-estate';
import { sanitiseEvidence } from './evidence-text';
import type { Finding, NotEvaluatedInstance, ScanResult } from './model';
import { RULES } from './rules';
import type { RuleDefinition } from './rules/rule';
import type { Snapshot, SnapshotTarget } from './snapshot/schema';
import { summarise } from './summarise';
import { sortFindings } from './sort-findings';

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
 * An evaluation fed one target at a time, so a caller that reads targets as a stream holds one
 * target's records at a time (the findings, the not-evaluated list and the counts are all it keeps
 * of a target). Targets added in snapshot order give exactly evaluateSnapshot's result.
 */
export class SnapshotEvaluation {
  private readonly config: ScanConfig;
  private readonly rules: readonly RuleDefinition[];
  private readonly findings: Finding[] = [];
  private readonly notEvaluated: NotEvaluatedInstance[] = [];
  private readonly targets: ScanTarget[] = [];
  private readonly apiCalls: Record<string, number> = {};
  private redisServers = 0;
  private frontends = 0;
  private clusters = 0;

  constructor(private readonly options: EvaluateOptions = {}) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.rules = options.rules ?? RULES;
  }

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
    // The evidence boundary: no text from AWS reaches a rule, a finding or a renderer with control
    // or bidi characters in it.
    const snapshotTarget = sanitiseEvidence(received);
    this.options.observeTarget?.(snapshotTarget);
    const built = buildEstate(snapshotTarget, this.config, { shareVerdicts: this.options.shareVerdicts ?? true });
    for (const instance of built.notEvaluated) this.notEvaluated.push(instance);
    this.redisServers += built.target.redisServers.length;
    this.frontends += built.target.frontends.length;
    this.clusters += built.target.clusters.length;
    for (const rule of this.rules) {
      for (const finding of rule.evaluate(built.target)) this.findings.push(finding);
    }
    const { accountId, region, errors } = snapshotTarget;
    this.targets.push({ accountId, region, errors: errors.map(({ service, operation, code, message }) => ({ service, operation, code, message })) });
    for (const [operation, count] of Object.entries(snapshotTarget.apiCalls ?? {})) this.apiCalls[operation] = (this.apiCalls[operation] ?? 0) + count;
  }

  /** The scan result of the targets added so far, captured at `capturedAt`. Call once. */
  result(capturedAt: string): ScanResult {
    const findings = this.findings;
    sortFindings(findings);
    const partial = this.targets.some((t) => t.errors.length > 0);
    const notEvaluated = this.notEvaluated;
    return {
      scan: {
        capturedAt,
        evaluatedAt: (this.options.now ?? (() => new Date()))().toISOString(),
        status: partial ? 'PARTIAL' : 'COMPLETE',
        targets: this.targets,
        notEvaluated,
      },
      summary: summarise(findings, { redisServers: this.redisServers, frontends: this.frontends, clusters: this.clusters, notEvaluated: notEvaluated.length, apiCalls: this.apiCalls }),
      findings,
    };
  }
}
