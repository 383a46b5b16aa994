/**
 * Fan-out last step: reads every stored target of the scan, turns a failed worker into a target
 * with a collection error (the scan becomes PARTIAL and findings that needed it UNKNOWN), and runs
 * the same scan path as the scan Lambda (runScan: evaluate, store, "Scan Completed" -> report).
 * Input: `{ scanId, startedAt, trigger }`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { TargetResultStore, type StoredTargetResult } from '../adapters/fanout/target-result-store';
import { validateSnapshot } from '../core/snapshot/parse-snapshot';
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
});

/** The merge hands runScan the assembled snapshot, so it never captures (nor bundles the collectors). */
const NO_CAPTURE: SnapshotSource = {
  capture: () => Promise.reject(new Error('the fan-out merge evaluates the stored targets; it never captures')),
};

export const mergeDependencies = lazy<ScanDependencies>(() => scanDependenciesFromEnv(NO_CAPTURE));

export const mergeStore = lazy(() => new TargetResultStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv('TABLE_NAME')));

/** One snapshot from the stored targets; a failed worker becomes an empty target with its error. */
export function assembleSnapshot(capturedAt: string, results: readonly StoredTargetResult[]): Snapshot {
  const targets: SnapshotInput['targets'] = results.map((r) =>
    r.kind === 'captured'
      ? r.target
      : {
          accountId: r.accountId,
          region: r.region,
          ec2: { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] },
          ssm: { InstanceInformationList: [], Entities: [] },
          errors: [{ service: 'states', operation: 'ScanTarget', code: r.error, message: `the fan-out worker failed after its retries: ${r.cause.slice(0, 1000)}` }],
        },
  );
  return validateSnapshot({ format: SNAPSHOT_FORMAT, capturedAt, targets }, 'the fan-out merge');
}

export async function mergeScan(event: unknown, store: TargetResultStore = mergeStore.get(), deps: ScanDependencies = mergeDependencies.get()): Promise<ScanOutcome> {
  const request = parseEvent(MergeEventSchema, event);
  const results = await store.readTargets(request.scanId);
  const failed = results.filter((r) => r.kind === 'failed').length;
  logger.info('fan-out merge', { scanId: request.scanId, targets: results.length, failed });
  const snapshot = assembleSnapshot(request.startedAt, results);
  const outcome = await runScan({ scanId: request.scanId, trigger: request.trigger, snapshot }, deps);
  await store.deleteTargets(request.scanId);
  return outcome;
}

export const handler = middy((event: unknown) => mergeScan(event)).use(injectLambdaContext(logger, { resetKeys: true }));
