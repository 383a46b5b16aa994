/**
 * Calls in flight that follow the service's throttling, AIMD style (as TCP's congestion window):
 * - every attempt the service throttles halves the limit (multiplicative decrease), once per
 *   "round": attempts sent before the last decrease do not decrease it again, so a burst of
 *   throttled replies to calls already in flight counts once;
 * - every attempt that succeeds raises it by 1/limit (additive increase: about +1 per limit's
 *   worth of successes), up to `max`.
 *
 * The SDK's adaptive retry mode paces each client's send rate after throttling, but it does not stop
 * new calls from being started: with many calls in flight every one of them meets the empty bucket,
 * is retried, and the retries meet it again. The limit here keeps the number of calls waiting on the
 * service near what it can serve, and a call the SDK gave up on after its attempts is retried by the
 * caller (retryThrottled) rather than lost.
 *
 * The signals come from the clients' middleware (throttleSignalPlugin): one per attempt.
 */
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable, RelativeMiddlewareOptions } from '@smithy/types';
import { isThrottlingError } from '@smithy/core/retry';

export interface AdaptiveConcurrencyOptions {
  /** The limit to start at. */
  initial: number;
  /** Never below this (default 1). */
  min?: number;
  /** Never above this. */
  max: number;
  /** Factor applied on throttling (default 0.5). */
  decrease?: number;
}

export interface ConcurrencyStats {
  limit: number;
  lowest: number;
  highest: number;
  throttled: number;
  decreases: number;
}

export class AdaptiveConcurrency {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  /** Incremented at every decrease: an attempt started in an older round does not decrease again. */
  private round = 0;
  readonly min: number;
  readonly max: number;
  private readonly decrease: number;
  private readonly stats: Omit<ConcurrencyStats, 'limit'>;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.min = options.min ?? 1;
    this.max = options.max;
    this.decrease = options.decrease ?? 0.5;
    if (!Number.isInteger(this.min) || this.min < 1 || !Number.isInteger(this.max) || this.max < this.min) throw new RangeError(`concurrency bounds must be integers with 1 <= min <= max, got ${this.min}..${this.max}`);
    if (!(this.decrease > 0 && this.decrease < 1)) throw new RangeError(`decrease must be between 0 and 1, got ${this.decrease}`);
    if (!Number.isInteger(options.initial) || options.initial < 1) throw new RangeError(`concurrency must be a positive integer, got ${options.initial}`);
    this.limitValue = Math.min(this.max, Math.max(this.min, options.initial));
    this.stats = { lowest: this.limitValue, highest: this.limitValue, throttled: 0, decreases: 0 };
  }

  /** The whole number of calls allowed in flight now. */
  get limit(): number {
    return Math.floor(this.limitValue);
  }

  /** The round an attempt starts in (pass it to onThrottle). */
  get currentRound(): number {
    return this.round;
  }

  onThrottle(startedInRound: number): void {
    this.stats.throttled++;
    if (startedInRound !== this.round) return;
    this.round++;
    this.stats.decreases++;
    this.limitValue = Math.max(this.min, this.limitValue * this.decrease);
    this.stats.lowest = Math.min(this.stats.lowest, this.limit);
  }

  onSuccess(): void {
    if (this.limitValue >= this.max) return;
    this.limitValue = Math.min(this.max, this.limitValue + 1 / this.limitValue);
    this.stats.highest = Math.max(this.stats.highest, this.limit);
    this.wake();
  }

  /** Waits for a free slot; call release() when the call is done. */
  async acquire(): Promise<void> {
    while (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    this.wake();
  }

  snapshot(): ConcurrencyStats {
    return { limit: this.limit, ...this.stats };
  }

  private wake(): void {
    let free = this.limit - this.inFlight;
    while (free-- > 0 && this.waiters.length > 0) this.waiters.shift()!();
  }
}

export const THROTTLE_SIGNAL_MIDDLEWARE = 'redisComplianceThrottleSignal';

/** Per attempt, like the API-call counter: right after the retry middleware. */
const placement: RelativeMiddlewareOptions = {
  name: THROTTLE_SIGNAL_MIDDLEWARE,
  relation: 'after',
  toMiddleware: 'retryMiddleware',
  override: true,
};

/** A plugin that tells `concurrency` how every attempt of every command went. */
export function throttleSignalPlugin(concurrency: AdaptiveConcurrency): Pluggable<any, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<any, MetadataBearer> = (next) => async (args) => {
    const round = concurrency.currentRound;
    try {
      const output = await next(args);
      concurrency.onSuccess();
      return output;
    } catch (error) {
      if (isThrottled(error)) concurrency.onThrottle(round);
      throw error;
    }
  };
  return {
    applyToStack(stack) {
      stack.addRelativeTo(middleware, placement);
    },
  };
}

/** Whether an SDK error is the service throttling the caller (EC2 RequestLimitExceeded, SSM ThrottlingException, ...). */
export function isThrottled(error: unknown): boolean {
  return error instanceof Error && isThrottlingError(error as Parameters<typeof isThrottlingError>[0]);
}
