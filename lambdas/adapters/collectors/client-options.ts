/** How the collectors build SDK clients: retries, and the hooks tests and other endpoints use. */
import type { RetryStrategyV2 } from '@smithy/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CaptureProgress } from './capture-progress';

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The adaptive retry mode's client-side send rate (smithy's DefaultRateLimiter, a CUBIC curve). Its
 * defaults (beta 0.7, scaleConstant 0.4) drop the rate to 70% at each throttle and take
 * cbrt(rate x 0.3 / 0.4) seconds to climb back (2.5 s at 20 calls/s), during which the service's
 * bucket refills unused: against a 20 calls/s SSM limit a capture ran at ~1.18x its floor. Dropping
 * to 80% and climbing back within about a second keeps it at ~1.05-1.10x (bench figure 1). The
 * collectors' own concurrency limit (adaptive-concurrency.ts) keeps the calls in flight down.
 */
export const SEND_RATE_TUNING = { beta: 0.8, scaleConstant: 4 } as const;

export interface ClientOptions {
  /** Attempts per call including the first (SDK `maxAttempts`); default 5. Retry mode is adaptive. */
  maxAttempts?: number;
  /**
   * Replaces the adaptive retry strategy; one is made per client (tests use a zero-delay one).
   * Production leaves this out.
   */
  retryStrategy?: (maxAttempts: number) => RetryStrategyV2;
  /** The TCP (and TLS) connection must be up within this (default 5 s; bounded-calls.ts). */
  connectTimeoutMs?: number;
  /** A request and its response take at most this (default 30 s; bounded-calls.ts). */
  requestTimeoutMs?: number;
  /** Counts what a capture does, for its progress line (capture-progress.ts). */
  progress?: CaptureProgress;
  /** Replaces the HTTP transport (tests answer in the AWS wire format without a network). */
  requestHandler?: NodeHttpHandler | { handle: NodeHttpHandler['handle'] };
}
