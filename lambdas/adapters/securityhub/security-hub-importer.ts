/**
 * Imports ASFF findings into Security Hub with BatchImportFindings.
 *
 * AWS rules this follows (Security Hub partner guide "Guidelines for using the BatchImportFindings
 * API", and the BatchImportFindings API reference):
 * - up to 100 findings per call (and 240 KB per finding, 6 MB per call); throttle 10 TPS per
 *   account and region, burst 30;
 * - with the default (custom integration) product ARN, the caller's account must be the finding's
 *   AwsAccountId: findings are grouped by (account, region) and each group is sent to that
 *   account's hub in that region, through that account's client (the scanner's own account, or a
 *   role assumed in a member account); a delegated administrator sees member findings through
 *   Security Hub's own administrator-member aggregation;
 * - the answer counts SuccessCount / FailedCount and lists FailedFindings { Id, ErrorCode,
 *   ErrorMessage }.
 *
 * Nothing is dropped silently: every finding ends imported, failed (with the error code) or skipped
 * (no client for its account, with the reason), and the counts add up to the input. Throttled calls
 * and per-finding failures with a transient error code are retried with exponential backoff.
 */
import { BatchImportFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AsffFinding } from '../../core/export/asff';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../store/batch-write';
import { chunk } from '../collectors/chunk';
import { isThrottling } from '../throttling';

export const IMPORT_BATCH_SIZE = 100;

/** The client that may import into (account, region)'s hub, or a reason why there is none. */
export type SecurityHubClientFor = (accountId: string, region: string) => SecurityHubClient | { skip: string };

export interface ImportFailure {
  id: string;
  accountId: string;
  region: string;
  errorCode: string;
  errorMessage: string;
}

export interface ImportOutcome {
  total: number;
  imported: number;
  failed: ImportFailure[];
  skipped: Array<{ accountId: string; region: string; count: number; reason: string }>;
  /** BatchImportFindings calls made (retries included). */
  calls: number;
  /** Calls answered with throttling and retried. */
  throttledRetries: number;
}

/** Per-finding error codes worth another try (the rest, e.g. InvalidInput, would fail again). */
const TRANSIENT_FINDING_ERRORS = /throttl|limitexceeded|internal|serviceunavailable|timeout/i;

export class SecurityHubImporter {
  constructor(
    private readonly clientFor: SecurityHubClientFor,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async import(findings: readonly AsffFinding[]): Promise<ImportOutcome> {
    const outcome: ImportOutcome = { total: findings.length, imported: 0, failed: [], skipped: [], calls: 0, throttledRetries: 0 };
    const groups = new Map<string, AsffFinding[]>();
    for (const finding of findings) {
      const key = `${finding.AwsAccountId}/${finding.Region}`;
      const group = groups.get(key);
      if (group) group.push(finding);
      else groups.set(key, [finding]);
    }
    for (const [key, group] of groups) {
      const [accountId, region] = key.split('/') as [string, string];
      const client = this.clientFor(accountId, region);
      if ('skip' in client) {
        outcome.skipped.push({ accountId, region, count: group.length, reason: client.skip });
        continue;
      }
      for (const batch of chunk(group, IMPORT_BATCH_SIZE)) await this.importBatch(client, accountId, region, batch, outcome);
    }
    return outcome;
  }

  private async importBatch(client: SecurityHubClient, accountId: string, region: string, batch: AsffFinding[], outcome: ImportOutcome): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await this.policy.sleep(backoffDelay(attempt - 1, this.policy));
      let response;
      try {
        outcome.calls++;
        response = await client.send(new BatchImportFindingsCommand({ Findings: pending }));
      } catch (error) {
        if (isThrottling(error) && attempt < this.policy.maxAttempts) {
          outcome.throttledRetries++;
          continue;
        }
        const e = error as Error;
        for (const f of pending) outcome.failed.push({ id: f.Id, accountId, region, errorCode: e.name || 'Error', errorMessage: e.message });
        return;
      }
      const failures = response.FailedFindings ?? [];
      outcome.imported += response.SuccessCount ?? pending.length - failures.length;
      const byId = new Map(pending.map((f) => [f.Id, f]));
      const retry: AsffFinding[] = [];
      for (const failure of failures) {
        const finding = failure.Id !== undefined ? byId.get(failure.Id) : undefined;
        if (finding && TRANSIENT_FINDING_ERRORS.test(failure.ErrorCode ?? '') && attempt < this.policy.maxAttempts) retry.push(finding);
        else outcome.failed.push({ id: failure.Id ?? '(no id)', accountId, region, errorCode: failure.ErrorCode ?? 'Unknown', errorMessage: failure.ErrorMessage ?? '' });
      }
      pending = retry;
    }
  }
}
