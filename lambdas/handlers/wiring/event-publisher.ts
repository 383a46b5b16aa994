/** Tells whoever listens (the report Lambda's rule) that a scan finished. */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEventsInBatches } from '../../adapters/events/put-events-in-batches';
import type { RetryPolicy } from '../../adapters/store/batch-write';
import type { ScanRecord } from '../../core/model';

export const EVENT_SOURCE = 'redis-compliance';
export const SCAN_COMPLETED = 'Scan Completed';

export interface ScanCompletedDetail {
  scanId: string;
  status: ScanRecord['status'];
}

export interface EventPublisher {
  scanCompleted(detail: ScanCompletedDetail): Promise<void>;
}

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  /** Failed entries are retried (the same PutEvents path as the finding-change events); then an error. */
  async scanCompleted(detail: ScanCompletedDetail): Promise<void> {
    const outcome = await putEventsInBatches(
      this.client,
      [{ EventBusName: this.eventBusName, Source: EVENT_SOURCE, DetailType: SCAN_COMPLETED, Detail: JSON.stringify(detail) }],
      this.retryPolicy,
    );
    const entry = outcome.failed[0];
    if (entry) throw new Error(`EventBridge did not accept the Scan Completed event for ${detail.scanId}: ${entry.errorCode} ${entry.errorMessage}`.trim());
  }
}

/** Keeps the events (local runs, tests). */
export class CollectingPublisher implements EventPublisher {
  readonly events: ScanCompletedDetail[] = [];
  async scanCompleted(detail: ScanCompletedDetail): Promise<void> {
    this.events.push(detail);
  }
}
