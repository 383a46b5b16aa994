/**
 * Runs per-instance tasks under an AdaptiveConcurrency limit until the items run out or the deadline
 * passes. Items not started before the deadline, and tasks that gave up with DeadlineReached, are
 * reported as unfinished (in input order) so the caller can carry them over; results keep the input
 * order. Any other error from a task rejects the run (tasks catch their own AWS errors).
 */
import type { AdaptiveConcurrency } from './adaptive-concurrency';
import { isThrottled } from './adaptive-concurrency';
import { DeadlineReached, type CaptureDeadline } from './capture-deadline';

export interface PoolOutcome<R> {
  /** Result per item; undefined where unfinished. */
  results: Array<R | undefined>;
  /** Indexes of the items not finished, ascending. */
  unfinished: number[];
}

export async function runAdaptively<T, R>(items: readonly T[], concurrency: AdaptiveConcurrency, deadline: CaptureDeadline, task: (item: T, index: number) => Promise<R>): Promise<PoolOutcome<R>> {
  const results = new Array<R | undefined>(items.length);
  const finished = new Array<boolean>(items.length).fill(false);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      await concurrency.acquire();
      try {
        if (next >= items.length || deadline.expired()) return;
        const index = next++;
        try {
          results[index] = await task(items[index]!, index);
          finished[index] = true;
        } catch (error) {
          if (!(error instanceof DeadlineReached)) throw error;
        }
      } finally {
        concurrency.release();
      }
    }
  }
  // As many workers as the limit may ever allow; acquire() holds the ones above the current limit.
  await Promise.all(Array.from({ length: Math.min(concurrency.max, items.length) }, () => worker()));
  const unfinished: number[] = [];
  finished.forEach((done, i) => done || unfinished.push(i));
  return { results, unfinished };
}

export interface ThrottleRetryOptions {
  /** Rounds of retries after the SDK gave up on a throttled call (each round is a full SDK call). Default 20. */
  rounds?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `call` again when it failed because the service throttled it even after the SDK's own
 * retries: waits (exponential, full jitter) and retries, up to `rounds` times, so a throttled call is
 * not lost. Past the deadline it throws DeadlineReached instead, so the instance is carried over.
 */
export async function retryThrottled<R>(call: () => Promise<R>, deadline: CaptureDeadline, options: ThrottleRetryOptions = {}): Promise<R> {
  const rounds = options.rounds ?? 20;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 5000;
  const sleep = options.sleep ?? sleepFor;
  for (let round = 0; ; round++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottled(error) || round >= rounds) throw error;
      if (deadline.expired()) throw new DeadlineReached();
      await sleep(Math.random() * Math.min(cap, base * 2 ** round));
      if (deadline.expired()) throw new DeadlineReached();
    }
  }
}
