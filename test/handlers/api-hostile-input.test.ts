/**
 * The API on hostile requests, with the DynamoDB store on dynalite: page tokens whose keys DynamoDB
 * would refuse are a 400 before any call; a method that is no HTTP method of the route (`constructor`,
 * `__proto__`) is a 405; a body that is not declared JSON is a 415.
 */
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { runningScanRecord } from '../../lambdas/core/scan-record';
import { apiDependencies, handler } from '../../lambdas/handlers/api';
import type { ScanInvoker, ScanStartRequest } from '../../lambdas/handlers/wiring/scan-invoker';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { apiEvent, captureLogs, lambdaContext, type ApiEventOptions } from '../support/lambda-events';

const NOW = '2030-01-02T03:00:00.000Z';
const SCAN = 'scan-20300101T020000Z-aaaa0001';

let table: TestTable;
let store: DynamoDbFindingsStore;
let logs: ReturnType<typeof captureLogs>;
const started: ScanStartRequest[] = [];
const invoker: ScanInvoker = { start: async (request) => void started.push(request) };

async function call(method: string, path: string, options: ApiEventOptions = {}) {
  const result = await handler(apiEvent(method, path, options), lambdaContext('api-fn'));
  return { ...result, json: () => JSON.parse(result.body) as Record<string, any> };
}

const token = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

beforeAll(async () => {
  table = await createTestTable('api-hostile');
  store = new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 90, clock: fixedClock(NOW) });
  await store.putScan({ ...runningScanRecord(SCAN, 'scheduled', '2030-01-01T02:00:00.000Z') });
});
afterAll(async () => {
  await table.drop();
});
beforeEach(() => {
  logs = captureLogs();
  started.length = 0;
  apiDependencies.set({ store, scans: invoker, clock: fixedClock('2030-01-02T03:00:00.000Z'), configSuppressions: [], newScanId: () => 'scan-20300102T030000Z-bbbb0001', newSuppressionId: () => 'sup-1' });
});
afterEach(() => {
  apiDependencies.reset();
  logs.restore();
});

describe('page tokens over DynamoDB key limits', () => {
  it('a forged scans-listing token with a 1,025-byte sort key is a 400 naming nextToken, not a 500', async () => {
    const forged = token({ PK: `SCAN#${SCAN}`, SK: 'S'.repeat(1025), GSI1PK: 'SCANS', GSI1SK: '2030-01-01T02:00:00.000Z' });
    const response = await call('GET', '/scans', { query: { nextToken: forged } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_parameter', field: 'nextToken' });
  });

  it('a forged index sort key over 1,024 bytes (multi-byte characters) is a 400 too', async () => {
    const forged = token({ PK: `SCAN#${SCAN}`, SK: 'SCAN', GSI1PK: 'SCANS', GSI1SK: '€'.repeat(342) });
    expect((await call('GET', '/scans', { query: { nextToken: forged } })).statusCode).toBe(400);
  });

  it('a partition key within 2,048 bytes but over 1,024 is not refused for its length', async () => {
    const forged = token({ PK: `SCAN#${'p'.repeat(1500)}`, SK: 'SCAN', GSI1PK: 'SCANS', GSI1SK: '2030-01-01T02:00:00.000Z' });
    expect((await call('GET', '/scans', { query: { nextToken: forged } })).statusCode).toBe(200);
  });
});

describe('methods are looked up in each route\'s own table', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s on /scans is a 405 with the Allow header', async (method) => {
    const response = await call(method, '/scans');
    expect(response.statusCode).toBe(405);
    expect(response.headers?.['Allow']).toBe('GET, POST');
    expect(response.json().error.code).toBe('method_not_allowed');
    expect(started).toEqual([]);
  });
});

describe('a body must be declared JSON', () => {
  it.each<[string, ApiEventOptions]>([
    ['text/plain', { contentType: 'text/plain' }],
    ['no Content-Type', { contentType: null }],
    ['application/x-www-form-urlencoded', { contentType: 'application/x-www-form-urlencoded' }],
  ])('POST /scans with %s is a 415 and starts nothing', async (_name, options) => {
    const response = await call('POST', '/scans', { body: JSON.stringify({ regions: ['eu-west-1'] }), ...options });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatchObject({ code: 'unsupported_media_type', field: 'Content-Type' });
    expect(started).toEqual([]);
  });

  it('POST /suppressions with text/plain is a 415 and stores nothing', async () => {
    const body = JSON.stringify({ ruleId: 'cluster.mode', resourcePattern: 'i-0123456789abcdef0', reason: 'r', expiresAt: '2030-02-01T00:00:00Z' });
    expect((await call('POST', '/suppressions', { body, contentType: 'text/plain' })).statusCode).toBe(415);
    expect(await store.listSuppressions()).toEqual([]);
  });

  it('application/json with a charset, in any header case, is accepted', async () => {
    const response = await call('POST', '/scans', { body: '{}', contentType: null, headers: { 'content-type': 'Application/JSON; charset=utf-8' } });
    expect(response.statusCode).toBe(202);
  });
});
