/** Scan ids: sortable by time, safe in URLs and keys, and derived from the event when there is one. */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-messages';

export const SCAN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const ScanIdSchema = z.string().check(z.regex(SCAN_ID_PATTERN, 'letters, digits, ".", "_", ":" or "-", at most 128'));

function compactTime(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `scan-20300101T020000Z-1a2b3c4d`: a fresh id. */
export function newScanId(now: Date, random: () => string = () => randomBytes(4).toString('hex')): string {
  return `scan-${compactTime(now)}-${random()}`;
}

/**
 * The id of the scan a scheduled event starts: the same event (EventBridge delivers at least once)
 * always gives the same id, so a duplicate delivery re-runs the same scan instead of adding one.
 */
export function scheduledScanId(event: { id: string; time: string }): string {
  const at = new Date(event.time);
  const suffix = event.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'event';
  return `scan-${compactTime(Number.isNaN(at.getTime()) ? new Date(0) : at)}-${suffix}`;
}

/**
 * The id of the scheduled scan the Scheduler started for `scheduledTime`, its
 * `<aws.scheduler.scheduled-time>` context attribute ("the time you specified for the schedule to
 * invoke its target", https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html):
 * the same for every attempt of one scheduled run (unlike `<aws.scheduler.execution-id>`, new per
 * attempt), so a retried invocation is the same scan, not a second one.
 */
export function scheduledTimeScanId(scheduledTime: string): string {
  const at = new Date(scheduledTime);
  if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime is not a date: ${JSON.stringify(scheduledTime)}`);
  return `scan-${compactTime(at)}-scheduled`;
}

/** What a fan-out execution's input may say about its scan (POST /scans, the Scheduler, by hand). */
export interface FanOutExecutionInput {
  trigger?: 'scheduled' | 'api' | 'cli';
  /** Set by POST /scans, which has already answered with it. */
  scanId?: string;
  /** Set by the Scheduler (`<aws.scheduler.scheduled-time>`). */
  scheduledTime?: string;
}

/**
 * The scan id of a fan-out execution: the one POST /scans chose, else the scheduled run's, else
 * one derived from the execution (its name is unique per state machine). The first step and the
 * failure path both derive it here, so they always name the same scan.
 */
export function fanOutScanId(executionName: string, startedAt: string, input: FanOutExecutionInput | undefined): string {
  if (input?.scanId) return input.scanId;
  if (input?.scheduledTime) return scheduledTimeScanId(input.scheduledTime);
  return scheduledScanId({ id: executionName, time: startedAt });
}
