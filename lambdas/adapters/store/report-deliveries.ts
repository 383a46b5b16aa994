/**
 * Which channels (slack, email) already received the report of a scan. The report Lambda is
 * invoked asynchronously and retried when it fails; it records each channel as soon as that
 * channel accepted the report, and skips recorded channels on a retry, so a failed Slack post never
 * sends the e-mail again (and the other way round).
 *
 * One item per delivered channel in the findings table: PK `REPORT#<scanId>`, SK `DELIVERED#<channel>`,
 * expiring with the scan (TTL). A partition of its own: never read by the store's queries.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock';
import { keyPart, TTL_ATTRIBUTE } from './table-design';

export interface ReportDeliveries {
  /** Channels that already received the report of this scan. */
  delivered(scanId: string): Promise<Set<string>>;
  /** Records that the channel received the report of this scan. */
  record(scanId: string, channel: string): Promise<void>;
}

export const REPORT_DELIVERY_KEYS = {
  partition: (scanId: string) => `REPORT#${keyPart(scanId)}`,
  sortPrefix: 'DELIVERED#',
  sort: (channel: string) => `DELIVERED#${keyPart(channel)}`,
} as const;

export class DynamoDbReportDeliveries implements ReportDeliveries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {}

  async delivered(scanId: string): Promise<Set<string>> {
    const channels = new Set<string>();
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': REPORT_DELIVERY_KEYS.partition(scanId), ':prefix': REPORT_DELIVERY_KEYS.sortPrefix },
        ConsistentRead: true,
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) if (typeof item['channel'] === 'string') channels.add(item['channel']);
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return channels;
  }

  async record(scanId: string, channel: string): Promise<void> {
    const now = this.clock.now();
    await this.client.send(new PutCommand({
      TableName: this.tableName,
      Item: {
        PK: REPORT_DELIVERY_KEYS.partition(scanId),
        SK: REPORT_DELIVERY_KEYS.sort(channel),
        entity: 'REPORT_DELIVERY',
        scanId,
        channel,
        deliveredAt: now.toISOString(),
        [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + Math.round(this.retentionDays * 86400),
      },
    }));
  }
}

/** For tests and the local pipeline. */
export class InMemoryReportDeliveries implements ReportDeliveries {
  private readonly byScan = new Map<string, Set<string>>();

  async delivered(scanId: string): Promise<Set<string>> {
    return new Set(this.byScan.get(scanId) ?? []);
  }

  async record(scanId: string, channel: string): Promise<void> {
    const channels = this.byScan.get(scanId) ?? new Set<string>();
    channels.add(channel);
    this.byScan.set(scanId, channels);
  }
}
