/**
 * Fan-out worker: captures one account x region with the live collectors and stores it in the
 * table (gzipped chunks), returning only its key, never the snapshot (Step Functions payloads stop
 * at 256 KB). The scanner's own account is read with the function's own role; other accounts
 * through the reader role. Input: `{ scanId, expiresAt, accountId, region }`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { captureEstate } from '../adapters/collectors/capture-estate';
import { TargetResultStore } from '../adapters/fanout/target-result-store';
import { optionalEnv, requiredEnv, scanConfigFromEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';

const WorkerEventSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  expiresAt: z.string().check(z.regex(/^\d+$/)),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)),
});

export interface WorkerResult {
  accountId: string;
  region: string;
  parts: number;
  errors: number;
}

export interface WorkerDependencies {
  store: TargetResultStore;
  captureEstate: typeof captureEstate;
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
    captureEstate,
    ...(roleName ? { roleName } : {}),
    ...(externalId ? { externalId } : {}),
    config: scanConfigFromEnv(),
  };
});

export async function scanTarget(event: unknown, context: Pick<Context, 'invokedFunctionArn'>, deps: WorkerDependencies = workerDependencies.get()): Promise<WorkerResult> {
  const request = parseEvent(WorkerEventSchema, event);
  const ownAccount = context.invokedFunctionArn.split(':')[4];
  const other = request.accountId !== ownAccount;
  const snapshot = await deps.captureEstate({
    regions: [request.region],
    ...(other ? { accounts: [request.accountId], ...(deps.roleName ? { roleName: deps.roleName } : {}), ...(deps.externalId ? { externalId: deps.externalId } : {}) } : {}),
    config: deps.config,
  });
  const target = snapshot.targets.find((t) => t.accountId === request.accountId && t.region === request.region);
  if (!target) throw new Error(`the capture returned no target for ${request.accountId} ${request.region}`);
  const parts = await deps.store.putTarget(request.scanId, target, Number(request.expiresAt));
  logger.info('target captured', { scanId: request.scanId, accountId: request.accountId, region: request.region, parts, errors: target.errors.length });
  return { accountId: request.accountId, region: request.region, parts, errors: target.errors.length };
}

export const handler = middy((event: unknown, context: Context) => scanTarget(event, context)).use(injectLambdaContext(logger, { resetKeys: true }));
