/**
 * "A scan is already running": POST /scans answers 409 with that scan's id instead of starting a
 * second 15-minute scan (or a second fan-out) next to it. A RUNNING record older than the longest
 * a scan can take is an abandoned one (its Lambda or execution died without writing the end) and
 * does not block: the fan-out's execution timeout is 3 hours (lib/constructs/scan-fan-out.ts), a
 * single-Lambda scan runs at most 15 minutes plus Lambda's asynchronous retries within an hour.
 */
import type { FindingsStore } from '../../adapters/store/findings-store';
import type { ScanRecord } from '../../core/model';

export const RUNNING_SCAN_MAX_AGE_MS = 3 * 3600_000 + 15 * 60_000;
/** Newest scans looked at: a RUNNING one is always among the most recent. */
const RECENT_SCANS = 5;

export async function runningScan(store: FindingsStore, now: Date, maxAgeMs = RUNNING_SCAN_MAX_AGE_MS): Promise<ScanRecord | undefined> {
  const { items } = await store.listScans({ limit: RECENT_SCANS });
  return items.find((scan) => scan.status === 'RUNNING' && now.getTime() - Date.parse(scan.startedAt) < maxAgeMs);
}
