/** How the collectors build SDK clients: retries, and the hooks tests and other endpoints use. */
import type { RetryStrategyV2 } from '@smithy/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';

export const DEFAULT_MAX_ATTEMPTS = 5;

export interface ClientOptions {
  /** Attempts per call including the first (SDK `maxAttempts`); default 5. Retry mode is adaptive. */
  maxAttempts?: number;
  /**
   * Replaces the adaptive retry strategy; one is made per client (tests use a zero-delay one).
   * Production leaves this out.
   */
  retryStrategy?: (maxAttempts: number) => RetryStrategyV2;
  /** Replaces the HTTP transport (tests answer in the AWS wire format without a network). */
  requestHandler?: NodeHttpHandler | { handle: NodeHttpHandler['handle'] };
}
