/** FindingsStore.listFindingOutlines: a status's findings, in listFindings' order, with only the outline's fields. */
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../../lambdas/adapters/store/dynamodb-findings-store';
import type { FindingsStore } from '../../../lambdas/adapters/store/findings-store';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import type { FindingStatus, StoredFinding } from '../../../lambdas/core/model';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';
import { storedFinding } from '../../support/report-fixtures';

const SCAN = { scanId: 'scan-outlines', startedAt: '2026-11-25T02:00:00.000Z' };
const OUTLINE_FIELDS = ['accountId', 'region', 'resourceId', 'resourceName', 'ruleId', 'severity', 'status', 'title'];

function findings(): StoredFinding[] {
  const statuses: FindingStatus[] = ['PASS', 'NOT_APPLICABLE', 'FAIL'];
  return Array.from({ length: 23 }, (_, i) =>
    storedFinding({
      scanId: SCAN.scanId,
      resourceId: `i-${String(i).padStart(17, '0')}`,
      ruleId: i % 2 === 0 ? 'instance.vcpu' : 'instance.disk',
      status: statuses[i % 3]!,
      severity: i % 4 === 0 ? 'high' : 'low',
      // Some without a name: the outline leaves it out, as the finding does.
      ...(i % 5 === 0 ? { resourceName: undefined } : { resourceName: `redis-${i}` }),
      title: `title ${i}`,
    }),
  );
}

async function everyPage<T>(list: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await list(token);
    out.push(...page.items);
    token = page.nextToken;
  } while (token);
  return out;
}

async function expectOutlines(store: FindingsStore): Promise<void> {
  await store.putFindings(SCAN, findings());
  for (const status of ['PASS', 'NOT_APPLICABLE'] as const) {
    const full = await everyPage((nextToken) => store.listFindings(SCAN.scanId, { status, limit: 3, ...(nextToken ? { nextToken } : {}) }));
    const outlines = await everyPage((nextToken) => store.listFindingOutlines(SCAN.scanId, { status, limit: 3, ...(nextToken ? { nextToken } : {}) }));
    expect(full.length).toBeGreaterThan(3);
    expect(outlines).toEqual(full.map((f) => Object.fromEntries(OUTLINE_FIELDS.filter((k) => f[k as keyof StoredFinding] !== undefined).map((k) => [k, f[k as keyof StoredFinding]]))));
    for (const outline of outlines) expect(Object.keys(outline).every((k) => OUTLINE_FIELDS.includes(k))).toBe(true);
    expect(outlines.some((o) => !('resourceName' in o))).toBe(true);
  }
}

describe('listFindingOutlines', () => {
  let table: TestTable;
  beforeEach(async () => {
    table = await createTestTable('finding-outlines');
  });
  afterEach(async () => {
    await table.drop();
  });

  it('on DynamoDB (dynalite): the status\'s findings page by page, only the outline\'s fields (a projection)', async () => {
    await expectOutlines(new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 90, clock: fixedClock('2026-11-25T02:05:00.000Z') }));
  });

  it('in memory: the same', async () => {
    await expectOutlines(new InMemoryFindingsStore());
  });
});
