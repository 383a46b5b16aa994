import { BatchWriteCommand, GetCommand, QueryCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbFindingsStore } from '../../../lambdas/adapters/store/dynamodb-findings-store';
import { InvalidNextTokenError } from '../../../lambdas/adapters/store/findings-store';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { UnprocessedItemsError, type RetryPolicy } from '../../../lambdas/adapters/store/batch-write';
import { keys } from '../../../lambdas/adapters/store/table-design';
import { nextFindingStates } from '../../../lambdas/core/finding-states';
import { SEVERITIES, type FindingStatus, type RuleId, type Severity, type StoredFinding } from '../../../lambdas/core/model';
import { aScanRecord, aStoredFinding } from '../../support/findings-fixture';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

const RETENTION_DAYS = 30;
const NO_WAIT: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {}, random: () => 0.5 };

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('store');
});
afterAll(async () => {
  await table.drop();
});

function storeWith(client: DynamoDBDocumentClient = table.documentClient, retry: RetryPolicy = NO_WAIT): DynamoDbFindingsStore {
  return new DynamoDbFindingsStore(client, { tableName: table.tableName, retentionDays: RETENTION_DAYS, clock: fixedClock('2030-01-01T00:00:00Z'), retry });
}

/** Findings over statuses x severities x rules, each on its own resource. */
function manyFindings(scanId: string, count: number): StoredFinding[] {
  const statuses: FindingStatus[] = ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];
  const rules: RuleId[] = ['instance.vcpu', 'instance.memory', 'redis.version'];
  return Array.from({ length: count }, (_, i) => {
    const status = statuses[i % statuses.length]!;
    return aStoredFinding(scanId, {
      resourceId: `i-${String(i).padStart(5, '0')}`,
      status,
      ruleStatus: status === 'SUPPRESSED' ? 'FAIL' : status,
      severity: SEVERITIES[Math.floor(i / statuses.length) % SEVERITIES.length]!,
      ruleId: rules[i % rules.length]!,
    });
  });
}

async function countFindingItems(scanId: string): Promise<number> {
  const out = await table.documentClient.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)', ExpressionAttributeValues: { ':pk': keys.scanPartition(scanId), ':p': 'FINDING#' }, Select: 'COUNT' }),
  );
  return out.Count ?? 0;
}

/** Wraps a client's send: the first BatchWrite of each request leaves `unprocessed` items unprocessed. */
function flakyClient(unprocessed: number, failures: number): { client: DynamoDBDocumentClient; batchCalls: () => number } {
  const real = table.documentClient;
  let calls = 0;
  const remainingFailures = new Map<string, number>();
  const client = Object.create(real) as DynamoDBDocumentClient;
  client.send = (async (command: unknown) => {
    if (command instanceof BatchWriteCommand) {
      calls++;
      const requests = command.input.RequestItems![table.tableName]!;
      const id = JSON.stringify(requests.map((r) => r.PutRequest?.Item?.SK ?? r.DeleteRequest?.Key?.SK));
      const left = remainingFailures.get(id) ?? failures;
      if (left > 0 && requests.length > 0) {
        const keep = requests.slice(0, Math.max(0, requests.length - unprocessed));
        const skipped = requests.slice(keep.length);
        if (keep.length > 0) await real.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: keep } }));
        const nextId = JSON.stringify(skipped.map((r) => r.PutRequest?.Item?.SK ?? r.DeleteRequest?.Key?.SK));
        remainingFailures.set(nextId, left - 1);
        return { UnprocessedItems: { [table.tableName]: skipped }, $metadata: {} } satisfies BatchWriteCommandOutput;
      }
    }
    return (real.send as (c: unknown) => Promise<unknown>)(command);
  }) as DynamoDBDocumentClient['send'];
  return { client, batchCalls: () => calls };
}

