/**
 * EC2 and SSM clients for one target (account x region): adaptive retries (send rate tuned, see
 * client-options.ts) with configurable
 * attempts, the API-call counter, and the credentials given (undefined = the default chain).
 * Endpoint overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_SSM`, the
 * `endpoint_url` profile settings) are resolved by the SDK itself, so nothing here sets an endpoint.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity } from '@smithy/types';
import { ApiCallCounter, apiCallCounterPlugin } from './api-call-counter';
import type { ClientOptions } from './client-options';
import { boundedClientConfig, endpointOnErrorPlugin } from './bounded-calls';
import { captureProgressPlugin } from './capture-progress';

export interface TargetClients {
  ec2: EC2Client;
  ssm: SSMClient;
  destroy(): void;
}

type RequestHandlerConfig = NonNullable<ConstructorParameters<typeof EC2Client>[0]>['requestHandler'];

export function createTargetClients(region: string, credentials: AwsCredentialIdentity | undefined, counter: ApiCallCounter, options: ClientOptions = {}): TargetClients {
  // A retry strategy holds per-client state (retry quota, adaptive send rate): one per client.
  const config = () => {
    const { maxAttempts, retryStrategy, requestHandler } = boundedClientConfig(options, true);
    return { region, maxAttempts, retryStrategy, requestHandler: requestHandler as RequestHandlerConfig, ...(credentials ? { credentials } : {}) };
  };
  const ec2 = new EC2Client(config());
  const ssm = new SSMClient(config());
  ec2.middlewareStack.use(apiCallCounterPlugin(counter, 'ec2'));
  ssm.middlewareStack.use(apiCallCounterPlugin(counter, 'ssm'));
  for (const client of [ec2, ssm] as const) {
    client.middlewareStack.use(endpointOnErrorPlugin());
    if (options.progress) client.middlewareStack.use(captureProgressPlugin(options.progress));
  }
  return {
    ec2,
    ssm,
    destroy() {
      ec2.destroy();
      ssm.destroy();
    },
  };
}
