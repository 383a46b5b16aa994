/** The FindingsStore on one DynamoDB table (design in docs/dynamodb-design.md and table-design.ts). */
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { FindingState, FindingStateHead } from '../../core/finding-states';
import type { ExportedPair } from '../../core/export/exported-pairs';
import type { FindingStatus, RuleId, ScanRecord, Severity, StoredFinding, Suppression } from '../../core/model';
import type { FindingOutline } from '../../core/report/passing-resources';
import { newLease, type ScanLease, type ScanLeaseResult } from '../../core/scan-lease';
import { BATCH_SIZE, backoffDelay, batchWrite, batchWriteEach, DEFAULT_RETRY_POLICY, UnprocessedItemsError, writeOneBatch, type RetryPolicy, type WriteRequest } from './batch-write';
import type { Clock } from './clock';
import {
  DEFAULT_PAGE_SIZE,
  InvalidNextTokenError,
  MAX_PAGE_SIZE,
  allPagedItems,
  type FindingFilter,
  type FindingsStore,
  type FindingsWrite,
  type Page,
  type PageRequest,
  type ResourceRef,
} from './findings-store';
import { decodePageToken, encodePageToken } from './page-token';
import { FINDING_OUTLINE_FIELDS, findingItemKeys, findingsQuery, INDEX, KEY_ATTRIBUTES, keyPart, keys, severityPart, statusPart, STATUSES_WORST_FIRST, TTL_ATTRIBUTE, type IndexName } from './table-design';

export interface DynamoDbFindingsStoreOptions {
  tableName: string;
  /** Scans and their findings are removed by DynamoDB TTL this many days after the scan started. */
  retentionDays: number;
  clock: Clock;
  retry?: RetryPolicy;
}

export const DEFAULT_RETENTION_DAYS = 90;

/** The most keys one BatchGetItem reads. */
const BATCH_GET_SIZE = 100;

/** The fields of a stored finding state other than its last failing finding (a Record: the compiler checks none is missing). */
const STATE_HEAD_FIELD_SET: Record<keyof FindingStateHead, true> = { key: true, accountId: true, region: true, resourceId: true, ruleId: true, state: true, firstSeen: true, lastSeen: true, resolvedAt: true, lastScanId: true };
const STATE_HEAD_FIELDS = Object.keys(STATE_HEAD_FIELD_SET);

type Item = Record<string, unknown> & { data: unknown };

interface QuerySpec {
  index?: IndexName;
  partition: string;
  sortPrefix?: string;
  /** Only sort keys strictly below this value. */
  sortBelow?: string;
  newestFirst?: boolean;
  /** Only these fields of each item's `data` (a projection expression of document paths). */
  dataFields?: readonly string[];
}

