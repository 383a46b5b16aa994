import type { APIGatewayProxyResult } from 'aws-lambda';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { ConfigSchema } from '../../lambdas/core/config';
import type { Suppression } from '../../lambdas/core/model';
import { apiDependencies, handler, type ApiDependencies } from '../../lambdas/handlers/api';
import { runScan } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import type { ScanInvoker, ScanStartRequest } from '../../lambdas/handlers/wiring/scan-invoker';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { compliantEstate } from '../support/estate-builder';
import { INSTANCE_TYPES } from '../support/instance-types';
import { apiEvent, captureLogs, lambdaContext, type ApiEventOptions } from '../support/lambda-events';

const NOW = '2030-01-02T03:00:00.000Z';
const HOSTILE = '<script>alert(1)</script>';

class RecordingInvoker implements ScanInvoker {
  readonly started: ScanStartRequest[] = [];
  async start(request: ScanStartRequest) {
    this.started.push(request);
  }
}

let store: InMemoryFindingsStore;
let invoker: RecordingInvoker;
let logs: ReturnType<typeof captureLogs>;
const configWaiver: Suppression = { id: 'config-1', ruleId: 'cluster.mode', resourcePattern: '*', reason: 'Sentinel until Q3', owner: 'ops', expiresAt: '2030-06-01T00:00:00Z', createdAt: NOW };

async function seed(): Promise<void> {
  let t = Date.parse('2030-01-01T02:00:00Z');
  const estate = compliantEstate()
    .mutate((target) => {
      const instance = target.ec2.Reservations[0]!.Instances![0]!;
      instance.InstanceType = 'm5.large';
      instance.Tags = instance.Tags!.map((tag) => (tag.Key === 'Name' ? { Key: 'Name', Value: HOSTILE } : tag));
      target.ec2.InstanceTypes.push(INSTANCE_TYPES['m5.large']);
    })
    .snapshot();
  await runScan(
    { scanId: 'scan-1', trigger: 'scheduled' },
    { store, snapshots: fixedSnapshotSource(estate), publisher: new CollectingPublisher(), clock: { now: () => new Date((t += 1000)) }, config: ConfigSchema.parse({}) },
  );
}

beforeEach(async () => {
  logs = captureLogs();
  store = new InMemoryFindingsStore();
  invoker = new RecordingInvoker();
  const deps: ApiDependencies = { store, scans: invoker, clock: fixedClock(NOW), configSuppressions: [configWaiver], newScanId: () => 'scan-new', newSuppressionId: () => 'sup-1' };
  apiDependencies.set(deps);
});
afterEach(() => {
  logs.restore();
  apiDependencies.reset();
});

async function call(method: string, path: string, options: ApiEventOptions = {}): Promise<APIGatewayProxyResult & { json: () => any }> {
  const result = await handler(apiEvent(method, path, options), lambdaContext('api-fn'));
  return { ...result, json: () => JSON.parse(result.body) };
}

function expectSecurityHeaders(result: APIGatewayProxyResult, csp = "default-src 'none'; frame-ancestors 'none'") {
  expect(result.headers).toMatchObject({
    'Strict-Transport-Security': expect.stringMatching(/^max-age=\d{7,}/),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': csp,
  });
}

