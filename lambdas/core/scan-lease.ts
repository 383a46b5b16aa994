/**
 * One scan at a time: every start path (the scan Lambda, the fan-out's first step, POST /scans)
 * takes the scan lease before it does anything, and gives it up when the scan ends or fails. The
 * lease expires on its own, so a scan whose process died without releasing it blocks the next one
 * only until then. The same scan id may take the lease again (a retried invocation of the scan, or
 * the fan-out's merge step renewing it); any other scan is refused while an unexpired lease is held.
 * Pure: the stores implement it (lambdas/adapters/store).
 */

export interface ScanLease {
  /** The scan holding the lease. */
  scanId: string;
  /** ISO times: when this holder last took the lease, and when it lapses on its own. */
  acquiredAt: string;
  expiresAt: string;
}

export type ScanLeaseResult = { acquired: true; lease: ScanLease } | { acquired: false; holder: ScanLease };

/** A start refused because another scan holds the lease. Its `name` is the Step Functions error name too. */
export class ScanAlreadyRunningError extends Error {
  override name = 'ScanAlreadyRunning';
  constructor(
    readonly scanId: string,
    readonly holder: ScanLease,
  ) {
    super(`scan ${scanId} was not started: scan ${holder.scanId} is running (lease taken ${holder.acquiredAt}, lapses ${holder.expiresAt}); one scan runs at a time`);
  }
}

/** The lease this scan would hold if taken now for `durationMs`. */
export function newLease(scanId: string, now: Date, durationMs: number): ScanLease {
  if (!Number.isFinite(durationMs) || durationMs <= 0) throw new Error(`a scan lease needs a positive duration, got ${durationMs}`);
  return { scanId, acquiredAt: now.toISOString(), expiresAt: new Date(now.getTime() + durationMs).toISOString() };
}

/** True when `holder` no longer keeps `scanId` out at `now` (lapsed, or the same scan). */
export function leaseAvailable(holder: ScanLease | undefined, scanId: string, now: Date): boolean {
  return holder === undefined || holder.scanId === scanId || Date.parse(holder.expiresAt) <= now.getTime();
}