export class DynamoDbFindingsStore implements FindingsStore {
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    options: DynamoDbFindingsStoreOptions,
  ) {
    if (!Number.isFinite(options.retentionDays) || options.retentionDays <= 0) throw new Error(`retentionDays must be a positive number, got ${options.retentionDays}`);
    this.tableName = options.tableName;
    this.retentionSeconds = Math.round(options.retentionDays * 86400);
    this.clock = options.clock;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  async putScan(scan: ScanRecord): Promise<void> {
    const finished = scan.status === 'COMPLETE' || scan.status === 'PARTIAL';
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.scanRecord(scan.scanId),
          GSI1PK: keys.scansPartition,
          GSI1SK: keys.scanTime(scan),
          ...(finished ? { GSI2PK: keys.finishedScansPartition, GSI2SK: keys.scanTime(scan) } : {}),
          entity: 'SCAN',
          [TTL_ATTRIBUTE]: this.expiresAt(scan.startedAt),
          writtenAt: this.clock.now().toISOString(),
          data: plain(scan),
        },
      }),
    );
  }

  async getScan(scanId: string): Promise<ScanRecord | undefined> {
    const output = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.scanRecord(scanId) }));
    return (output.Item as Item | undefined)?.data as ScanRecord | undefined;
  }

  async latestScan(): Promise<ScanRecord | undefined> {
    const page = await this.listScans({ limit: 1 });
    return page.items[0];
  }

  async listScans(page: PageRequest = {}): Promise<Page<ScanRecord>> {
    return this.queryPage<ScanRecord>({ index: 'GSI1', partition: keys.scansPartition, newestFirst: true }, page);
  }

  async listFinishedScans(options: { limit: number; before?: Pick<ScanRecord, 'scanId' | 'startedAt'> }): Promise<ScanRecord[]> {
    const spec: QuerySpec = { index: 'GSI2', partition: keys.finishedScansPartition, newestFirst: true };
    if (options.before) spec.sortBelow = keys.scanTime(options.before);
    const page = await this.queryPage<ScanRecord>(spec, { limit: options.limit });
    return page.items;
  }

  async putFindings(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>, findings: readonly StoredFinding[]): Promise<void> {
    const write = await this.openFindingsWrite(scan);
    await write.write(findings);
    await write.finish();
  }

  async openFindingsWrite(scan: Pick<ScanRecord, 'scanId' | 'startedAt'>): Promise<FindingsWrite> {
    const expiresAt = this.expiresAt(scan.startedAt);
    const writtenAt = this.clock.now().toISOString();
    const partition = keys.scanPartition(scan.scanId);
    // The items an earlier attempt of this scan id left: those no write names are removed at the end.
    const stale = new Set(await this.findingKeysOf(scan.scanId));
    // Each item (a plain copy of its finding, the shared sentences copied too) is made as its batch
    // of 25 is sent: the findings of a large scan never exist twice over as items.
    const request = (sortKey: string, finding: StoredFinding | undefined): WriteRequest =>
      finding
        ? { PutRequest: { Item: { ...findingItemKeys(scan, finding), entity: 'FINDING', [TTL_ATTRIBUTE]: expiresAt, writtenAt, data: plain(finding) } } }
        : { DeleteRequest: { Key: { PK: partition, SK: sortKey } } };
    // The next batch by sort key (a key named twice keeps its first place and its last finding);
    // undefined: a removal.
    const batch = new Map<string, StoredFinding | undefined>();
    let requests = 0;
    let notWritten = 0;
    const send = async () => {
      const requestsOfBatch = Array.from(batch, ([sortKey, finding]) => request(sortKey, finding));
      batch.clear();
      requests += requestsOfBatch.length;
      notWritten += await writeOneBatch(this.client, this.tableName, requestsOfBatch, this.retry);
    };
    return {
      write: async (findings) => {
        for (const finding of findings) {
          const sortKey = keys.findingSortKey(finding);
          stale.delete(sortKey);
          batch.set(sortKey, finding);
          if (batch.size >= BATCH_SIZE) await send();
        }
      },
      finish: async () => {
        for (const sortKey of stale) {
          batch.set(sortKey, undefined);
          if (batch.size >= BATCH_SIZE) await send();
        }
        stale.clear();
        if (batch.size > 0) await send();
        if (notWritten > 0) throw new UnprocessedItemsError(this.tableName, notWritten, requests, this.retry.maxAttempts);
      },
    };
  }

  async listFindings(scanId: string, filter: FindingFilter = {}): Promise<Page<StoredFinding>> {
    if (filter.severity !== undefined && filter.ruleId !== undefined && filter.status === undefined) return this.findingsByStatusInOrder(scanId, filter.ruleId, filter.severity, filter);
    const { index, partition, sortPrefix } = findingsQuery(scanId, filter);
    return this.queryPage<StoredFinding>({ index, partition, sortPrefix }, filter);
  }

  /**
   * A rule's findings of one severity, worst first: GSI4 (the rule's partition, status > severity)
   * queried with the key condition of each status in turn, from the status the token stopped in.
   * A page is exactly `limit` items; its token is the key of its last item, as DynamoDB would give.
   */
  private async findingsByStatusInOrder(scanId: string, ruleId: RuleId, severity: Severity, page: PageRequest): Promise<Page<StoredFinding>> {
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
    const partition = keys.byRulePartition(scanId, ruleId);
    const prefixes = STATUSES_WORST_FIRST.map((status) => `${statusPart(status)}#${severityPart(severity)}#`);
    const attributes = KEY_ATTRIBUTES.GSI4;
    let start: Record<string, string> | undefined;
    let first = 0;
    if (page.nextToken !== undefined) {
      const expected = [KEY_ATTRIBUTES.TABLE.partition, KEY_ATTRIBUTES.TABLE.sort, attributes.partition, attributes.sort];
      start = decodePageToken(page.nextToken, expected, { attribute: attributes.partition, value: partition });
      first = prefixes.findIndex((prefix) => start![attributes.sort]!.startsWith(prefix));
      if (first < 0) throw new InvalidNextTokenError('it belongs to another listing');
    }
    const items: Array<Record<string, unknown>> = [];
    for (let p = first; p < prefixes.length && items.length < limit; p++) {
      let exclusiveStart = p === first ? start : undefined;
      do {
        const output = await this.client.send(new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.GSI4,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
          ExpressionAttributeNames: { '#pk': attributes.partition, '#sk': attributes.sort },
          ExpressionAttributeValues: { ':pk': partition, ':sk': prefixes[p] },
          Limit: limit - items.length,
          ...(exclusiveStart ? { ExclusiveStartKey: exclusiveStart } : {}),
        }));
        items.push(...((output.Items ?? []) as Array<Record<string, unknown>>));
        exclusiveStart = output.LastEvaluatedKey as Record<string, string> | undefined;
      } while (exclusiveStart && items.length < limit);
      if (items.length >= limit) {
        // More may follow (in this status or the next ones): continue after the last item.
        const more = exclusiveStart !== undefined || p < prefixes.length - 1;
        const last = items[items.length - 1]!;
        const token = more ? encodePageToken({ PK: last.PK, SK: last.SK, [attributes.partition]: last[attributes.partition], [attributes.sort]: last[attributes.sort] }) : undefined;
        return { items: items.map((item) => (item as Item).data as StoredFinding), ...(token ? { nextToken: token } : {}) };
      }
    }
    return { items: items.map((item) => (item as Item).data as StoredFinding) };
  }

  allFindings(scanId: string): Promise<StoredFinding[]> {
    return allPagedItems((page) => this.listFindings(scanId, page));
  }

  async listFindingOutlines(scanId: string, filter: PageRequest & { status: FindingStatus }): Promise<Page<FindingOutline>> {
    const { index, partition, sortPrefix } = findingsQuery(scanId, { status: filter.status });
    return this.queryPage<FindingOutline>({ index, partition, sortPrefix, dataFields: FINDING_OUTLINE_FIELDS }, filter);
  }

  async resourceHistory(resource: ResourceRef, page: PageRequest = {}): Promise<Page<StoredFinding>> {
    return this.queryPage<StoredFinding>({ index: 'GSI1', partition: keys.resourcePartition(resource), newestFirst: true }, page);
  }

  async listFindingStates(): Promise<FindingState[]> {
    return this.queryAllOfIndexPartition<FindingState>(keys.statesPartition);
  }

  async *findingStateHeadPages(): AsyncGenerator<FindingStateHead[]> {
    // Only the state's own fields of `data` (document paths into the map), not its last failing
    // finding: DynamoDB returns only the projected attributes
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html).
    // Every name goes through ExpressionAttributeNames (`key` and `state` are reserved words).
    const names: Record<string, string> = { '#pk': KEY_ATTRIBUTES.GSI1.partition, '#data': 'data' };
    STATE_HEAD_FIELDS.forEach((field, i) => (names[`#f${i}`] = field));
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.GSI1,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': keys.statesPartition },
          ProjectionExpression: STATE_HEAD_FIELDS.map((_, i) => `#data.#f${i}`).join(', '),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      yield (output.Items ?? []).map((item) => (item as Item).data as FindingStateHead);
      start = output.LastEvaluatedKey;
    } while (start);
  }

  async getFindingStates(refs: ReadonlyArray<ResourceRef & { ruleId: RuleId }>): Promise<FindingState[]> {
    // BatchGetItem reads up to 100 items a request and returns what it could not read as
    // UnprocessedKeys (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
    const states: FindingState[] = [];
    for (let first = 0; first < refs.length; first += BATCH_GET_SIZE) {
      let pending: Array<Record<string, unknown>> = refs.slice(first, first + BATCH_GET_SIZE).map((ref) => ({ PK: keys.statePartition(ref), SK: keys.stateSortKey(ref.ruleId) }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > this.retry.maxAttempts) throw new Error(`${pending.length} finding states could not be read from table ${this.tableName}: DynamoDB still returned them as UnprocessedKeys after ${this.retry.maxAttempts} attempts`);
        if (attempt > 1) await this.retry.sleep(backoffDelay(attempt - 1, this.retry));
        const output = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }));
        for (const item of output.Responses?.[this.tableName] ?? []) states.push((item as Item).data as FindingState);
        pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return states;
  }

  /** Every item of one GSI1 partition, read page by page at the largest page size. */
  private queryAllOfIndexPartition<T>(partition: string): Promise<T[]> {
    return allPagedItems((page) => this.queryPage<T>({ index: 'GSI1', partition }, page));
  }

  async getFindingState(ref: ResourceRef & { ruleId: RuleId }): Promise<FindingState | undefined> {
    const output = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.statePartition(ref), SK: keys.stateSortKey(ref.ruleId) } }));
    return (output.Item as Item | undefined)?.data as FindingState | undefined;
  }

  async putFindingStates(states: readonly FindingState[]): Promise<void> {
    const writtenAt = this.clock.now().toISOString();
    // As for findings: each state's item (a plain copy of its last failing finding) is made as its batch is sent.
    await batchWriteEach(
      this.client,
      this.tableName,
      states.length,
      (i) => `${keys.statePartition(states[i]!)}\u0000${keys.stateSortKey(states[i]!.ruleId)}`,
      (i): WriteRequest => {
        const state = states[i]!;
        return {
          PutRequest: {
            Item: {
              PK: keys.statePartition(state),
              SK: keys.stateSortKey(state.ruleId),
              GSI1PK: keys.statesPartition,
              GSI1SK: keyPart(state.key),
              entity: 'STATE',
              writtenAt,
              data: plain(state),
            },
          },
        };
      },
      this.retry,
    );
  }

  async acquireScanLease(scanId: string, now: Date, durationMs: number): Promise<ScanLeaseResult> {
    const lease = newLease(scanId, now, durationMs);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.scanLease,
            entity: 'LEASE',
            holder: scanId,
            leaseExpiresAtMs: Date.parse(lease.expiresAt),
            // DynamoDB TTL removes a lapsed lease a day later (the condition below never waits for it).
            [TTL_ATTRIBUTE]: Math.floor(Date.parse(lease.expiresAt) / 1000) + 86400,
            writtenAt: this.clock.now().toISOString(),
            data: plain(lease),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR holder = :scanId OR leaseExpiresAtMs <= :now',
          ExpressionAttributeValues: { ':scanId': scanId, ':now': now.getTime() },
        }),
      );
      return { acquired: true, lease };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const holder = await this.getScanLease();
    // Released between the refused write and this read: report the refusal with what the write saw.
    return { acquired: false, holder: holder ?? { scanId: '(released)', acquiredAt: now.toISOString(), expiresAt: now.toISOString() } };
  }

  async releaseScanLease(scanId: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.scanLease, ConditionExpression: 'holder = :scanId', ExpressionAttributeValues: { ':scanId': scanId } }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getScanLease(): Promise<ScanLease | undefined> {
    const output = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.scanLease, ConsistentRead: true }));
    return (output.Item as Item | undefined)?.data as ScanLease | undefined;
  }

  async listExportedPairs(): Promise<ExportedPair[]> {
    return this.queryAllOfIndexPartition<ExportedPair>(keys.exportedPairsPartition);
  }

  async putExportedPairs(pairs: readonly ExportedPair[]): Promise<void> {
    const writtenAt = this.clock.now().toISOString();
    const puts: WriteRequest[] = pairs.map((pair) => ({
      PutRequest: {
        Item: {
          PK: keys.exportedPartition(pair),
          SK: keys.stateSortKey(pair.ruleId),
          GSI1PK: keys.exportedPairsPartition,
          GSI1SK: keyPart(pair.key),
          entity: 'EXPORTED',
          // A gone pair is kept as long as a scan is, so a re-run of its scan closes it again.
          ...(pair.goneAt !== undefined ? { [TTL_ATTRIBUTE]: this.expiresAt(pair.goneAt) } : {}),
          writtenAt,
          data: plain(pair),
        },
      },
    }));
    await batchWrite(this.client, this.tableName, puts, requestKey, this.retry);
  }

  async putSuppression(suppression: Suppression): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.suppression(suppression.id),
          GSI1PK: keys.suppressionsPartition,
          GSI1SK: suppression.id,
          entity: 'SUPPRESSION',
          writtenAt: this.clock.now().toISOString(),
          data: plain(suppression),
        },
      }),
    );
  }

  async getSuppression(id: string): Promise<Suppression | undefined> {
    const output = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.suppression(id) }));
    return (output.Item as Item | undefined)?.data as Suppression | undefined;
  }

  async deleteSuppression(id: string): Promise<boolean> {
    const output = await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.suppression(id), ReturnValues: 'ALL_OLD' }));
    return output.Attributes !== undefined;
  }

  listSuppressions(): Promise<Suppression[]> {
    return this.queryAllOfIndexPartition<Suppression>(keys.suppressionsPartition);
  }

  private expiresAt(startedAt: string): number {
    const started = Date.parse(startedAt);
    if (Number.isNaN(started)) throw new Error(`scan startedAt is not a date: ${startedAt}`);
    return Math.floor(started / 1000) + this.retentionSeconds;
  }

  private async findingKeysOf(scanId: string): Promise<string[]> {
    const sortKeys: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.scanPartition(scanId), ':prefix': keys.findingSortPrefix },
          ProjectionExpression: 'SK',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) sortKeys.push(item.SK as string);
      start = output.LastEvaluatedKey;
    } while (start);
    return sortKeys;
  }

  private async queryPage<T>(spec: QuerySpec, page: PageRequest): Promise<Page<T>> {
    const table = KEY_ATTRIBUTES.TABLE;
    const attributes = spec.index ? KEY_ATTRIBUTES[spec.index] : table;
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
    const names: Record<string, string> = { '#pk': attributes.partition };
    const values: Record<string, unknown> = { ':pk': spec.partition };
    let condition = '#pk = :pk';
    if (spec.sortPrefix) {
      names['#sk'] = attributes.sort;
      values[':sk'] = spec.sortPrefix;
      condition += ' AND begins_with(#sk, :sk)';
    } else if (spec.sortBelow) {
      names['#sk'] = attributes.sort;
      values[':sk'] = spec.sortBelow;
      condition += ' AND #sk < :sk';
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: !spec.newestFirst,
      Limit: limit,
    };
    if (spec.index) input.IndexName = INDEX[spec.index];
    if (spec.dataFields) {
      // Document paths into the `data` map, each name an alias (`data`, `status` and `region` are
      // reserved words). DynamoDB still reads (and bills) whole items; it returns only these fields:
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html (nested attributes, document paths)
      names['#data'] = 'data';
      input.ProjectionExpression = spec.dataFields.map((field, i) => ((names[`#f${i}`] = field), `#data.#f${i}`)).join(', ');
    }
    if (page.nextToken !== undefined) {
      const expected = spec.index ? [table.partition, table.sort, attributes.partition, attributes.sort] : [table.partition, table.sort];
      input.ExclusiveStartKey = decodePageToken(
        page.nextToken,
        expected,
        { attribute: attributes.partition, value: spec.partition },
        spec.sortPrefix ? { attribute: attributes.sort, prefix: spec.sortPrefix } : undefined,
        spec.index ? [table.sort, attributes.sort] : [table.sort],
      );
    }
    const output = await this.client.send(new QueryCommand(input));
    const items = (output.Items ?? []).map((item) => (item as Item).data as T);
    const nextToken = encodePageToken(output.LastEvaluatedKey);
    return nextToken ? { items, nextToken } : { items };
  }
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

function requestKey(request: WriteRequest): string {
  const key = 'PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key;
  return `${String(key.PK)}\u0000${String(key.SK)}`;
}

/** Plain JSON data: drops undefined fields (DynamoDB cannot store them). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
