/**
 * The fan-out's failure path: records the execution's scan FAILED with the reason, announces it
 * ("Scan Completed", status FAILED: the report says so) and releases its scan lease. Two callers:
 * - the state machine's Catch on every step (`{ executionName, startedAt, input, error, cause }`);
 * - an EventBridge rule on the execution's status change to FAILED, TIMED_OUT or ABORTED (the
 *   "Step Functions Execution Status Change" event of the default bus, delivered best effort:
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-states.html), which also covers
 *   what no Catch sees: the execution timing out or being stopped by hand.
 * Idempotent: a scan already finished or failed is left as it is, and the lease is released only
 * if this scan holds it. A start refused because another scan runs (error ScanAlreadyRunning) is
 * no scan: nothing is recorded and the running scan's lease is left alone.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod/mini';
import '../core/zod-messages';
import type { Clock } from '../adapters/store/clock';
import { systemClock } from '../adapters/store/clock';
import type { FindingsStore } from '../adapters/store/findings-store';
import { failedScanRecord, runningScanRecord } from '../core/scan-record';
import { SCAN_OUTCOME_LOG } from './scan-outcome-log';
import { optionalEnv } from './wiring/environment';
import { EventBridgePublisher, type EventPublisher } from './wiring/event-publisher';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';
import { fanOutScanId, type FanOutExecutionInput } from './wiring/scan-id';
import { storeFromEnv } from './wiring/store';

/** The error a refused start ends its execution with (ScanAlreadyRunningError's name). */
export const SCAN_REFUSED_ERROR = 'ScanAlreadyRunning';

const InputSchema = z.looseObject({
  trigger: z.optional(z.enum(['scheduled', 'api', 'cli'])),
  scanId: z.optional(z.string()),
  scheduledTime: z.optional(z.string()),
});

/** The state machine's Catch: the execution's context object and the caught error. */
const CatchEventSchema = z.strictObject({
  executionName: z.string().check(z.minLength(1)),
  startedAt: z.string().check(z.minLength(1)),
  input: z.optional(z.nullable(InputSchema)),
  error: z.optional(z.nullable(z.string())),
  cause: z.optional(z.nullable(z.string())),
});

/** EventBridge "Step Functions Execution Status Change" (startDate in epoch milliseconds, input as JSON text). */
const StatusChangeSchema = z.looseObject({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.looseObject({
    name: z.string(),
    status: z.string(),
    startDate: z.number(),
    input: z.optional(z.nullable(z.string())),
    error: z.optional(z.nullable(z.string())),
    cause: z.optional(z.nullable(z.string())),
  }),
});

export interface ScanFailure {
  executionName: string;
  startedAt: string;
  input: FanOutExecutionInput | undefined;
  /** FAILED / TIMED_OUT / ABORTED, or CAUGHT for the state machine's own failure path. */
  status: string;
  error: string | undefined;
  cause: string | undefined;
}

export interface ScanFailedDependencies {
  store: FindingsStore;
  publisher: EventPublisher;
  clock: Clock;
}

export interface ScanFailedOutcome {
  scanId: string;
  /** true: this call recorded the scan FAILED (false: already finished or failed, or a refused start). */
  recorded: boolean;
  /** true: this call released the scan's lease. */
  released: boolean;
}

export const scanFailedDependencies = lazy<ScanFailedDependencies>(() => ({
  store: storeFromEnv(),
  publisher: new EventBridgePublisher(new EventBridgeClient({}), optionalEnv('EVENT_BUS_NAME') ?? 'default'),
  clock: systemClock,
}));

function parsedInput(text: string | null | undefined): FanOutExecutionInput | undefined {
  if (!text) return undefined;
  try {
    const parsed = InputSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as FanOutExecutionInput) : undefined;
  } catch {
    return undefined;
  }
}

/** Either caller's event as one failure. */
export function parseScanFailure(event: unknown): ScanFailure {
  const change = StatusChangeSchema.safeParse(event);
  if (change.success) {
    const d = change.data.detail;
    return {
      executionName: d.name,
      startedAt: new Date(d.startDate).toISOString(),
      input: parsedInput(d.input),
      status: d.status,
      error: d.error ?? undefined,
      cause: d.cause ?? undefined,
    };
  }
  const caught = parseEvent(CatchEventSchema, event);
  return {
    executionName: caught.executionName,
    startedAt: caught.startedAt,
    input: (caught.input ?? undefined) as FanOutExecutionInput | undefined,
    status: 'CAUGHT',
    error: caught.error ?? undefined,
    cause: caught.cause ?? undefined,
  };
}

export async function recordScanFailure(event: unknown, deps: ScanFailedDependencies = scanFailedDependencies.get()): Promise<ScanFailedOutcome> {
  const failure = parseScanFailure(event);
  const scanId = fanOutScanId(failure.executionName, failure.startedAt, failure.input);
  if (failure.error === SCAN_REFUSED_ERROR) {
    logger.info('refused scan start: nothing to record', { scanId, execution: failure.executionName });
    return { scanId, recorded: false, released: false };
  }
  const existing = await deps.store.getScan(scanId);
  let recorded = false;
  if (!existing || existing.status === 'RUNNING') {
    const running = existing ?? runningScanRecord(scanId, failure.input?.trigger ?? (failure.input?.scheduledTime ? 'scheduled' : 'cli'), failure.startedAt);
    const code = failure.error ?? (failure.status === 'CAUGHT' ? 'Error' : `Execution${failure.status}`);
    const message = `the fan-out execution ${failure.executionName} ${failure.status === 'CAUGHT' ? 'failed' : `ended ${failure.status}`}${failure.cause ? `: ${failure.cause.slice(0, 1000)}` : ''}`;
    await deps.store.putScan(failedScanRecord(running, { operation: 'fanOut', code, message }, deps.clock.now().toISOString()));
    logger.error(SCAN_OUTCOME_LOG.failedMessage, { scanId, execution: failure.executionName, status: failure.status, error: code });
    await deps.publisher.scanCompleted({ scanId, status: 'FAILED' });
    recorded = true;
  }
  const released = await deps.store.releaseScanLease(scanId);
  logger.info('fan-out failure handled', { scanId, recorded, released, status: failure.status });
  return { scanId, recorded, released };
}

export const handler = middy((event: unknown) => recordScanFailure(event)).use(injectLambdaContext(logger, { resetKeys: true }));
