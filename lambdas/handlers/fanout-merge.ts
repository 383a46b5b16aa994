/**
 * Fan-out last step: evaluates the stored targets of the scan one at a time (a failed worker
 * becomes a target with a collection error: the scan becomes PARTIAL and findings that needed it
 * UNKNOWN) inside the same scan path as the scan Lambda (runScan: evaluate, store, "Scan
 * Completed" -> report).
 * Input: `{ scanId, startedAt, trigger, notEnrolled? }`.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { FANOUT_ITEM_TTL_SECONDS } from '../adapters/fanout/fanout-keys';
import { TargetResultStore, type StoredTargetResult } from '../adapters/fanout/target-result-store';
import { SnapshotEvaluation, type EvaluateOptions, type EvaluationState } from '../core/evaluate';
import type { ScanResult } from '../core/model';
import { validateSnapshot, validateSnapshotTarget } from '../core/snapshot/parse-snapshot';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotInput } from '../core/snapshot/schema';
import { runScan, scanDependenciesFromEnv, type ScanDependencies, type ScanOutcome } from './wiring/run-scan';
import { optionalEnv, requiredEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';
import { ScanIdSchema } from './wiring/scan-id';
import type { SnapshotSource } from './wiring/snapshot-source';

const MergeEventSchema = z.strictObject({
  scanId: ScanIdSchema,
  startedAt: z.iso.datetime({ offset: true }),
  trigger: z.enum(['scheduled', 'api', 'cli']),
  /** Organization mode: ACTIVE accounts without the reader role, not scanned (recorded, not errors). */
  notEnrolled: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id')))),
});

/** The merge hands runScan the assembled snapshot, so it never captures (nor bundles the collectors). */
const NO_CAPTURE: SnapshotSource = {
  capture: () => Promise.reject(new Error('the fan-out merge evaluates the stored targets; it never captures')),
};

export const mergeDependencies = lazy<ScanDependencies>(() => scanDependenciesFromEnv(NO_CAPTURE));

export const mergeStore = lazy(() => new TargetResultStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv('TABLE_NAME')));

/** A stored target as a snapshot target; a failed worker becomes an empty target with its error. */
export function targetOfResult(result: StoredTargetResult): SnapshotInput['targets'][number] {
  return result.kind === 'captured'
    ? result.target
    : {
        accountId: result.accountId,
        region: result.region,
        ec2: { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] },
        ssm: { InstanceInformationList: [], Entities: [] },
        errors: [{ service: 'states', operation: 'ScanTarget', code: result.error, message: `the fan-out worker failed after its retries: ${result.cause.slice(0, 1000)}` }],
      };
}

/** One snapshot from the stored targets (for callers that want them all at once). */
export function assembleSnapshot(capturedAt: string, results: readonly StoredTargetResult[]): Snapshot {
  return validateSnapshot({ format: SNAPSHOT_FORMAT, capturedAt, targets: results.map(targetOfResult) }, 'the fan-out merge');
}

/** When the merge stops starting targets: its invocation's remaining time and what storing the scan needs. */
export interface MergeBudget {
  remainingMs(): number;
  /** Below this many milliseconds left, the merge stores its progress and hands back (the rest stores the scan). */
  reserveMs: number;
}

/** Default reserve: a third of the merge Lambda's 15 minutes for storing findings, states and exports. */
export const DEFAULT_MERGE_RESERVE_SECONDS = 300;

/** The merge's answer: the scan's outcome, or `continued` when the state machine must invoke it again. */
export type MergeOutcome = (ScanOutcome & { continued: false }) | { scanId: string; continued: true; next: number; targets: number };