describe('DynamoDbFindingsStore on dynalite', () => {
  it('stores scan records and serves latest, newest-first pages and finished scans before one', async () => {
    const store = storeWith();
    await store.putScan(aScanRecord('scan-a', '2030-01-01T01:00:00.000Z'));
    await store.putScan(aScanRecord('scan-b', '2030-01-02T01:00:00.000Z', { status: 'PARTIAL' }));
    await store.putScan(aScanRecord('scan-c', '2030-01-03T01:00:00.000Z', { status: 'FAILED' }));
    await store.putScan(aScanRecord('scan-d', '2030-01-04T01:00:00.000Z', { status: 'RUNNING', finishedAt: undefined }));

    expect((await store.latestScan())?.scanId).toBe('scan-d');
    expect(await store.getScan('scan-b')).toEqual(aScanRecord('scan-b', '2030-01-02T01:00:00.000Z', { status: 'PARTIAL' }));
    expect(await store.getScan('nope')).toBeUndefined();

    const first = await store.listScans({ limit: 3 });
    expect(first.items.map((s) => s.scanId)).toEqual(['scan-d', 'scan-c', 'scan-b']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await store.listScans({ limit: 3, nextToken: first.nextToken! });
    expect(second.items.map((s) => s.scanId)).toEqual(['scan-a']);

    expect((await store.listFinishedScans({ limit: 10 })).map((s) => s.scanId)).toEqual(['scan-b', 'scan-a']);
    const d = (await store.getScan('scan-d'))!;
    expect((await store.listFinishedScans({ limit: 1, before: d })).map((s) => s.scanId)).toEqual(['scan-b']);
    const b = (await store.getScan('scan-b'))!;
    expect((await store.listFinishedScans({ limit: 5, before: b })).map((s) => s.scanId)).toEqual(['scan-a']);

    // Finishing a RUNNING scan puts it among the finished ones.
    await store.putScan({ ...d, status: 'COMPLETE', finishedAt: '2030-01-04T01:05:00.000Z' });
    expect((await store.listFinishedScans({ limit: 1 }))[0]?.scanId).toBe('scan-d');
  });

  it('writes findings in batches, idempotently, with a TTL from the retention', async () => {
    const store = storeWith();
    const scan = aScanRecord('scan-batch', '2030-02-01T00:00:00.000Z');
    const findings = manyFindings(scan.scanId, 113);
    await store.putFindings(scan, findings);
    expect(await countFindingItems(scan.scanId)).toBe(113);
    await store.putFindings(scan, findings);
    expect(await countFindingItems(scan.scanId)).toBe(113);

    const item = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { PK: keys.scanPartition(scan.scanId), SK: keys.findingSortKey(findings[7]!) } }));
    expect(item.Item?.expiresAt).toBe(Date.parse('2030-02-01T00:00:00.000Z') / 1000 + RETENTION_DAYS * 86400);
    expect(item.Item?.data).toEqual(findings[7]);

    const all = await store.allFindings(scan.scanId);
    expect(all).toHaveLength(113);
    expect(new Set(all.map((f) => f.resourceId)).size).toBe(113);
  });

  it('puts a TTL on scan records but not on finding states or waivers', async () => {
    const store = storeWith();
    const scan = aScanRecord('scan-ttl', '2030-03-01T00:00:00.000Z');
    await store.putScan(scan);
    const { states } = nextFindingStates([], [aStoredFinding(scan.scanId, { resourceId: 'i-ttl' })], { scanId: scan.scanId, at: scan.startedAt, targets: scan.targets });
    await store.putFindingStates(states);
    await store.putSuppression({ id: 'ttl-w', ruleId: '*', resourcePattern: 'i-*', reason: 'r', owner: 'o', expiresAt: '2030-04-01T00:00:00Z', createdAt: '2030-03-01T00:00:00Z' });
    const get = (Key: Record<string, string>) => table.documentClient.send(new GetCommand({ TableName: table.tableName, Key }));
    expect((await get(keys.scanRecord(scan.scanId))).Item?.expiresAt).toBe(Date.parse(scan.startedAt) / 1000 + RETENTION_DAYS * 86400);
    expect((await get({ PK: keys.statePartition(states[0]!), SK: keys.stateSortKey(states[0]!.ruleId) })).Item).not.toHaveProperty('expiresAt');
    expect((await get(keys.suppression('ttl-w'))).Item).not.toHaveProperty('expiresAt');
  });

  /**
   * Runs `write` through a client that notes, at each BatchWriteItem, how many plain copies of the
   * records had been made so far (each record counts its own JSON copies, its item's `data`).
   */
  async function copiesMadeAtEachBatchWrite(records: readonly object[], write: (client: DynamoDBDocumentClient) => Promise<unknown>): Promise<number[]> {
    let copied = 0;
    for (const record of records) Object.defineProperty(record, 'toJSON', { enumerable: false, value: () => (copied++, { ...record }) });
    const copiedAtEachWrite: number[] = [];
    const client = Object.create(table.documentClient) as DynamoDBDocumentClient;
    client.send = ((command: unknown) => {
      if (command instanceof BatchWriteCommand) copiedAtEachWrite.push(copied);
      return table.documentClient.send(command as BatchWriteCommand);
    }) as DynamoDBDocumentClient['send'];
    await write(client);
    return copiedAtEachWrite;
  }

  it('makes each finding item as its batch is sent, not every item of the scan before the first write', async () => {
    const scan = aScanRecord('scan-lazy', '2030-02-04T00:00:00.000Z');
    const findings = manyFindings(scan.scanId, 113);
    const copiedAtEachWrite = await copiesMadeAtEachBatchWrite(findings, (client) => storeWith(client).putFindings(scan, findings));
    expect(copiedAtEachWrite).toEqual([25, 50, 75, 100, 113]);
    const item = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { PK: keys.scanPartition(scan.scanId), SK: keys.findingSortKey(findings[112]!) } }));
    expect(item.Item?.data).toEqual({ ...findings[112] });
  });

  it('makes each finding state item as its batch is sent', async () => {
    const scan = aScanRecord('scan-lazy-states', '2030-02-05T00:00:00.000Z');
    const { states } = nextFindingStates([], manyFindings(scan.scanId, 60).map((f) => ({ ...f, resourceId: `${f.resourceId}-state`, status: 'FAIL' as const, ruleStatus: 'FAIL' as const })), { scanId: scan.scanId, at: scan.startedAt, targets: scan.targets });
    expect(states).toHaveLength(60);
    const copiedAtEachWrite = await copiesMadeAtEachBatchWrite(states, (client) => storeWith(client).putFindingStates(states));
    expect(copiedAtEachWrite).toEqual([25, 50, 60]);
    expect(await storeWith().getFindingState(states[59]!)).toEqual({ ...states[59] });
  });

  it('removes findings of a scan that a re-run no longer produces', async () => {
    const store = storeWith();
    const scan = aScanRecord('scan-rerun', '2030-02-02T00:00:00.000Z');
    const findings = manyFindings(scan.scanId, 30);
    await store.putFindings(scan, findings);
    await store.putFindings(scan, findings.slice(0, 20));
    expect(await countFindingItems(scan.scanId)).toBe(20);
  });

  it('retries UnprocessedItems until every item is written, and the re-run writes the same items', async () => {
    const { client, batchCalls } = flakyClient(7, 2);
    const store = storeWith(client);
    const scan = aScanRecord('scan-flaky', '2030-02-03T00:00:00.000Z');
    const findings = manyFindings(scan.scanId, 60);
    await store.putFindings(scan, findings);
    expect(await countFindingItems(scan.scanId)).toBe(60);
    // 3 batches (25, 25, 10), each failing twice before it went through.
    expect(batchCalls()).toBe(9);
    await store.putFindings(scan, findings);
    expect(await countFindingItems(scan.scanId)).toBe(60);
  });

  it('fails with a clear error naming how many items were not written when retries run out', async () => {
    const { client } = flakyClient(5, 100);
    const store = storeWith(client, { ...NO_WAIT, maxAttempts: 3 });
    const scan = aScanRecord('scan-lost', '2030-02-04T00:00:00.000Z');
    const error = await store.putFindings(scan, manyFindings(scan.scanId, 30)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect((error as UnprocessedItemsError).notWritten).toBe(10);
    expect((error as Error).message).toMatch(/^10 of 30 items were not written to table store-.* after 3 attempts/);
    expect(await countFindingItems(scan.scanId)).toBe(20);
  });

  describe('findings of a scan by status, severity and rule', () => {
    const scan = aScanRecord('scan-filter', '2030-02-05T00:00:00.000Z');
    const findings = manyFindings(scan.scanId, 75);
    beforeAll(async () => {
      await storeWith().putFindings(scan, findings);
    });

    const filters: Array<{ status?: FindingStatus; severity?: Severity; ruleId?: RuleId }> = [
      {},
      { status: 'FAIL' },
      { severity: 'critical' },
      { ruleId: 'instance.memory' },
      { status: 'FAIL', severity: 'critical' },
      { status: 'UNKNOWN', ruleId: 'redis.version' },
      { severity: 'medium', ruleId: 'instance.vcpu' },
      { status: 'SUPPRESSED', severity: 'low', ruleId: 'instance.memory' },
      { status: 'PASS', severity: 'critical' },
    ];

    it('has findings for every filter combination above (so the next test means something)', () => {
      for (const filter of filters) {
        expect(findings.some((f) => (!filter.status || f.status === filter.status) && (!filter.severity || f.severity === filter.severity) && (!filter.ruleId || f.ruleId === filter.ruleId))).toBe(true);
      }
    });

    it.each(filters)('serves %j exactly, across pages', async (filter) => {
      const store = storeWith();
      const expected = findings
        .filter((f) => (!filter.status || f.status === filter.status) && (!filter.severity || f.severity === filter.severity) && (!filter.ruleId || f.ruleId === filter.ruleId))
        .map((f) => f.resourceId)
        .sort();
      const got: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await store.listFindings(scan.scanId, { ...filter, limit: 4, ...(nextToken ? { nextToken } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(4);
        got.push(...page.items.map((f) => f.resourceId));
        nextToken = page.nextToken;
        pages++;
      } while (nextToken && pages < 100);
      expect(got.sort()).toEqual(expected);
    });

    const worstFirstFilters: Array<{ severity: Severity; ruleId?: RuleId }> = [{ severity: 'critical' }, { severity: 'high', ruleId: 'cluster.mode' }];
    it.each(worstFirstFilters)('lists %j worst first (status rank before rule), across pages', async (filter) => {
      const store = storeWith();
      const mixed = aScanRecord('scan-worst-first', '2030-02-06T00:00:00.000Z');
      // The rules sort in the opposite order of the statuses: a rule-first key would list UNKNOWN first.
      const rows: Array<[RuleId, FindingStatus]> = [['cluster.mode', 'PASS'], ['cluster.mode', 'UNKNOWN'], ['redis.version', 'FAIL'], ['cluster.mode', 'FAIL'], ['cluster.mode', 'NOT_APPLICABLE'], ['cluster.mode', 'SUPPRESSED'], ['instance.vcpu', 'UNKNOWN']];
      const severity = filter.severity;
      await store.putFindings(mixed, rows.flatMap(([ruleId, status], i) => [0, 1].map((n) => aStoredFinding(mixed.scanId, { resourceId: `i-worst-${i}-${n}`, ruleId, status, ruleStatus: status === 'SUPPRESSED' ? 'FAIL' : status, severity }))));
      const got: StoredFinding[] = [];
      let nextToken: string | undefined;
      do {
        const page = await store.listFindings(mixed.scanId, { ...filter, limit: 3, ...(nextToken ? { nextToken } : {}) });
        got.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      const order: FindingStatus[] = ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];
      const expected = rows.filter(([ruleId]) => !filter.ruleId || ruleId === filter.ruleId).flatMap(([, status]) => [status, status]).sort((a, b) => order.indexOf(a) - order.indexOf(b));
      expect(got.map((f) => f.status)).toEqual(expected);
      expect(new Set(got.map((f) => f.resourceId)).size).toBe(got.length);
    });

    it('lists worst first when unfiltered', async () => {
      const page = await storeWith().listFindings(scan.scanId, { limit: 20 });
      const order: FindingStatus[] = ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];
      const ranks = page.items.map((f) => order.indexOf(f.status) * 10 + SEVERITIES.indexOf(f.severity));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(page.items[0]!.status).toBe('FAIL');
    });

    it.each([
      ['garbage', 'not base64!'],
      ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
      ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
      ['wrong attributes', Buffer.from(JSON.stringify({ PK: 'x', SK: 'y' })).toString('base64url')],
      ['another scan', Buffer.from(JSON.stringify({ PK: 'SCAN#other', SK: 'FINDING#x', GSI2PK: 'SCAN#other#FINDINGS', GSI2SK: '0:FAIL#x' })).toString('base64url')],
      ['non-string values', Buffer.from(JSON.stringify({ PK: 1, SK: 2, GSI2PK: 3, GSI2SK: 4 })).toString('base64url')],
    ])('rejects a nextToken that is %s', async (_label, nextToken) => {
      await expect(storeWith().listFindings(scan.scanId, { nextToken })).rejects.toBeInstanceOf(InvalidNextTokenError);
    });

    it('rejects a token from one filter used with another', async () => {
      const store = storeWith();
      const fails = await store.listFindings(scan.scanId, { status: 'FAIL', limit: 2 });
      expect(fails.nextToken).toBeDefined();
      await expect(store.listFindings(scan.scanId, { status: 'PASS', nextToken: fails.nextToken! })).rejects.toBeInstanceOf(InvalidNextTokenError);
      await expect(store.listScans({ nextToken: fails.nextToken! })).rejects.toBeInstanceOf(InvalidNextTokenError);
    });
  });

  it('serves the history of one resource newest scan first, long hostile ids included', async () => {
    const store = storeWith();
    const hostile = `111122223333/eu-west-1/${'<script>'.repeat(700)}`;
    for (const [scanId, startedAt] of [['h1', '2030-05-01T00:00:00.000Z'], ['h2', '2030-05-02T00:00:00.000Z'], ['h3', '2030-05-03T00:00:00.000Z']] as const) {
      await store.putFindings({ scanId, startedAt }, [
        aStoredFinding(scanId, { resourceId: 'i-hist', ruleId: 'instance.vcpu' }),
        aStoredFinding(scanId, { resourceId: 'i-hist', ruleId: 'instance.memory' }),
        aStoredFinding(scanId, { resourceId: 'i-other' }),
        aStoredFinding(scanId, { resourceType: 'Redis::Cluster', resourceId: hostile, ruleId: 'cluster.size' }),
      ]);
    }
    const page1 = await store.resourceHistory({ accountId: '111122223333', region: 'eu-west-1', resourceId: 'i-hist' }, { limit: 4 });
    const page2 = await store.resourceHistory({ accountId: '111122223333', region: 'eu-west-1', resourceId: 'i-hist' }, { limit: 4, nextToken: page1.nextToken! });
    expect([...page1.items, ...page2.items].map((f) => `${f.scanId}:${f.ruleId}`)).toEqual([
      'h3:instance.vcpu',
      'h3:instance.memory',
      'h2:instance.vcpu',
      'h2:instance.memory',
      'h1:instance.vcpu',
      'h1:instance.memory',
    ]);
    const hostileHistory = await store.resourceHistory({ accountId: '111122223333', region: 'eu-west-1', resourceId: hostile });
    expect(hostileHistory.items.map((f) => f.scanId)).toEqual(['h3', 'h2', 'h1']);
    expect(hostileHistory.items[0]!.resourceId).toBe(hostile);
  });

  it('keeps the current state per (resource, rule)', async () => {
    const store = storeWith();
    const s1 = { scanId: 'st1', at: '2030-06-01T00:00:00.000Z', targets: [{ accountId: '111122223333', region: 'eu-west-1' }] };
    const first = nextFindingStates(await store.listFindingStates(), [aStoredFinding('st1', { resourceId: 'i-state' })], s1);
    await store.putFindingStates(first.states);
    const second = nextFindingStates(await store.listFindingStates(), [aStoredFinding('st2', { resourceId: 'i-state' })], { ...s1, scanId: 'st2', at: '2030-06-02T00:00:00.000Z' });
    await store.putFindingStates(second.states);
    const state = await store.getFindingState({ accountId: '111122223333', region: 'eu-west-1', resourceId: 'i-state', ruleId: 'instance.vcpu' });
    expect(state).toMatchObject({ state: 'OPEN', firstSeen: '2030-06-01T00:00:00.000Z', lastSeen: '2030-06-02T00:00:00.000Z' });
    expect((await store.listFindingStates()).filter((s) => s.resourceId === 'i-state')).toHaveLength(1);
  });

  it('creates, lists, reads and deletes waivers', async () => {
    const store = storeWith();
    const w = { id: 'w-crud', ruleId: 'instance.vcpu' as const, resourcePattern: 'i-0abc*', reason: 'Replacement ordered', owner: 'team', expiresAt: '2030-09-01T00:00:00Z', createdAt: '2030-08-01T00:00:00Z' };
    await store.putSuppression(w);
    await store.putSuppression({ ...w, id: 'w-crud-2' });
    expect(await store.getSuppression('w-crud')).toEqual(w);
    expect((await store.listSuppressions()).map((s) => s.id)).toEqual(expect.arrayContaining(['w-crud', 'w-crud-2']));
    expect(await store.deleteSuppression('w-crud')).toBe(true);
    expect(await store.deleteSuppression('w-crud')).toBe(false);
    expect(await store.getSuppression('w-crud')).toBeUndefined();
  });
});
