/**
 * EC2 and SSM clients for one target (account x region): adaptive retries (send rate tuned, see
 * client-options.ts) with configurable
 * attempts, the API-call counter, and the credentials given (undefined = the default chain).
 * Endpoint overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_SSM`, the
 * `endpoint_url` profile settings) are resolved by the SDK itself, so nothing here sets an endpoint.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import type { AwsCredentialIdentity } from '@smithy/types';
import { ApiCallCounter, apiCallCounterPlugin } from './api-call-counter';
import { DEFAULT_MAX_ATTEMPTS, SEND_RATE_TUNING, type ClientOptions } from './client-options';

export interface TargetClients {
  ec2: EC2Client;
  ssm: SSMClient;
  destroy(): void;
}

type RequestHandlerConfig = NonNullable<ConstructorParameters<typeof EC2Client>[0]>['requestHandler'];

export function createTargetClients(region: string, credentials: AwsCredentialIdentity | undefined, counter: ApiCallCounter, options: ClientOptions = {}): TargetClients {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const common = {
    region,
    maxAttempts,
    ...(credentials ? { credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as RequestHandlerConfig } : {}),
  };
  // A retry strategy holds per-client state (retry quota, adaptive send rate): one per client.
  const retry = () => ({ retryStrategy: options.retryStrategy ? options.retryStrategy(maxAttempts) : new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: new DefaultRateLimiter(SEND_RATE_TUNING) }) });
  const ec2 = new EC2Client({ ...common, ...retry() });
  const ssm = new SSMClient({ ...common, ...retry() });
  ec2.middlewareStack.use(apiCallCounterPlugin(counter, 'ec2'));
  ssm.middlewareStack.use(apiCallCounterPlugin(counter, 'ssm'));
  return {
    ec2,
    ssm,
    destroy() {
      ec2.destroy();
      ssm.destroy();
    },
  };
}
