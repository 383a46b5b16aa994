/**
 * BatchWriteItem in requests of 25, retrying UnprocessedItems with exponential backoff and full
 * jitter until every item is written or the attempts run out; then an error that says how many
 * items were not written. Duplicate keys are collapsed first (DynamoDB rejects them in one request).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const BATCH_SIZE = 25;

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface RetryPolicy {
  /** Attempts for each batch, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 5000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
  constructor(
    readonly tableName: string,
    readonly notWritten: number,
    readonly total: number,
    readonly attempts: number,
  ) {
    super(`${notWritten} of ${total} items were not written to table ${tableName}: DynamoDB still returned them as UnprocessedItems after ${attempts} attempts`);
  }
}

/** The delay before retry number `retry` (1-based): random in [0, min(max, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

export async function batchWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  keyOf: (request: WriteRequest) => string,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  await batchWriteEach(client, tableName, requests.length, (i) => keyOf(requests[i]!), (i) => requests[i]!, policy);
}

/**
 * batchWrite with each request made only when its batch is sent: request i has the key `keyAt(i)`
 * and is made by `build(i)`. A large write holds its keys, never every item at once. Duplicate
 * keys are collapsed as batchWrite collapses them: the first one's place, the last one's request.
 */
export async function batchWriteEach(
  client: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  keyAt: (index: number) => string,
  build: (index: number) => WriteRequest,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  const lastIndexOf = new Map<string, number>();
  for (let i = 0; i < count; i++) lastIndexOf.set(keyAt(i), i);
  const unique = Int32Array.from(lastIndexOf.values());
  lastIndexOf.clear();
  let notWritten = 0;
  for (let start = 0; start < unique.length; start += BATCH_SIZE) {
    notWritten += await writeOneBatch(client, tableName, Array.from(unique.subarray(start, start + BATCH_SIZE), build), policy);
  }
  if (notWritten > 0) throw new UnprocessedItemsError(tableName, notWritten, unique.length, policy.maxAttempts);
}

/**
 * One BatchWriteItem of at most 25 requests with distinct keys, its UnprocessedItems retried as
 * batchWrite retries them; resolves to the number of items still not written when the attempts ran out.
 */
export async function writeOneBatch(client: DynamoDBDocumentClient, tableName: string, requests: WriteRequest[], policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<number> {
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) await policy.sleep(backoffDelay(attempt - 1, policy));
    const output = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (output.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    if (pending.length > 0 && attempt >= policy.maxAttempts) return pending.length;
  }
  return 0;
}