function expectError(result: APIGatewayProxyResult & { json: () => any }, status: number, code: string, field?: string) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  expectSecurityHeaders(result);
  const body = result.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (field !== undefined) expect(body.error.field).toBe(field);
  expect(result.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('POST /scans', () => {
  it('answers 202 with the scan id, registers the scan and starts it asynchronously', async () => {
    const result = await call('POST', '/scans', { body: JSON.stringify({ regions: ['eu-west-1'] }), headers: { 'Content-Type': 'application/json' } });
    expect(result.statusCode).toBe(202);
    expectSecurityHeaders(result);
    expect(result.headers?.Location).toBe('/scans/scan-new');
    expect(result.json()).toMatchObject({ scanId: 'scan-new', status: 'RUNNING' });
    expect(invoker.started).toEqual([{ scanId: 'scan-new', trigger: 'api', regions: ['eu-west-1'] }]);
    expect(await store.getScan('scan-new')).toMatchObject({ status: 'RUNNING', trigger: 'api', startedAt: NOW });
  });

  it('accepts an empty body', async () => {
    expect((await call('POST', '/scans')).statusCode).toBe(202);
    expect(invoker.started).toEqual([{ scanId: 'scan-new', trigger: 'api' }]);
  });

  it.each([
    ['bad JSON', { body: '{"regions": [' }, 400, 'invalid_json', 'body'],
    ['not an object', { body: '["eu-west-1"]' }, 400, 'invalid_body', 'body'],
    ['unknown field', { body: '{"region": "eu-west-1"}' }, 400, 'invalid_body', 'region'],
    ['bad region', { body: '{"regions": ["Mars"]}' }, 400, 'invalid_body', 'regions.0'],
    ['empty regions', { body: '{"regions": []}' }, 400, 'invalid_body', 'regions'],
    ['bad account', { body: '{"accounts": ["12345"]}' }, 400, 'invalid_body', 'accounts.0'],
    ['query parameter', { query: { force: 'true' } }, 400, 'invalid_parameter', 'force'],
    ['a body too large', { body: JSON.stringify({ regions: Array(3000).fill('eu-west-1') }) }, 413, 'payload_too_large', 'body'],
  ])('rejects %s', async (_label, options, status, code, field) => {
    expectError(await call('POST', '/scans', options as ApiEventOptions), status, code, field);
    expect(invoker.started).toEqual([]);
  });

  it('reads a base64-encoded body', async () => {
    const result = await call('POST', '/scans', { body: Buffer.from('{"accounts":["111122223333"]}').toString('base64'), isBase64Encoded: true });
    expect(result.statusCode).toBe(202);
    expect(invoker.started[0]).toMatchObject({ accounts: ['111122223333'] });
  });
});

describe('GET /scans and /scans/{id}', () => {
  beforeEach(seed);

  it('lists scans newest first with paging', async () => {
    await store.putScan({ ...(await store.getScan('scan-1'))!, scanId: 'scan-0', startedAt: '2029-12-31T02:00:00.000Z' });
    const first = await call('GET', '/scans', { query: { limit: '1' } });
    expect(first.statusCode).toBe(200);
    expectSecurityHeaders(first);
    expect(first.json().items.map((s: { scanId: string }) => s.scanId)).toEqual(['scan-1']);
    const second = await call('GET', '/scans', { query: { limit: '1', nextToken: first.json().nextToken } });
    expect(second.json()).toEqual({ items: [expect.objectContaining({ scanId: 'scan-0' })] });
  });

  it('returns one scan, or 404', async () => {
    const found = await call('GET', '/scans/scan-1');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ scanId: 'scan-1', status: 'COMPLETE' });
    expectError(await call('GET', '/scans/scan-404'), 404, 'not_found');
  });

  it.each([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit not a number', { limit: 'ten' }, 'limit'],
    ['limit negative', { limit: '-1' }, 'limit'],
    ['limit twice', { limit: ['1', '2'] }, 'limit'],
    ['a forged nextToken', { nextToken: Buffer.from('{"listing":"other","after":"x"}').toString('base64url') }, 'nextToken'],
    ['a garbage nextToken', { nextToken: '%%%' }, 'nextToken'],
    ['an unknown parameter', { order: 'asc' }, 'order'],
  ])('GET /scans rejects %s', async (_label, query, field) => {
    expectError(await call('GET', '/scans', { query }), 400, 'invalid_parameter', field);
  });

  it('rejects a malformed scan id and a malformed path', async () => {
    expectError(await call('GET', `/scans/${encodeURIComponent('bad id!')}`), 400, 'invalid_parameter', 'scanId');
    expectError(await call('GET', '/scans/%E0%A4%A'), 400, 'invalid_parameter', 'path');
  });
});

