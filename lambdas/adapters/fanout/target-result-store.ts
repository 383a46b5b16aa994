/**
 * The fan-out's per-target results in DynamoDB: a worker's snapshot target is gzipped and split into
 * chunks below the 400 KB item limit; the merge reads every target of a scan back (failed workers
 * included, as written by the state machine) and deletes them. A worker that reached its deadline
 * stores its continuation the same way, under its own prefix, for its next invocation.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { SnapshotTarget } from '../../core/snapshot/schema';
import type { TargetContinuation } from '../collectors/target-continuation';
import { batchWrite, DEFAULT_RETRY_POLICY, type RetryPolicy, type WriteRequest } from '../store/batch-write';
import { TTL_ATTRIBUTE } from '../store/table-design';
import { FANOUT_ATTRIBUTES as A, FANOUT_KEYS } from './fanout-keys';

/** Bytes of gzip data per item: well under DynamoDB's 400 KB item limit with the keys. */
export const CHUNK_BYTES = 350 * 1024;

export interface TargetRef {
  accountId: string;
  region: string;
}

/** A target the merge read back: its snapshot, or the failure the state machine recorded. */
export type StoredTargetResult =
  | ({ kind: 'captured'; target: SnapshotTarget } & TargetRef)
  | ({ kind: 'failed'; error: string; cause: string } & TargetRef);

