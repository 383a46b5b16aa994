/**
 * Credentials for one target: the default provider chain (undefined: the SDK resolves it), or an
 * STS AssumeRole into `arn:aws:iam::<account>:role/<roleName>` with an optional ExternalId.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { ApiCallCounter, apiCallCounterPlugin } from './api-call-counter';
import type { ClientOptions } from './client-options';
import { boundedClientConfig, endpointOnErrorPlugin } from './bounded-calls';
import { captureProgressPlugin } from './capture-progress';

export interface AssumeRoleSettings {
  roleName: string;
  externalId?: string;
  /** Session name shown in CloudTrail; default `redis-compliance-scan`. */
  sessionName?: string;
}

export function roleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export function createStsClient(region: string, counter: ApiCallCounter, options: ClientOptions = {}): STSClient {
  const { maxAttempts, retryStrategy, requestHandler } = boundedClientConfig(options, false);
  const client = new STSClient({ region, maxAttempts, retryStrategy, requestHandler: requestHandler as NodeHttpHandlerLike });
  client.middlewareStack.use(apiCallCounterPlugin(counter, 'sts'));
  client.middlewareStack.use(endpointOnErrorPlugin());
  if (options.progress) client.middlewareStack.use(captureProgressPlugin(options.progress));
  return client;
}

type NodeHttpHandlerLike = NonNullable<ConstructorParameters<typeof STSClient>[0]>['requestHandler'];

/** Assumes the reader role in `accountId`; throws the STS error (the caller records it). */
export async function assumeReaderRole(accountId: string, region: string, settings: AssumeRoleSettings, counter: ApiCallCounter, options: ClientOptions = {}): Promise<AwsCredentialIdentity> {
  const sts = createStsClient(region, counter, options);
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(accountId, settings.roleName),
        RoleSessionName: settings.sessionName ?? 'redis-compliance-scan',
        ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
        DurationSeconds: 3600,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error('AssumeRole returned no credentials'), { name: 'NoCredentials' });
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } finally {
    sts.destroy();
  }
}
