/** An error the user can fix (bad flag, unreadable or malformed input): exit code 2, one clear line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A failure of the run itself, not of the input (no credentials, network, a file that cannot be
 * written, a scan that failed on the server): exit code 4, one line saying what to do.
 */
export class RuntimeFailure extends Error {
  override name = 'RuntimeFailure';
}

/**
 * The exit codes of `scan`, `run-local` (with --fail-on) and `remote scan --wait`:
 * 0 everything in scope was checked and nothing failed at or above --fail-on; 1 a FAIL at or above
 * --fail-on (UNKNOWN too with --fail-on-unknown); 2 bad input or usage; 3 the evidence is
 * incomplete (a PARTIAL scan, a target that yielded nothing, no Redis server matched the role tag);
 * 4 the run failed (credentials, network, I/O).
 */
export const EXIT = { OK: 0, FAILED_CHECKS: 1, BAD_INPUT: 2, INCOMPLETE_EVIDENCE: 3, RUNTIME_FAILURE: 4 } as const;
