/**
 * Which Security Hub client imports an (account, region)'s findings. BatchImportFindings with the
 * default product ARN must be called by the finding's own account (API reference), so:
 * the scanner's account uses the function's role; a member account needs a role in that account
 * (`memberRoleName`, assumed with the reader role's external id) allowed to call
 * securityhub:BatchImportFindings on its own `product/<account>/default`. Without one, that
 * account's findings are skipped, and the outcome says so.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { partitionOf } from '../../core/export/resource-arn';
import type { SecurityHubClientFor } from './security-hub-importer';

export interface SecurityHubClientsOptions {
  scannerAccountId: string;
  memberRoleName?: string;
  externalId?: string;
  /** Builds a client (tests and endpoint overrides); default `new SecurityHubClient(config)`. */
  makeClient?: (config: ConstructorParameters<typeof SecurityHubClient>[0] & { region: string }) => SecurityHubClient;
}

export function securityHubClients(options: SecurityHubClientsOptions): SecurityHubClientFor {
  const clients = new Map<string, SecurityHubClient>();
  const make = options.makeClient ?? ((config) => new SecurityHubClient(config));
  return (accountId, region) => {
    const key = `${accountId}/${region}`;
    const cached = clients.get(key);
    if (cached) return cached;
    let client: SecurityHubClient;
    if (accountId === options.scannerAccountId) {
      client = make({ region, retryMode: 'adaptive', maxAttempts: 5 });
    } else if (options.memberRoleName) {
      const roleArn = `arn:${partitionOf(region)}:iam::${accountId}:role/${options.memberRoleName}`;
      client = make({
        region,
        retryMode: 'adaptive',
        maxAttempts: 5,
        credentials: fromTemporaryCredentials({
          params: { RoleArn: roleArn, RoleSessionName: 'redis-compliance-securityhub', ...(options.externalId ? { ExternalId: options.externalId } : {}) },
          clientConfig: { region },
        }),
      });
    } else {
      return { skip: `account ${accountId} is not the scanner's account (${options.scannerAccountId}) and no member role for Security Hub import is configured (securityHub.memberRoleName)` };
    }
    clients.set(key, client);
    return client;
  };
}
