/** Tells whoever listens (the report Lambda's rule) that a scan finished. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
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
  ) {}

  async scanCompleted(detail: ScanCompletedDetail): Promise<void> {
    const output = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.eventBusName, Source: EVENT_SOURCE, DetailType: SCAN_COMPLETED, Detail: JSON.stringify(detail) }],
      }),
    );
    const failed = output.FailedEntryCount ?? 0;
    if (failed > 0) {
      const entry = output.Entries?.find((e) => e.ErrorCode);
      throw new Error(`EventBridge did not accept the Scan Completed event for ${detail.scanId}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
    }
  }
}

/** Keeps the events (local runs, tests). */
export class CollectingPublisher implements EventPublisher {
  readonly events: ScanCompletedDetail[] = [];
  async scanCompleted(detail: ScanCompletedDetail): Promise<void> {
    this.events.push(detail);
  }
}
