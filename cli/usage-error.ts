/** An error the user can fix (bad flag, unreadable or malformed input): exit code 2, one clear line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { OK: 0, FAILED_CHECKS: 1, BAD_INPUT: 2 } as const;
