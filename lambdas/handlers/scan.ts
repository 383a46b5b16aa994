/**
 * The scan Lambda: a scheduled EventBridge event or a direct invocation
 * `{ scanId?, trigger?, regions?, accounts?, snapshot? }` -> snapshot -> evaluation -> waivers ->
 * store (scan record RUNNING, findings, finding states, final record) -> "Scan Completed" event.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Clock } from '../adapters/store/clock';
import { systemClock } from '../adapters/store/clock';
import type { FindingsStore } from '../adapters/store/findings-store';
import type { ScanConfig } from '../core/config';
import { evaluateSnapshot } from '../core/evaluate';
import { nextFindingStates } from '../core/finding-states';
import type { FindingStatus, ScanRecord, ScanTrigger } from '../core/model';
import { failedScanRecord, finishedScanRecord, runningScanRecord } from '../core/scan-record';
import { validateSnapshot } from '../core/snapshot/parse-snapshot';
import type { Snapshot } from '../core/snapshot/schema';
import { applySuppressions } from '../core/suppressions/apply-suppressions';
import { configSuppressions } from '../core/suppressions/suppression-schema';
import { optionalEnv, scanConfigFromEnv } from './wiring/environment';
import { EventBridgePublisher, type EventPublisher } from './wiring/event-publisher';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { newScanId, ScanIdSchema, scheduledScanId } from './wiring/scan-id';
import { liveSnapshotSource, liveTargetsFromEnv, type SnapshotSource } from './wiring/snapshot-source';
import { storeFromEnv } from './wiring/store';
import { SCAN_OUTCOME_LOG } from './scan-outcome-log';

export interface ScanDependencies {
  store: FindingsStore;
  snapshots: SnapshotSource;
  publisher: EventPublisher;
  clock: Clock;
  config: ScanConfig;
  newScanId?: (now: Date) => string;
}

const ScanInvocationSchema = z.strictObject({
  scanId: ScanIdSchema.optional(),
  trigger: z.enum(['scheduled', 'api', 'cli']).optional(),
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name such as eu-west-1')).min(1).max(50).optional(),
  accounts: z.array(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id')).min(1).max(1000).optional(),
  /** A snapshot@1 document to evaluate instead of capturing one. */
  snapshot: z.unknown().optional(),
});
export type ScanInvocation = z.input<typeof ScanInvocationSchema>;

export interface ScanRequest {
  scanId?: string;
  trigger: ScanTrigger;
  regions?: string[];
  accounts?: string[];
  snapshot?: Snapshot;
}

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
  const { snapshot, ...rest } = result.data;
  return {
    ...rest,
    trigger: rest.trigger ?? 'cli',
    ...(snapshot !== undefined ? { snapshot: validateSnapshot(snapshot, 'the snapshot in the scan request') } : {}),
  };
}

export interface ScanOutcome {
  scanId: string;
  status: ScanRecord['status'];
  counts: Record<FindingStatus, number>;
  /** Failing findings that appeared / went away since the previous scan (by the finding states). */
  newFailures: number;
  resolvedFailures: number;
}

/** Runs one scan end to end. Throws only when the outcome cannot be recorded (store errors). */
export async function runScan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  const startedAt = deps.clock.now();
  const scanId = request.scanId ?? (deps.newScanId ?? newScanId)(startedAt);
  // A re-run of the same scan id keeps its start time: the same keys, the same items.
  const existing = await deps.store.getScan(scanId);
  const running = runningScanRecord(scanId, existing?.trigger ?? request.trigger, existing?.startedAt ?? startedAt.toISOString(), existing?.targets ?? []);
  await deps.store.putScan(running);
  logger.info('scan started', { scanId, trigger: running.trigger });

  let snapshot: Snapshot;
  try {
    snapshot =
      request.snapshot ??
      (await deps.snapshots.capture({
        ...(request.regions ? { regions: request.regions } : {}),
        ...(request.accounts ? { accounts: request.accounts } : {}),
        config: deps.config,
        now: () => deps.clock.now(),
      }));
  } catch (error) {
    const failed = failedScanRecord(running, { operation: 'captureSnapshot', code: (error as Error).name || 'Error', message: (error as Error).message }, deps.clock.now().toISOString());
    await deps.store.putScan(failed);
    logger.error(SCAN_OUTCOME_LOG.failedMessage, { scanId, error: error as Error });
    await deps.publisher.scanCompleted({ scanId, status: 'FAILED' });
    return { scanId, status: 'FAILED', counts: failed.counts, newFailures: 0, resolvedFailures: 0 };
  }

  const now = deps.clock.now();
  const result = evaluateSnapshot(snapshot, { config: deps.config, now: () => now });
  const waivers = [...(await deps.store.listSuppressions()), ...configSuppressions(deps.config.suppressions ?? [], now)];
  const findings = applySuppressions(result.findings, waivers, now, scanId);
  await deps.store.putFindings(running, findings);

  const targets = result.scan.targets.map(({ accountId, region }) => ({ accountId, region }));
  const { states, changes } = nextFindingStates(await deps.store.listFindingStates(), findings, { scanId, at: running.startedAt, targets });
  await deps.store.putFindingStates(states);

  const finished = finishedScanRecord(running, result, findings, deps.clock.now().toISOString());
  await deps.store.putScan(finished);
  logger.info(SCAN_OUTCOME_LOG.finishedMessage, { scanId, [SCAN_OUTCOME_LOG.statusField]: finished.status, counts: finished.counts, new: changes.new.length, resolved: changes.resolved.length });
  await deps.publisher.scanCompleted({ scanId, status: finished.status });
  return { scanId, status: finished.status, counts: finished.counts, newFailures: changes.new.length, resolvedFailures: changes.resolved.length };
}

/** Built from the environment on first use (TABLE_NAME, EVENT_BUS_NAME, TARGET_REGIONS, ...). */
export const scanDependencies = lazy<ScanDependencies>(() => ({
  store: storeFromEnv(),
  snapshots: liveSnapshotSource(liveTargetsFromEnv()),
  publisher: new EventBridgePublisher(new EventBridgeClient({}), optionalEnv('EVENT_BUS_NAME') ?? 'default'),
  clock: systemClock,
  config: scanConfigFromEnv(),
}));

export async function scanHandler(event: unknown, _context?: Context): Promise<ScanOutcome> {
  if (isScheduledEvent(event)) logger.setCorrelationId(event.id);
  return runScan(parseScanEvent(event), scanDependencies.get());
}

export const handler = middy(scanHandler).use(injectLambdaContext(logger, { resetKeys: true }));
