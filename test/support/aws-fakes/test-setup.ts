/**
 * Test wiring for captures against FakeAws: default-chain credentials from the environment mapped to
 * an account, and an adaptive retry strategy that does not wait (backoff 0, no send-rate limit), so
 * throttling tests stay fast while the SDK still retries for real.
 */
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type { ClientOptions } from '../../../lambdas/adapters/collectors/client-options';
import { ACCOUNT } from '../estate-builder';
import { FakeAws, fakeAccessKeyId } from './fake-aws';

export function useFakeDefaultCredentials(accountId = ACCOUNT): () => void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN, profile: process.env.AWS_PROFILE };
  process.env.AWS_ACCESS_KEY_ID = fakeAccessKeyId(accountId);
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_SESSION_TOKEN', saved.token], ['AWS_PROFILE', saved.profile]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export function fastRetries(): Pick<ClientOptions, 'retryStrategy'> {
  return {
    retryStrategy: (maxAttempts) => new AdaptiveRetryStrategy(maxAttempts, { baseDelay: 0, backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined }, rateLimiter: { getSendToken: async () => undefined, updateClientSendingRate: () => undefined } }),
  };
}

export function fakeClientOptions(fake: FakeAws, maxAttempts = 5): ClientOptions {
  return { requestHandler: fake.requestHandler, maxAttempts, ...fastRetries() };
}