/**
 * Merges the scan, once: a retry of a merge that already stored the scan (Step Functions retries a
 * task whose Lambda timed out or failed after the scan was written, when the targets may be gone)
 * changes nothing and answers with the stored outcome.
 *
 * The stored targets are evaluated one at a time, in account and region order: each target is read,
 * validated, evaluated and released before the next, so the merge holds one target's records (and
 * the findings so far). When `budget` runs low before a target (at least one evaluated per
 * invocation), the evaluation so far and the next target's index are stored in the table and the
 * merge answers `continued`; the state machine invokes it again and it resumes there (a progress
 * write cut off half way is ignored: the merge starts over). The scan stored at the end is the same
 * as one invocation's.
 */
export async function mergeScan(event: unknown, store?: TargetResultStore, deps?: ScanDependencies): Promise<ScanOutcome & { continued: false }>;
export async function mergeScan(event: unknown, store: TargetResultStore, deps: ScanDependencies, budget: MergeBudget): Promise<MergeOutcome>;
export async function mergeScan(event: unknown, store: TargetResultStore = mergeStore.get(), deps: ScanDependencies = mergeDependencies.get(), budget?: MergeBudget): Promise<MergeOutcome> {
  const request = parseEvent(MergeEventSchema, event);
  const stored = await deps.store.getScan(request.scanId);
  if (stored && stored.status !== 'RUNNING') {
    logger.info('fan-out merge: the scan is already stored; nothing changed', { scanId: request.scanId, status: stored.status });
    await store.deleteTargets(request.scanId);
    await deps.store.releaseScanLease(request.scanId);
    return { scanId: stored.scanId, status: stored.status, counts: stored.counts, newFailures: 0, resolvedFailures: 0, alreadyStored: true, continued: false };
  }
  const refs = await store.listTargets(request.scanId);
  const progress = await store.readMergeProgress<EvaluationState>(request.scanId);
  const first = progress && progress.next > 0 && progress.next <= refs.length ? progress.next : 0;
  const evaluation = first > 0 ? SnapshotEvaluation.resume(progress!.state, { config: deps.config }) : new SnapshotEvaluation({ config: deps.config });
  logger.info('fan-out merge', { scanId: request.scanId, targets: refs.length, resumedAt: first });
  let failure: unknown;
  let failed = 0;
  for (let index = first; index < refs.length; index++) {
    if (budget && index > first && budget.remainingMs() < budget.reserveMs) {
      const expiresAt = Math.floor(Date.parse(request.startedAt) / 1000) + FANOUT_ITEM_TTL_SECONDS;
      await store.putMergeProgress(request.scanId, index, evaluation.state(), expiresAt);
      logger.info('fan-out merge continues in the next invocation', { scanId: request.scanId, next: index, targets: refs.length });
      return { scanId: request.scanId, continued: true, next: index, targets: refs.length };
    }
    try {
      const result = await store.readTarget(request.scanId, refs[index]!);
      if (result.kind === 'failed') failed++;
      evaluation.addTarget(validateSnapshotTarget(targetOfResult(result), index, 'the fan-out merge'));
    } catch (error) {
      failure = error;
      break;
    }
  }
  logger.info('fan-out merge evaluated', { scanId: request.scanId, targets: refs.length, failed });
  const outcome = await runScan({
    scanId: request.scanId,
    trigger: request.trigger,
    ...(request.notEnrolled ? { notEnrolled: request.notEnrolled } : {}),
    // A target that could not be read or validated ends the scan FAILED, recorded with the error.
    evaluate: async (options: EvaluateOptions): Promise<ScanResult> => {
      if (failure) throw failure;
      return SnapshotEvaluation.resume(evaluation.state(), options).result(request.startedAt);
    },
  }, deps);
  await store.deleteTargets(request.scanId);
  return { ...outcome, continued: false };
}

export const handler = middy((event: unknown, context: Context) =>
  mergeScan(event, mergeStore.get(), mergeDependencies.get(), { remainingMs: () => context.getRemainingTimeInMillis(), reserveMs: 1000 * (Number(optionalEnv('MERGE_RESERVE_SECONDS')) || DEFAULT_MERGE_RESERVE_SECONDS) }),
).use(injectLambdaContext(logger, { resetKeys: true }));
