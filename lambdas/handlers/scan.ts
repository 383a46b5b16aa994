/**
 * The scan Lambda: a scheduled EventBridge event or a direct invocation
 * `{ scanId?, trigger?, scheduledTime?, regions?, accounts?, snapshot? }` -> snapshot -> evaluation -> waivers ->
 * store (scan record RUNNING, findings, finding states, final record) -> "Scan Completed" event.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { deadlineFromRemainingTime } from '../adapters/collectors/capture-deadline';
import { validateSnapshot } from '../core/snapshot/parse-snapshot';
import { lazy } from './wiring/lazy';
import { liveSnapshotSource, liveTargetsFromEnv } from './wiring/live-snapshot-source';
import { logger } from './wiring/logger';
import { runScan, scanDependenciesFromEnv, type ScanDependencies, type ScanOutcome, type ScanRequest } from './wiring/run-scan';
import { ScanIdSchema, scheduledScanId, scheduledTimeScanId } from './wiring/scan-id';

export { runScan, scanDependenciesFromEnv, type ScanDependencies, type ScanOutcome, type ScanRequest };

const ScanInvocationSchema = z.strictObject({
  scanId: z.optional(ScanIdSchema),
  trigger: z.optional(z.enum(['scheduled', 'api', 'cli'])),
  /** Set by the Scheduler (`<aws.scheduler.scheduled-time>`): every attempt of one scheduled run is the same scan. */
  scheduledTime: z.optional(z.iso.datetime({ offset: true })),
  regions: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name such as eu-west-1'))).check(z.minLength(1), z.maxLength(50))),
  accounts: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id'))).check(z.minLength(1), z.maxLength(1000))),
  /** A snapshot@1 document to evaluate instead of capturing one. */
  snapshot: z.optional(z.unknown()),
});
export type ScanInvocation = z.input<typeof ScanInvocationSchema>;

/** The scan request could not be understood: nothing was scanned or stored. */
export class ScanRequestError extends Error {
  override name = 'ScanRequestError';
}

function isScheduledEvent(event: unknown): event is ScheduledEvent {
  const e = event as Partial<ScheduledEvent> | null;
  return typeof e === 'object' && e !== null && e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

/** A scheduled event or a direct invocation, as a scan request. */
export function parseScanEvent(event: unknown): ScanRequest {
  if (isScheduledEvent(event)) return { scanId: scheduledScanId(event), trigger: 'scheduled' };
  const result = ScanInvocationSchema.safeParse(event ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.') || '(event)';
    throw new ScanRequestError(`invalid scan request at ${field}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`);
  }
  const { snapshot, scheduledTime, ...rest } = result.data;
  return {
    ...rest,
    ...(rest.scanId === undefined && scheduledTime !== undefined ? { scanId: scheduledTimeScanId(scheduledTime) } : {}),
    trigger: rest.trigger ?? (scheduledTime !== undefined ? 'scheduled' : 'cli'),
    ...(snapshot !== undefined ? { snapshot: validateSnapshot(snapshot, 'the snapshot in the scan request') } : {}),
  };
}

/** Built from the environment on first use; snapshots from the live collectors (TARGET_REGIONS, ...). */
export const scanDependencies = lazy<ScanDependencies>(() => scanDependenciesFromEnv(liveSnapshotSource(liveTargetsFromEnv())));

/**
 * Time the scan Lambda keeps, at its capture's deadline, for evaluating and storing what was captured
 * (a target whose inventory reads were cut short is kept, PARTIAL, with the instances not read named).
 */
export const SCAN_DEADLINE_RESERVE_MS = 180_000;

export async function scanHandler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ScanOutcome> {
  if (isScheduledEvent(event)) logger.setCorrelationId(event.id);
  const deadline = context?.getRemainingTimeInMillis ? { deadline: deadlineFromRemainingTime(() => context.getRemainingTimeInMillis(), SCAN_DEADLINE_RESERVE_MS) } : {};
  return runScan({ ...parseScanEvent(event), ...deadline }, scanDependencies.get());
}

export const handler = middy(scanHandler).use(injectLambdaContext(logger, { resetKeys: true }));
