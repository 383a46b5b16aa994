/**
 * GET /reports/latest when the report is larger than an API response may be (Lambda's 6 MB
 * synchronous payload, under API Gateway's 10 MB): stored in S3 (s3rver on 127.0.0.1) and answered
 * 303 with a short-lived presigned URL that serves exactly the report; a report that fits is still
 * answered directly; without a bucket the API says 413 instead of failing at API Gateway.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { ReportObjectStore } from '../../lambdas/adapters/reports/report-object-store';
import { ConfigSchema } from '../../lambdas/core/config';
import { apiDependencies, handler, type ApiDependencies } from '../../lambdas/handlers/api';
import { runScan } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fitsApiResponse, LAMBDA_RESPONSE_LIMIT_BYTES } from '../../lambdas/handlers/wiring/large-responses';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { generateEstate } from '../support/aws-fakes/generate-estate';
import { apiEvent, captureLogs, lambdaContext } from '../support/lambda-events';
import { startLocalS3, type LocalS3 } from '../support/local-s3';

const BUCKET = 'redis-compliance-reports';
let s3: LocalS3;
let store: InMemoryFindingsStore;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  store = new InMemoryFindingsStore();
  let t = Date.parse('2030-01-01T02:00:00Z');
  // 1,500 instances: ~8k findings, a JSON report over 6 MB.
  const snapshot = { format: 'redis-compliance/snapshot@1', capturedAt: '2030-01-01T01:00:00.000Z', targets: [generateEstate(1500).builder.target] };
  const seedLogs = captureLogs();
  try {
    await runScan({ scanId: 'scan-big', trigger: 'scheduled' }, { store, snapshots: fixedSnapshotSource(snapshot as never), publisher: new CollectingPublisher(), clock: { now: () => new Date((t += 1000)) }, config: ConfigSchema.parse({}) });
  } finally {
    seedLogs.restore();
  }
}, 120_000);
afterAll(async () => s3.stop());

let reports: ReportObjectStore;
beforeEach(() => {
  logs = captureLogs();
  reports = new ReportObjectStore(BUCKET, { clientConfig: s3.clientConfig });
  const deps: ApiDependencies = { store, scans: { start: async () => undefined }, clock: fixedClock('2030-01-02T03:00:00.000Z'), configSuppressions: [], reportStorage: reports };
  apiDependencies.set(deps);
});
afterEach(() => {
  reports.destroy();
  logs.restore();
  apiDependencies.reset();
});

const get = (format: string): Promise<APIGatewayProxyResult> => handler(apiEvent('GET', '/reports/latest', { query: { format } }), lambdaContext('api-fn'));

test('a JSON report over the limit: 303 to a presigned URL (5 minutes) that serves the whole report', async () => {
  const result = await get('json');
  expect(result.statusCode).toBe(303);
  expect(result.body).toBe('');
  const location = new URL(String(result.headers!['Location']));
  expect(location.origin).toBe(s3.endpoint);
  expect(location.pathname).toBe(`/${BUCKET}/reports/scan-big/report.json`);
  expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
  expect(location.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  expect(result.headers!['Cache-Control']).toBe('no-store');

  const download = await fetch(location);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const body = await download.text();
  expect(Buffer.byteLength(body)).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT_BYTES);
  const report = JSON.parse(body);
  const scan = (await store.getScan('scan-big'))!;
  expect(report.findings).toHaveLength(Object.values(scan.counts).reduce((a, b) => a + b, 0));
  expect(report.findings.length).toBeGreaterThan(8_000);
}, 60_000);

test('the CSV keeps its download name in S3; the compact HTML of the same scan fits and is answered directly', async () => {
  const csv = await get('csv');
  expect(csv.statusCode).toBe(303);
  const download = await fetch(String(csv.headers!['Location']));
  expect(download.headers.get('content-disposition')).toBe('attachment; filename="redis-compliance-scan-big.csv"');
  expect((await download.text()).split('\n').length).toBeGreaterThan(8_000);
  const html = await get('html');
  expect(html.statusCode).toBe(200);
  expect(fitsApiResponse(html)).toBe(true);
  expect(html.body.startsWith('<!doctype html>')).toBe(true);
}, 60_000);

test('without a report bucket a report over the limit is refused with 413 and a way out, not sent to fail at API Gateway', async () => {
  apiDependencies.set({ ...apiDependencies.get(), reportStorage: undefined } as ApiDependencies);
  const result = await get('json');
  expect(result.statusCode).toBe(413);
  expect(JSON.parse(result.body).error).toMatchObject({ code: 'payload_too_large' });
  expect(JSON.parse(result.body).error.message).toContain('/scans/{id}/findings');
}, 60_000);
