/**
 * PutEvents in requests of at most 10 entries (the PutEvents API limit), retrying the entries
 * EventBridge did not accept — the answer lists, in request order, an EventId for each accepted
 * entry and ErrorCode / ErrorMessage for each failed one ("Sending events with PutEvents",
 * EventBridge User Guide) — and throttled calls, with exponential backoff. Each entry must stay
 * under 256 KB (PutEvents API reference); the callers' details are a few kB.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { chunk } from '../collectors/chunk';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../store/batch-write';
import { isThrottling } from '../throttling';

export const PUT_EVENTS_BATCH_SIZE = 10;

export interface PutEventsOutcome {
  sent: number;
  calls: number;
  retriedEntries: number;
  failed: Array<{ entry: PutEventsRequestEntry; errorCode: string; errorMessage: string }>;
}

export async function putEventsInBatches(client: EventBridgeClient, entries: readonly PutEventsRequestEntry[], policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<PutEventsOutcome> {
  const outcome: PutEventsOutcome = { sent: 0, calls: 0, retriedEntries: 0, failed: [] };
  for (const batch of chunk(entries, PUT_EVENTS_BATCH_SIZE)) {
    let pending = batch;
    let lastErrors = new Map<PutEventsRequestEntry, { errorCode: string; errorMessage: string }>();
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await policy.sleep(backoffDelay(attempt - 1, policy));
      let response;
      try {
        outcome.calls++;
        response = await client.send(new PutEventsCommand({ Entries: pending }));
      } catch (error) {
        if (isThrottling(error) && attempt < policy.maxAttempts) continue;
        for (const entry of pending) outcome.failed.push({ entry, errorCode: (error as Error).name || 'Error', errorMessage: (error as Error).message });
        pending = [];
        break;
      }
      const results = response.Entries ?? [];
      const retry: PutEventsRequestEntry[] = [];
      lastErrors = new Map();
      pending.forEach((entry, i) => {
        const result = results[i];
        if (result?.EventId && !result.ErrorCode) outcome.sent++;
        else {
          retry.push(entry);
          lastErrors.set(entry, { errorCode: result?.ErrorCode ?? 'NoResult', errorMessage: result?.ErrorMessage ?? 'EventBridge returned no result for this entry' });
        }
      });
      if (retry.length > 0 && attempt >= policy.maxAttempts) {
        for (const entry of retry) outcome.failed.push({ entry, ...lastErrors.get(entry)! });
        break;
      }
      outcome.retriedEntries += retry.length;
      pending = retry;
    }
  }
  return outcome;
}
