/**
 * Every AWS call of a capture ends in bounded time. Without timeouts the SDK's Node.js handler waits
 * for ever on an endpoint that accepts the connection and never answers (`connectionTimeout` and
 * `requestTimeout` default to 0, "which disables the timeout": @smithy/types
 * NodeHttpHandlerOptions). Here:
 * - the connection must be up within `connectTimeoutMs` (default 5 s) and the whole request and
 *   response take at most `requestTimeoutMs` (default 30 s; `throwOnRequestTimeout`, else the
 *   handler only logs a warning);
 * - a call that timed out is retried once, not up to `maxAttempts` times (the SDK counts a timeout as
 *   a transient error and would retry it like throttling): one call then waits at most two timeouts
 *   plus the backoff, about a minute with the defaults;
 * - a call that failed without an answer from AWS (timeout, refused, reset, DNS) names the endpoint
 *   it was sent to, so the capture error says which override or network path is at fault.
 */
import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import type { BuildMiddleware, MetadataBearer, Pluggable, RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import { DEFAULT_MAX_ATTEMPTS, SEND_RATE_TUNING, type ClientOptions } from './client-options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Retries of a call after a timeout: one. */
export const TIMEOUT_RETRIES = 1;

/** The SDK client settings shared by every collector client: attempts, retry strategy, transport with timeouts. */
export function boundedClientConfig(options: ClientOptions, tunedSendRate: boolean) {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const strategy = options.retryStrategy ? options.retryStrategy(maxAttempts) : new AdaptiveRetryStrategy(maxAttempts, tunedSendRate ? { rateLimiter: new DefaultRateLimiter(SEND_RATE_TUNING) } : {});
  return {
    maxAttempts,
    retryStrategy: capTimeoutRetries(strategy),
    // A transport given by a test answers in process: it has no sockets to time out.
    requestHandler: options.requestHandler ?? {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | undefined;
  return e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT';
}

/** `strategy`, except that a call which timed out after a retry is not retried again. */
export function capTimeoutRetries(strategy: RetryStrategyV2): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo) {
      if (isTimeout(errorInfo.error) && (token as StandardRetryToken).getRetryCount() >= TIMEOUT_RETRIES) throw errorInfo.error;
      return strategy.refreshRetryTokenForRetry(token, errorInfo);
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
}

/** The endpoint a failed request was sent to, when AWS never answered it. */
export function failedEndpoint(error: unknown): string | undefined {
  const endpoint = (error as { redisComplianceEndpoint?: unknown } | undefined)?.redisComplianceEndpoint;
  return typeof endpoint === 'string' ? endpoint : undefined;
}

/** A plugin that marks an error with no HTTP answer with the endpoint the request went to. */
export function endpointOnErrorPlugin(): Pluggable<any, MetadataBearer> {
  const middleware: BuildMiddleware<any, MetadataBearer> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const request = args.request as { protocol?: string; hostname?: string; port?: number; path?: string } | undefined;
      const answered = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined || (error as { $response?: unknown }).$response !== undefined;
      if (!answered && request?.hostname && error && typeof error === 'object') {
        Object.assign(error, { redisComplianceEndpoint: `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}` });
      }
      throw error;
    }
  };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'build', name: 'redisComplianceEndpointOnError', override: true });
    },
  };
}
