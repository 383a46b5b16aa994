/**
 * When a capture must stop starting work: a Lambda has `context.getRemainingTimeInMillis()`, and a
 * capture that runs past it is killed with nothing saved. The collectors ask `expired()` before each
 * unit of per-instance work (an SSM inventory read); once it says yes they start no more, let the
 * calls in flight finish, and return what is left as a cursor (inventory-cursor.ts) that the next
 * invocation continues from. `reserveMs` is the time kept for what follows the capture (storing the
 * partial target and the cursor) and for the calls still in flight.
 */

export interface CaptureDeadline {
  expired(): boolean;
}

/** No deadline (the CLI, tests): never expires. */
export const NO_DEADLINE: CaptureDeadline = { expired: () => false };

export function deadlineFromRemainingTime(remainingMs: () => number, reserveMs: number): CaptureDeadline {
  if (!(reserveMs >= 0)) throw new RangeError(`reserveMs must be >= 0, got ${reserveMs}`);
  return { expired: () => remainingMs() <= reserveMs };
}

/** Thrown inside per-instance work when the deadline passed before it could finish: the instance is carried over. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
  constructor() {
    super('the capture deadline was reached before this read finished');
  }
}
