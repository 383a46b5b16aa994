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
