/** Where notifiers get secrets (the Slack webhook URL): a port, so tests and local runs inject their own. */
export interface SecretProvider {
  /** The secret's string value. Implementations never log it. */
  getSecret(secretId: string): Promise<string>;
}

/** Secrets given up front (local runs: a webhook URL from a flag or an environment variable). */
export class StaticSecretProvider implements SecretProvider {
  constructor(private readonly secrets: Readonly<Record<string, string>>) {}

  async getSecret(secretId: string): Promise<string> {
    const value = this.secrets[secretId];
    if (value === undefined) throw new Error(`No secret named ${secretId} was configured.`);
    return value;
  }
}
