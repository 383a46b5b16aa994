/**
 * How long a scan's lease lasts (SCAN_LEASE_SECONDS, set by the stack to the longest a scan of the
 * deployment may run: the fan-out's execution timeout, or the scan Lambda's 15 minutes plus the
 * hour its asynchronous invocation may wait and be retried). A scan that dies without releasing
 * its lease blocks the next start for at most this long.
 */
import { positiveNumberEnv } from './environment';

/** The scan Lambda path: 15 minutes of run time after up to an hour of asynchronous retries. */
export const DEFAULT_SCAN_LEASE_SECONDS = 75 * 60;

export function scanLeaseMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveNumberEnv('SCAN_LEASE_SECONDS', DEFAULT_SCAN_LEASE_SECONDS, env) * 1000;
}