export class TargetResultStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  /** Writes a target's snapshot; returns the number of chunks. Re-writing the same target is idempotent. */
  async putTarget(scanId: string, target: SnapshotTarget, expiresAt: number): Promise<number> {
    const gz = gzipSync(Buffer.from(JSON.stringify(target), 'utf8'));
    const parts = Math.max(1, Math.ceil(gz.length / CHUNK_BYTES));
    const requests = Array.from({ length: parts }, (_, i) => ({
      PutRequest: {
        Item: {
          PK: FANOUT_KEYS.partition(scanId),
          SK: FANOUT_KEYS.part(target.accountId, target.region, i),
          [A.accountId]: target.accountId,
          [A.region]: target.region,
          [A.parts]: parts,
          [A.data]: gz.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
          [TTL_ATTRIBUTE]: expiresAt,
        },
      },
    }));
    await batchWrite(this.client, this.tableName, requests, keyOfRequest, this.retry);
    return parts;
  }

  /**
   * Stores a worker's continuation (gzipped chunks, like a target) for its next invocation; replaces
   * the previous one of the same target (chunks beyond the new count are deleted).
   */
  async putContinuation(scanId: string, continuation: TargetContinuation, expiresAt: number): Promise<number> {
    const { accountId, region } = continuation.target;
    const old = await this.continuationItems(scanId, accountId, region, true);
    const gz = gzipSync(Buffer.from(JSON.stringify(continuation), 'utf8'));
    const parts = Math.max(1, Math.ceil(gz.length / CHUNK_BYTES));
    const puts: WriteRequest[] = Array.from({ length: parts }, (_, i) => ({
      PutRequest: {
        Item: {
          PK: FANOUT_KEYS.partition(scanId),
          SK: FANOUT_KEYS.continuationPart(accountId, region, i),
          [A.accountId]: accountId,
          [A.region]: region,
          [A.parts]: parts,
          [A.data]: gz.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
          [TTL_ATTRIBUTE]: expiresAt,
        },
      },
    }));
    const stale = old.filter((i) => Number(String(i['SK']).slice(-4)) >= parts).map((i) => ({ DeleteRequest: { Key: { PK: i['PK'], SK: i['SK'] } } }));
    await batchWrite(this.client, this.tableName, [...puts, ...stale], keyOfRequest, this.retry);
    return parts;
  }

  /** The continuation a previous invocation stored for this target; throws when it is missing or incomplete. */
  async readContinuation(scanId: string, accountId: string, region: string): Promise<TargetContinuation> {
    const items = (await this.continuationItems(scanId, accountId, region, false)).sort((a, b) => String(a['SK']).localeCompare(String(b['SK'])));
    const expected = Number(items[0]?.[A.parts] ?? 0);
    if (items.length === 0 || items.length !== expected) throw new Error(`no complete continuation stored for ${accountId} ${region} (${items.length} of ${expected} chunks)`);
    return JSON.parse(gunzipSync(Buffer.concat(items.map((p) => toBuffer(p[A.data])))).toString('utf8')) as TargetContinuation;
  }

  /** Removes the target's continuation once the target is stored whole. */
  async deleteContinuation(scanId: string, accountId: string, region: string): Promise<void> {
    const items = await this.continuationItems(scanId, accountId, region, true);
    await batchWrite(this.client, this.tableName, items.map((i) => ({ DeleteRequest: { Key: { PK: i['PK'], SK: i['SK'] } } })), keyOfRequest, this.retry);
  }

  private continuationItems(scanId: string, accountId: string, region: string, keysOnly: boolean): Promise<Record<string, unknown>[]> {
    return this.queryAll(scanId, keysOnly, `${FANOUT_KEYS.continuationPrefix}${accountId}#${region}#`);
  }

  /** Every target stored for the scan, ordered by account then region. */
  async readTargets(scanId: string): Promise<StoredTargetResult[]> {
    const results: StoredTargetResult[] = [];
    for (const ref of await this.listTargets(scanId)) results.push(await this.readTarget(scanId, ref));
    return results;
  }

  /**
   * The targets stored for the scan (captured or failed), ordered by account then region, read from
   * the keys alone: the merge then reads and evaluates one target at a time.
   */
  async listTargets(scanId: string): Promise<TargetRef[]> {
    const refs = new Map<string, TargetRef>();
    for (const item of await this.queryAll(scanId, true)) {
      // SK: TARGET#<account>#<region>#PART#<n> or TARGET#<account>#<region>#FAILED (fanout-keys.ts).
      const [, accountId, region] = String(item['SK']).split('#');
      if (accountId && region) refs.set(`${accountId}#${region}`, { accountId, region });
    }
    return [...refs.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  }

  /** One stored target: its snapshot, or the failure recorded for it. */
  async readTarget(scanId: string, ref: TargetRef): Promise<StoredTargetResult> {
    const items = await this.queryAll(scanId, false, `${FANOUT_KEYS.targetPrefix}${ref.accountId}#${ref.region}#`);
    if (items.length === 0) return { kind: 'failed', ...ref, error: 'IncompleteResult', cause: 'no stored chunk of the target was found' };
    return assemble(items);
  }

  /**
   * Stores the merge's progress: `state` (gzipped chunks) to resume at target `next`. Chunks beyond
   * the new count are deleted; every chunk carries `next` and the chunk count, so a write cut off
   * half way is seen as incomplete by readMergeProgress, never mixed with an older one.
   */
  async putMergeProgress(scanId: string, next: number, state: unknown, expiresAt: number): Promise<number> {
    const old = await this.queryAll(scanId, true, FANOUT_KEYS.mergePrefix);
    const gz = gzipSync(Buffer.from(JSON.stringify(state), 'utf8'));
    const parts = Math.max(1, Math.ceil(gz.length / CHUNK_BYTES));
    const puts: WriteRequest[] = Array.from({ length: parts }, (_, i) => ({
      PutRequest: {
        Item: { PK: FANOUT_KEYS.partition(scanId), SK: FANOUT_KEYS.mergePart(i), [A.next]: next, [A.parts]: parts, [A.data]: gz.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES), [TTL_ATTRIBUTE]: expiresAt },
      },
    }));
    const stale = old.filter((i) => Number(String(i['SK']).slice(-4)) >= parts).map((i) => ({ DeleteRequest: { Key: { PK: i['PK'], SK: i['SK'] } } }));
    await batchWrite(this.client, this.tableName, [...puts, ...stale], keyOfRequest, this.retry);
    return parts;
  }

  /** The merge's stored progress, or undefined when there is none or it is incomplete (then the merge starts over). */
  async readMergeProgress<T>(scanId: string): Promise<{ next: number; state: T } | undefined> {
    const items = (await this.queryAll(scanId, false, FANOUT_KEYS.mergePrefix)).sort((a, b) => String(a['SK']).localeCompare(String(b['SK'])));
    const first = items[0];
    if (!first) return undefined;
    const next = Number(first[A.next]);
    if (items.length !== Number(first[A.parts]) || items.some((i) => Number(i[A.next]) !== next || Number(i[A.parts]) !== items.length)) return undefined;
    return { next, state: JSON.parse(gunzipSync(Buffer.concat(items.map((p) => toBuffer(p[A.data])))).toString('utf8')) as T };
  }

  /** Removes the scan's fan-out items once the merged scan is stored (TTL is the backstop). */
  async deleteTargets(scanId: string): Promise<void> {
    const items = [...(await this.queryAll(scanId, true)), ...(await this.queryAll(scanId, true, FANOUT_KEYS.mergePrefix))];
    await batchWrite(this.client, this.tableName, items.map((i) => ({ DeleteRequest: { Key: { PK: i['PK'], SK: i['SK'] } } })), keyOfRequest, this.retry);
  }

  private async queryAll(scanId: string, keysOnly = false, prefix: string = FANOUT_KEYS.targetPrefix): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': FANOUT_KEYS.partition(scanId), ':prefix': prefix },
          ...(keysOnly ? { ProjectionExpression: 'PK, SK' } : {}),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function assemble(group: Record<string, unknown>[]): StoredTargetResult {
  const accountId = String(group[0]![A.accountId]);
  const region = String(group[0]![A.region]);
  const parts = group.filter((i) => String(i['SK']).includes('#PART#')).sort((a, b) => String(a['SK']).localeCompare(String(b['SK'])));
  const failed = group.find((i) => String(i['SK']).endsWith('#FAILED'));
  const expected = Number(parts[0]?.[A.parts] ?? 0);
  if (parts.length > 0 && parts.length === expected) {
    const gz = Buffer.concat(parts.map((p) => toBuffer(p[A.data])));
    return { kind: 'captured', accountId, region, target: JSON.parse(gunzipSync(gz).toString('utf8')) as SnapshotTarget };
  }
  if (failed) return { kind: 'failed', accountId, region, error: String(failed[A.error] ?? 'WorkerFailed'), cause: String(failed[A.cause] ?? '') };
  return { kind: 'failed', accountId, region, error: 'IncompleteResult', cause: `${parts.length} of ${expected} stored chunks of the target were found` };
}

function keyOfRequest(request: WriteRequest): string {
  const key = 'PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key;
  return `${String(key['PK'])}\u0000${String(key['SK'])}`;
}

function toBuffer(value: unknown): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new Error('a fan-out chunk has no binary data');
}
