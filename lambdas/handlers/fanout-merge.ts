/**
 * Fan-out last step: evaluates the stored targets of the scan one at a time (a failed worker
 * becomes a target with a collection error: the scan becomes PARTIAL and findings that needed it
 * UNKNOWN) inside the same scan path as the scan Lambda (runScan: evaluate, store, "Scan
 * Completed" -> report).
 * Input: `{ scanId, startedAt, trigger, notEnrolled? }`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { TargetResultStore, type StoredTargetResult, type TargetRef } from '../adapters/fanout/target-result-store';
import { evaluateTargetFeed, type EvaluateOptions } from '../core/evaluate';
import type { ScanResult } from '../core/model';
import { validateSnapshot, validateSnapshotTarget } from '../core/snapshot/parse-snapshot';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotInput } from '../core/snapshot/schema';
import { runScan, scanDependenciesFromEnv, type ScanDependencies, type ScanOutcome } from './wiring/run-scan';
import { requiredEnv } from './wiring/environment';
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

/**
 * Evaluates the scan's stored targets one at a time, in account and region order: each target is
 * read, validated, evaluated and released before the next is read, so the merge holds one target's
 * records (and the findings so far), not the whole organisation's. Same result as evaluating
 * assembleSnapshot(startedAt, every target).
 */
export function evaluateStoredTargets(store: TargetResultStore, scanId: string, capturedAt: string, refs: readonly TargetRef[], options: EvaluateOptions): Promise<ScanResult> {
  return evaluateTargetFeed(options, async (onTarget) => {
    let failed = 0;
    for (const [index, ref] of refs.entries()) {
      const result = await store.readTarget(scanId, ref);
      if (result.kind === 'failed') failed++;
      onTarget(validateSnapshotTarget(targetOfResult(result), index, 'the fan-out merge'));
    }
    logger.info('fan-out merge evaluated', { scanId, targets: refs.length, failed });
    return { capturedAt };
  });
}

/**
 * Merges the scan, once: a retry of a merge that already stored the scan (Step Functions retries a
 * task whose Lambda timed out or failed after the scan was written, when the targets may be gone)
 * changes nothing and answers with the stored outcome.
 */
export async function mergeScan(event: unknown, store: TargetResultStore = mergeStore.get(), deps: ScanDependencies = mergeDependencies.get()): Promise<ScanOutcome> {
  const request = parseEvent(MergeEventSchema, event);
  const stored = await deps.store.getScan(request.scanId);
  if (stored && stored.status !== 'RUNNING') {
    logger.info('fan-out merge: the scan is already stored; nothing changed', { scanId: request.scanId, status: stored.status });
    await store.deleteTargets(request.scanId);
    await deps.store.releaseScanLease(request.scanId);
    return { scanId: stored.scanId, status: stored.status, counts: stored.counts, newFailures: 0, resolvedFailures: 0, alreadyStored: true };
  }
  const refs = await store.listTargets(request.scanId);
  logger.info('fan-out merge', { scanId: request.scanId, targets: refs.length });
  const outcome = await runScan({ scanId: request.scanId, trigger: request.trigger, ...(request.notEnrolled ? { notEnrolled: request.notEnrolled } : {}), evaluate: (options) => evaluateStoredTargets(store, request.scanId, request.startedAt, refs, options) }, deps);
  await store.deleteTargets(request.scanId);
  return outcome;
}

export const handler = middy((event: unknown) => mergeScan(event)).use(injectLambdaContext(logger, { resetKeys: true }));
