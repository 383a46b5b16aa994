/** SecretProvider on AWS Secrets Manager (GetSecretValue), with a per-container cache. */
import { GetSecretValueCommand, type GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { SecretProvider } from './secret-provider';

export interface SecretsManagerLike {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

export interface SecretsManagerSecretProviderOptions {
  client: SecretsManagerLike;
  /** How long a value is reused before it is read again (default 5 minutes), so rotation is picked up. */
  cacheTtlMs?: number;
  now?: () => number;
}

export class SecretsManagerSecretProvider implements SecretProvider {
  private readonly cache = new Map<string, { value: Promise<string>; expiresAt: number }>();
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: SecretsManagerSecretProviderOptions) {
    this.ttl = options.cacheTtlMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  getSecret(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = this.read(secretId);
    this.cache.set(secretId, { value, expiresAt: this.now() + this.ttl });
    // A failed read is not cached: the next call tries again.
    value.catch(() => {
      if (this.cache.get(secretId)?.value === value) this.cache.delete(secretId);
    });
    return value;
  }

  private async read(secretId: string): Promise<string> {
    let output: GetSecretValueCommandOutput;
    try {
      output = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new Error(`Could not read secret ${secretId} from Secrets Manager (${name}).`);
    }
    if (typeof output.SecretString !== 'string' || output.SecretString.length === 0) {
      throw new Error(`Secret ${secretId} has no string value.`);
    }
    return output.SecretString;
  }
}
