/**
 * The report Lambda: a "Scan Completed" EventBridge event or `{ scanId }` -> that scan, the previous
 * one, the trend and the waivers -> report model -> Slack and e-mail. Every destination is tried;
 * the invocation fails afterwards if any of them failed. Each destination that accepted the report
 * is recorded (lambdas/adapters/store/report-deliveries.ts), so the asynchronous retries of a failed
 * invocation send only to the destinations that did not get it.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import type { Clock } from '../adapters/store/clock';
import { systemClock } from '../adapters/store/clock';
import type { FindingsStore } from '../adapters/store/findings-store';
import type { ReportDeliveries } from '../adapters/store/report-deliveries';
import type { Suppression } from '../core/model';
import type { ReportSummaryModel } from '../core/report/report-model';
import { configSuppressions } from '../core/suppressions/suppression-schema';
import { optionalEnv, positiveNumberEnv, scanConfigFromEnv } from './wiring/environment';
import { EVENT_SOURCE, SCAN_COMPLETED, type ScanCompletedDetail } from './wiring/event-publisher';
import { lazy } from './wiring/lazy';
import { loadReportSummaryModel } from './wiring/load-report-model';
import { logger } from './wiring/logger';
import { notifiersFromEnv, type ReportNotifier } from './wiring/notifiers';
import { ScanIdSchema } from './wiring/scan-id';
import { documentClientFromEnv, reportDeliveriesFromEnv, storeFromEnv } from './wiring/store';

export interface ReportDependencies {
  store: FindingsStore;
  notifiers: ReportNotifier[];
  /** Channels already delivered per scan; without it every invocation sends to every channel. */
  deliveries?: ReportDeliveries;
  clock: Clock;
  configSuppressions: Suppression[];
  trendLength?: number;
  reportUrl?: string;
}

export type ReportEvent = EventBridgeEvent<typeof SCAN_COMPLETED, ScanCompletedDetail> | { scanId: string };

const DirectSchema = z.strictObject({ scanId: ScanIdSchema });

export class ReportRequestError extends Error {
  override name = 'ReportRequestError';
}

/** The scan id a report event is about. */
export function reportScanId(event: unknown): string {
  const e = event as Partial<EventBridgeEvent<string, unknown>> | null;
  if (typeof e === 'object' && e !== null && 'detail-type' in e) {
    if (e.source !== EVENT_SOURCE || e['detail-type'] !== SCAN_COMPLETED) {
      throw new ReportRequestError(`not a ${SCAN_COMPLETED} event from ${EVENT_SOURCE}: ${JSON.stringify(e.source)} / ${JSON.stringify(e['detail-type'])}`);
    }
    const detail = ScanIdSchema.safeParse((e.detail as { scanId?: unknown } | undefined)?.scanId);
    if (!detail.success) throw new ReportRequestError(`the event's detail.scanId is missing or invalid`);
    return detail.data;
  }
  const direct = DirectSchema.safeParse(event);
  if (!direct.success) throw new ReportRequestError('expected { "scanId": "<scan id>" } or a Scan Completed event');
  return direct.data.scanId;
}

export interface ReportOutcome {
  scanId: string;
  scanStatus: string;
  delivered: string[];
  /** Channels an earlier invocation for this scan delivered to: not sent again. */
  alreadyDelivered: string[];
  failed: Array<{ channel: string; error: string }>;
}

export class ReportDeliveryError extends Error {
  override name = 'ReportDeliveryError';
}

/**
 * Builds the report of one scan and sends it everywhere configured. Slack, the e-mail and the HTML
 * report need only the summary model, which does not hold the scan's passing findings.
 */
export async function runReport(scanId: string, deps: ReportDependencies): Promise<{ model: ReportSummaryModel; outcome: ReportOutcome }> {
  const model = await loadReportSummaryModel(scanId, {
    store: deps.store,
    now: deps.clock.now(),
    configSuppressions: deps.configSuppressions,
    ...(deps.trendLength ? { trendLength: deps.trendLength } : {}),
    ...(deps.reportUrl ? { reportUrl: deps.reportUrl } : {}),
  });
  const outcome: ReportOutcome = { scanId, scanStatus: model.scan.status, delivered: [], alreadyDelivered: [], failed: [] };
  const done = deps.deliveries ? await deps.deliveries.delivered(scanId) : new Set<string>();
  for (const notifier of deps.notifiers) {
    if (done.has(notifier.channel)) {
      outcome.alreadyDelivered.push(notifier.channel);
      continue;
    }
    try {
      await notifier.notify(model);
      outcome.delivered.push(notifier.channel);
    } catch (error) {
      // Notifier errors never carry the webhook URL (SlackDeliveryError is redacted).
      outcome.failed.push({ channel: notifier.channel, error: (error as Error).message });
      logger.error('report delivery failed', { scanId, channel: notifier.channel, error: (error as Error).message });
      continue;
    }
    try {
      await deps.deliveries?.record(scanId, notifier.channel);
    } catch (error) {
      // Delivered but not recorded: a retry would send this channel again. Said, not hidden.
      logger.error('report delivery not recorded', { scanId, channel: notifier.channel, error: (error as Error).message });
    }
  }
  logger.info('report sent', { ...outcome });
  return { model, outcome };
}

export const reportDependencies = lazy<ReportDependencies>(() => {
  const reportUrl = optionalEnv('REPORT_URL');
  const dynamo = documentClientFromEnv();
  return {
    // One DynamoDB client for the findings and the delivery records (the same table): one client built at init, not two.
    store: storeFromEnv(process.env, dynamo),
    deliveries: reportDeliveriesFromEnv(process.env, dynamo),
    notifiers: notifiersFromEnv(),
    clock: systemClock,
    configSuppressions: configSuppressions(scanConfigFromEnv().suppressions ?? [], systemClock.now(), scanConfigFromEnv().waiverPolicy),
    trendLength: positiveNumberEnv('TREND_LENGTH', 30),
    ...(reportUrl ? { reportUrl } : {}),
  };
});

export async function reportHandler(event: unknown, _context?: Context): Promise<ReportOutcome> {
  const scanId = reportScanId(event);
  logger.appendKeys({ scanId });
  const { outcome } = await runReport(scanId, reportDependencies.get());
  if (outcome.failed.length > 0) {
    throw new ReportDeliveryError(`report of ${scanId} not delivered to ${outcome.failed.map((f) => `${f.channel} (${f.error})`).join('; ')}`);
  }
  return outcome;
}

export const handler = middy(reportHandler).use(injectLambdaContext(logger, { resetKeys: true }));