describe('GET /scans/{id}/findings', () => {
  beforeEach(seed);

  it('filters by status, severity and rule, with paging', async () => {
    const all = await store.allFindings('scan-1');
    const fails = all.filter((f) => f.status === 'FAIL');
    expect(fails.length).toBeGreaterThan(1);
    const first = await call('GET', '/scans/scan-1/findings', { query: { status: 'FAIL', limit: '1' } });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.scanId).toBe('scan-1');
    expect(body.items).toHaveLength(1);
    const rest = await call('GET', '/scans/scan-1/findings', { query: { status: 'FAIL', limit: '100', nextToken: body.nextToken } });
    expect([...body.items, ...rest.json().items].map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(fails.map((f) => f.ruleId).sort());

    const byRule = await call('GET', '/scans/scan-1/findings', { query: { rule: 'instance.vcpu', severity: fails.find((f) => f.ruleId === 'instance.vcpu')!.severity } });
    expect(byRule.json().items.map((f: { status: string }) => f.status)).toContain('FAIL');
    expect(byRule.json().items.every((f: { ruleId: string }) => f.ruleId === 'instance.vcpu')).toBe(true);
  });

  it('returns findings with hostile tag values as JSON data', async () => {
    const result = await call('GET', '/scans/scan-1/findings', { query: { status: 'FAIL' } });
    expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(result.json().items.some((f: { resourceName?: string }) => f.resourceName === HOSTILE)).toBe(true);
  });

  it.each([
    ['unknown status', { status: 'BROKEN' }, 'status'],
    ['lower-case status', { status: 'fail' }, 'status'],
    ['unknown severity', { severity: 'urgent' }, 'severity'],
    ['unknown rule', { rule: 'redis.colour' }, 'rule'],
    ['limit out of range', { limit: '1000' }, 'limit'],
    ['bad nextToken', { nextToken: 'bm90IGEgdG9rZW4' }, 'nextToken'],
    ['empty nextToken', { nextToken: '' }, 'nextToken'],
    ['unknown parameter', { statuss: 'FAIL' }, 'statuss'],
  ])('rejects %s', async (_label, query, field) => {
    expectError(await call('GET', '/scans/scan-1/findings', { query }), 400, 'invalid_parameter', field);
  });

  it('rejects a token from another filter of the same scan', async () => {
    const token = (await call('GET', '/scans/scan-1/findings', { query: { status: 'FAIL', limit: '1' } })).json().nextToken;
    expectError(await call('GET', '/scans/scan-1/findings', { query: { status: 'PASS', nextToken: token } }), 400, 'invalid_parameter', 'nextToken');
  });

  it('answers 404 for an unknown scan', async () => {
    expectError(await call('GET', '/scans/scan-404/findings'), 404, 'not_found');
  });
});

