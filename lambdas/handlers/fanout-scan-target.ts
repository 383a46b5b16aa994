/**
 * Fan-out worker: captures one account x region with the live collectors and stores it in the
 * table (gzipped chunks), returning only its key, never the snapshot (Step Functions payloads stop
 * at 256 KB). The scanner's own account is read with the function's own role; other accounts
 * through the reader role. Input: `{ scanId, expiresAt, accountId, region, continuation? }`.
 *
 * Deadline: the capture stops starting SSM inventory reads when the invocation has less than
 * DEADLINE_RESERVE_MS left (context.getRemainingTimeInMillis()), stores what it has and where it
 * stopped (the continuation, in the table) and returns `continued: true`; the state machine invokes
 * the worker again with `continuation: true`, which reads it back and goes on. The pieces give the
 * same target as one uninterrupted capture (docs/collectors.md, "Deadline and continuation").
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { deadlineFromRemainingTime } from '../adapters/collectors/capture-deadline';
import { captureTargetUntil } from '../adapters/collectors/capture-target';
import { TargetResultStore } from '../adapters/fanout/target-result-store';
import { validateSnapshot } from '../core/snapshot/parse-snapshot';
import { SNAPSHOT_FORMAT } from '../core/snapshot/schema';
import { optionalEnv, requiredEnv, scanConfigFromEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';

const WorkerEventSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  expiresAt: z.string().check(z.regex(/^\d+$/)),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)),
  /** true: continue the capture a previous invocation stopped at its deadline. */
  continuation: z.optional(z.boolean()),
});

/** Time kept at the deadline for the calls in flight and for storing the target or the continuation. */
export const DEADLINE_RESERVE_MS = 60_000;

export interface WorkerResult {
  accountId: string;
  region: string;
  parts: number;
  errors: number;
  /** true: stopped at the deadline, the continuation is stored; invoke again with `continuation: true`. */
  continued: boolean;
  /** Inventory reads left for the next invocation (0 when done). */
  pending: number;
}

export interface WorkerDependencies {
  store: TargetResultStore;
  captureTarget: typeof captureTargetUntil;
  /** Default DEADLINE_RESERVE_MS. */
  reserveMs?: number;
  roleName?: string;
  externalId?: string;
  config: ReturnType<typeof scanConfigFromEnv>;
}

export const workerDependencies = lazy<WorkerDependencies>(() => {
  const roleName = optionalEnv('READER_ROLE_NAME');
  const externalId = optionalEnv('READER_EXTERNAL_ID');
  return {
    store: new TargetResultStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv('TABLE_NAME')),
    // Imported statically (capturing is all this Lambda does): esbuild tree-shakes the SDK clients.
    captureTarget: captureTargetUntil,
    ...(roleName ? { roleName } : {}),
    ...(externalId ? { externalId } : {}),
    config: scanConfigFromEnv(),
  };
});

export async function scanTarget(event: unknown, context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>, deps: WorkerDependencies = workerDependencies.get()): Promise<WorkerResult> {
  const request = parseEvent(WorkerEventSchema, event);
  const { scanId, accountId, region } = request;
  const ownAccount = context.invokedFunctionArn.split(':')[4];
  const other = accountId !== ownAccount;
  if (other && !deps.roleName) throw new Error(`a reader role name is required to scan account ${accountId}`);
  const resume = request.continuation ? await deps.store.readContinuation(scanId, accountId, region) : undefined;
  const deadline = deadlineFromRemainingTime(() => context.getRemainingTimeInMillis(), deps.reserveMs ?? DEADLINE_RESERVE_MS);
  const progress = await deps.captureTarget(
    { accountId, region },
    { tags: deps.config.tags, ...(other ? { assumeRole: { roleName: deps.roleName!, ...(deps.externalId ? { externalId: deps.externalId } : {}) } } : {}) },
    deadline,
    resume,
  );
  const { target, continuation } = progress;
  if (continuation) {
    const pending = continuation.inventory.pending.length;
    // An invocation that read nothing would hand off forever: fail it (the state machine retries, then records the failure).
    if (resume && pending >= resume.inventory.pending.length) throw new Error(`the capture of ${accountId} ${region} made no progress before its deadline (${pending} inventory reads left)`);
    const parts = await deps.store.putContinuation(scanId, continuation, Number(request.expiresAt));
    logger.info('target continued', { scanId, accountId, region, parts, pending });
    return { accountId, region, parts, errors: target.errors?.length ?? 0, continued: true, pending };
  }
  // Validated as captureEstate validates a capture (the snapshot schema), then stored.
  const [captured] = validateSnapshot({ format: SNAPSHOT_FORMAT, capturedAt: new Date().toISOString(), targets: [target] }, 'live capture').targets;
  const parts = await deps.store.putTarget(scanId, captured!, Number(request.expiresAt));
  if (resume) await deps.store.deleteContinuation(scanId, accountId, region);
  logger.info('target captured', { scanId, accountId, region, parts, errors: captured!.errors.length, continued: !!resume });
  return { accountId, region, parts, errors: captured!.errors.length, continued: false, pending: 0 };
}

export const handler = middy((event: unknown, context: Context) => scanTarget(event, context)).use(injectLambdaContext(logger, { resetKeys: true }));
