/**
 * Publishes the `Redis Compliance Finding Changed` events of a scan on the scanner's bus (source
 * `redis-compliance`, the same as "Scan Completed"), each with its resource's ARN in `resources`
 * so a rule can match on it. Detail schema: lambdas/core/export/finding-change-event.ts and
 * docs/finding-events.md.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { FINDING_CHANGED, type FindingChangedDetail } from '../../core/export/finding-change-event';
import type { RetryPolicy } from '../store/batch-write';
import { putEventsInBatches, type PutEventsOutcome } from './put-events-in-batches';

export const FINDING_EVENT_SOURCE = 'redis-compliance';

export function findingChangedEntries(details: readonly FindingChangedDetail[], eventBusName: string): PutEventsRequestEntry[] {
  return details.map((detail) => ({
    EventBusName: eventBusName,
    Source: FINDING_EVENT_SOURCE,
    DetailType: FINDING_CHANGED,
    Detail: JSON.stringify(detail),
    ...(detail.finding.resourceArn ? { Resources: [detail.finding.resourceArn] } : {}),
  }));
}

export async function publishFindingChanges(client: EventBridgeClient, eventBusName: string, details: readonly FindingChangedDetail[], policy?: RetryPolicy): Promise<PutEventsOutcome> {
  return putEventsInBatches(client, findingChangedEntries(details, eventBusName), policy);
}