describe('GET /reports/latest', () => {
  it('answers 404 before any scan finished', async () => {
    expectError(await call('GET', '/reports/latest'), 404, 'not_found');
  });

  describe('after a scan', () => {
    beforeEach(seed);

    it('defaults to JSON', async () => {
      const result = await call('GET', '/reports/latest');
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
      expectSecurityHeaders(result);
      expect(JSON.stringify(result.json())).toContain('scan-1');
    });

    it('serves HTML with a CSP that allows only its inline CSS and SVG, hostile values escaped', async () => {
      const result = await call('GET', '/reports/latest', { query: { format: 'html' } });
      expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(result, "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      expect(result.body).toMatch(/^<!doctype html>/);
      expect(result.body).not.toContain(HOSTILE);
      expect(result.body).toContain('&lt;script&gt;');
    });

    it('serves Markdown and CSV', async () => {
      const markdown = await call('GET', '/reports/latest', { query: { format: 'markdown' } });
      expect(markdown.headers?.['Content-Type']).toBe('text/markdown; charset=utf-8');
      expect(markdown.body).toContain('scan-1');
      const csv = await call('GET', '/reports/latest', { query: { format: 'csv' } });
      expect(csv.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers?.['Content-Disposition']).toBe('attachment; filename="redis-compliance-scan-1.csv"');
      expect(csv.body.split('\n').length).toBeGreaterThan((await store.allFindings('scan-1')).length);
    });

    it.each([
      ['an unknown format', { format: 'pdf' }, 'format'],
      ['format twice', { format: ['html', 'csv'] }, 'format'],
      ['an unknown parameter', { scanId: 'scan-1' }, 'scanId'],
    ])('rejects %s', async (_label, query, field) => {
      expectError(await call('GET', '/reports/latest', { query }), 400, 'invalid_parameter', field);
    });
  });
});

describe('suppressions', () => {
  const valid = { ruleId: 'instance.vcpu', resourcePattern: 'i-0aaa*', reason: 'Replacement ordered', expiresAt: '2030-03-01T00:00:00Z' };
  const userArn = 'arn:aws:iam::111122223333:user/platform-lead';

  it('creates (201), lists with the config ones, and deletes (204) a waiver', async () => {
    const created = await call('POST', '/suppressions', { body: JSON.stringify(valid), userArn });
    expect(created.statusCode).toBe(201);
    expectSecurityHeaders(created);
    expect(created.headers?.Location).toBe('/suppressions/sup-1');
    expect(created.json()).toEqual({ id: 'sup-1', ...valid, owner: userArn, createdAt: NOW, source: 'api' });
    expect(await store.getSuppression('sup-1')).toEqual({ id: 'sup-1', ...valid, owner: userArn, createdAt: NOW });

    const listed = await call('GET', '/suppressions');
    expect(listed.json().items.map((s: { id: string; source: string }) => [s.id, s.source])).toEqual([
      ['sup-1', 'api'],
      ['config-1', 'config'],
    ]);

    const deleted = await call('DELETE', '/suppressions/sup-1');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectSecurityHeaders(deleted);
    expect(await store.getSuppression('sup-1')).toBeUndefined();
    expectError(await call('DELETE', '/suppressions/sup-1'), 404, 'not_found');
  });

  it('refuses to delete a waiver that lives in the config file', async () => {
    expectError(await call('DELETE', '/suppressions/config-1'), 409, 'conflict');
  });

  it.each([
    ['bad JSON', '{"ruleId":', 'invalid_json', 'body'],
    ['an empty body', '', 'invalid_body', 'body'],
    ['an array', '[]', 'invalid_body', 'body'],
    ['a missing reason', JSON.stringify({ ...valid, reason: undefined }), 'invalid_body', 'reason'],
    ['an owner in the body', JSON.stringify({ ...valid, owner: 'someone-else' }), 'invalid_body', 'owner'],
    ['an unknown rule', JSON.stringify({ ...valid, ruleId: 'nope' }), 'invalid_body', 'ruleId'],
    ['expiresAt in the past', JSON.stringify({ ...valid, expiresAt: '2030-01-01T00:00:00Z' }), 'invalid_body', 'expiresAt'],
    ['expiresAt not ISO', JSON.stringify({ ...valid, expiresAt: '01/03/2030' }), 'invalid_body', 'expiresAt'],
    ['a pattern too long', JSON.stringify({ ...valid, resourcePattern: 'i'.repeat(257) }), 'invalid_body', 'resourcePattern'],
    ['an unknown field', JSON.stringify({ ...valid, id: 'mine' }), 'invalid_body', 'id'],
  ])('POST rejects %s', async (_label, body, code, field) => {
    expectError(await call('POST', '/suppressions', { body, userArn }), 400, code, field);
    expect(await store.listSuppressions()).toEqual([]);
  });

  it('DELETE rejects a malformed id', async () => {
    expectError(await call('DELETE', `/suppressions/${encodeURIComponent('../../etc')}`), 400, 'invalid_parameter', 'id');
  });
});

describe('routing, errors and logging', () => {
  it.each([
    ['DELETE', '/scans', 'GET, POST'],
    ['PUT', '/scans/scan-1', 'GET'],
    ['POST', '/scans/scan-1/findings', 'GET'],
    ['POST', '/reports/latest', 'GET'],
    ['PATCH', '/suppressions', 'GET, POST'],
    ['GET', '/suppressions/sup-1', 'DELETE'],
    ['DELETE', '/suppressions', 'GET, POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const result = await call(method, path);
    expectError(result, 405, 'method_not_allowed');
    expect(result.headers?.Allow).toBe(allow);
  });

  it.each(['/', '/scan', '/scans/scan-1/findings/extra', '/reports', '/reports/oldest', '/admin'])('GET %s is 404', async (path) => {
    expectError(await call('GET', path), 404, 'not_found');
  });

  it('answers an unexpected failure with 500, the request id and no internals', async () => {
    const failing = new InMemoryFindingsStore();
    failing.listScans = async () => {
      throw new Error('ECONNREFUSED 10.0.0.1:443 at /var/task/index.js:12:34 secret-table-name');
    };
    apiDependencies.set({ store: failing, scans: invoker, clock: fixedClock(NOW), configSuppressions: [] });
    const result = await call('GET', '/scans', { requestId: 'req-500' });
    expectError(result, 500, 'internal_error');
    expect(result.json().error.requestId).toBe('req-500');
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('secret-table-name');
    const logged = logs.lines().find((l) => l.message === 'request failed');
    expect(logged).toMatchObject({ level: 'ERROR', correlation_id: 'req-500', function_name: 'api-fn' });
  });

  it('logs every request with the API Gateway request id', async () => {
    await call('GET', '/scans/scan-404', { requestId: 'req-404' });
    expect(logs.lines().find((l) => l.message === 'request rejected')).toMatchObject({ correlation_id: 'req-404', status: 404 });
  });
});
