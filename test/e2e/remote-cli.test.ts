/**
 * `redis-compliance remote ...` against an API on 127.0.0.1 that verifies every request's SigV4
 * signature with the SDK's signer (403 on a mismatch, as API Gateway's AWS_IAM authorisation would).
 * Credentials reach the CLI through the SDK's default provider chain (environment variables here).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { capturedCliIo } from '../support/captured-cli-io';
import { regionFromHost } from '../../cli/remote/signed-api-client';
import type { ScanRecord } from '../../lambdas/core/model';
import { aScanRecord, aStoredFinding } from '../support/findings-fixture';
import { startVerifyingApi, type VerifyingApi } from './sigv4-verifying-api';

const KEY_ID = 'AKIDEXAMPLEREMOTE01';
const SECRET = 'remote-cli-test-secret-key/with+chars';

const io = capturedCliIo;

const noWait = { sleep: async () => undefined };
let api: VerifyingApi;
let finished: (scanId: string) => ScanRecord;
const savedEnv = { ...process.env };
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'remote-cli-'));
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  process.env.AWS_CONFIG_FILE = join(dir, 'none');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none');
  finished = (scanId) => aScanRecord(scanId, '2026-11-26T10:00:00.000Z', { failBySeverity: { critical: 0, high: 2, medium: 1, low: 0, info: 0 }, counts: { PASS: 40, FAIL: 3, UNKNOWN: 1, NOT_APPLICABLE: 2, SUPPRESSED: 0 }, redisServers: 6 });
  const findings = Array.from({ length: 130 }, (_, i) => aStoredFinding('scan-x', { resourceId: `i-${String(i).padStart(17, '0')}`, status: i < 3 ? 'FAIL' : 'PASS', ruleStatus: i < 3 ? 'FAIL' : 'PASS', severity: i < 2 ? 'high' : 'medium' }));
  api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 2, findings, report: (format) => (format === 'html' ? '<!doctype html><title>report</title>' : `report as ${format}`) });
});

afterEach(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  process.env = { ...savedEnv };
});

// The test API is on 127.0.0.1: the CLI signs for it only as a declared custom domain.
const remote = (...args: string[]) => ['remote', ...args, '--api', api.url, '--region', 'eu-west-1', '--custom-domain'];

describe('remote scan', () => {
  it('starts a signed scan, waits with a progress line, prints the summary and exits 1 on a high FAIL', async () => {
    const t = io();
    const code = await runCli(remote('scan', '--regions', 'eu-west-1,us-east-1', '--wait', '--fail-on', 'high'), t.io, {}, noWait);
    expect(code).toBe(1);
    expect(api.requests.every((r) => r.status !== 403)).toBe(true);
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/prod/scans', status: 202 });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ regions: ['eu-west-1', 'us-east-1'] });
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(3); // RUNNING, RUNNING, COMPLETE
    expect(t.err()).toMatch(/Scan scan-.* running… \d+ s\n[\s\S]*Scan scan-.* COMPLETE after \d+ s/);
    expect(t.out()).toContain('Failing by severity: critical 0, high 2, medium 1, low 0, info 0');
  });

  it('exits 0 when nothing fails at or above --fail-on', async () => {
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical'), io().io, {}, noWait)).toBe(0);
  });

  it('exits 4 (a failure of the run) when the scan failed', async () => {
    finished = (scanId) => aScanRecord(scanId, '2026-11-26T10:00:00.000Z', { status: 'FAILED', redisServers: 6 });
    expect(await runCli(remote('scan', '--wait'), io().io, {}, noWait)).toBe(4);
  });

  it('exits 3 on a PARTIAL scan or one that found no Redis server, unless accepted', async () => {
    const error = { accountId: '444455556666', region: 'us-east-1', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'not authorized' };
    finished = (scanId) => aScanRecord(scanId, '2026-11-26T10:00:00.000Z', { status: 'PARTIAL', redisServers: 6, errors: [error] });
    const t = io();
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical'), t.io, {}, noWait)).toBe(3);
    expect(t.err()).toContain('the scan is PARTIAL (reads failed in 444455556666/us-east-1)');
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical', '--allow-partial'), io().io, {}, noWait)).toBe(0);
    finished = (scanId) => aScanRecord(scanId, '2026-11-26T10:00:00.000Z', { redisServers: 0 });
    const empty = io();
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical'), empty.io, {}, noWait)).toBe(3);
    expect(empty.err()).toContain('no Redis server matched the role tag');
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical', '--allow-empty'), io().io, {}, noWait)).toBe(0);
  });

  it('counts UNKNOWN findings at or above --fail-on with --fail-on-unknown', async () => {
    await api.close();
    const unknown = [aStoredFinding('scan-x', { status: 'UNKNOWN', ruleStatus: 'UNKNOWN', severity: 'critical' })];
    api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 0, findings: unknown, report: () => '' });
    finished = (scanId) => aScanRecord(scanId, '2026-11-26T10:00:00.000Z', { redisServers: 6 });
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical'), io().io, {}, noWait)).toBe(0);
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'critical', '--fail-on-unknown'), io().io, {}, noWait)).toBe(1);
  });

  it('exits 4 when the API cannot be reached, saying what to check', async () => {
    await api.close();
    const t = io();
    expect(await runCli(remote('scan', '--wait'), t.io, {}, noWait)).toBe(4);
    expect(t.err()).toMatch(/the API could not be reached: .*check the --api URL/);
    api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 0, findings: [], report: () => '' });
  });

  it('without --wait prints the scan id and returns at once', async () => {
    const t = io();
    expect(await runCli(remote('scan'), t.io, {}, noWait)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ scanId: expect.stringMatching(/^scan-/), status: 'RUNNING' });
    expect(api.requests).toHaveLength(1);
  });

  it('is refused (403, exit 4) when the credentials do not match, and says why', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
    const t = io();
    expect(await runCli(remote('scan', '--wait'), t.io, {}, noWait)).toBe(4);
    expect(api.requests).toEqual([expect.objectContaining({ status: 403 })]);
    expect(t.err()).toContain('POST /scans answered 403 (the request was refused');
    expect(t.err()).toContain('signature we calculated does not match');
  });

  it('is refused when the body is changed after signing (the server really checks the payload hash)', async () => {
    const tampering: typeof fetch = (url, init) => fetch(url, { ...init, body: JSON.stringify({ regions: ['ap-south-1'] }) });
    expect(await runCli(remote('scan', '--regions', 'eu-west-1'), io().io, {}, { ...noWait, fetch: tampering })).toBe(4);
    expect(api.requests).toEqual([expect.objectContaining({ status: 403 })]);
  });

  it('is refused when signed for another region', async () => {
    const t = io();
    expect(await runCli(['remote', 'scan', '--api', api.url, '--region', 'us-east-1', '--custom-domain'], t.io, {}, noWait)).toBe(4);
    expect(api.requests[0]?.status).toBe(403);
  });

  it('rejects bad flags before calling the API', async () => {
    const t = io();
    expect(await runCli(remote('scan', '--fail-on', 'high'), t.io, {}, noWait)).toBe(2);
    expect(t.err()).toContain('--fail-on needs --wait');
    expect(await runCli(remote('scan', '--regions', 'Europe'), t.io, {}, noWait)).toBe(2);
    expect(await runCli(['remote', 'scan', '--api', 'http://example.com/prod', '--region', 'eu-west-1'], t.io, {}, noWait)).toBe(2);
    expect(t.err()).toContain('--api must be an https URL');
    expect(api.requests).toHaveLength(0);
  });
});

describe('one scan at a time, large reports', () => {
  it('follows the running scan when the API answers 409 (one scan at a time)', async () => {
    await api.close();
    api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 1, findings: [], report: () => '', runningScanId: 'scan-2026-11-26T09-00-00Z' });
    const t = io();
    expect(await runCli(remote('scan', '--wait', '--fail-on', 'high'), t.io, {}, noWait)).toBe(1);
    expect(t.err()).toContain('A scan is already running (one runs at a time): following scan-2026-11-26T09-00-00Z.');
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /prod/scans 409',
      'GET /prod/scans/scan-2026-11-26T09-00-00Z 200',
      'GET /prod/scans/scan-2026-11-26T09-00-00Z 200',
    ]);
  });

  it('downloads a report the API redirects to a presigned URL, without the SigV4 Authorization header', async () => {
    await api.close();
    api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 0, findings: [], report: () => '<!doctype html><title>large</title>', reportRedirect: true });
    const t = io();
    const file = join(dir, 'large.html');
    expect(await runCli(remote('report', '--format', 'html', '--output', file), t.io, {}, noWait)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('<!doctype html><title>large</title>');
    expect(api.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/prod/reports/latest 303', '/download/report.html 200']);
  });
});

describe('remote findings and report', () => {
  it('lists every page of the latest scan\'s findings and gates on --fail-on', async () => {
    const t = io();
    const code = await runCli(remote('findings', '--format', 'json', '--fail-on', 'high'), t.io, {}, noWait);
    expect(code).toBe(1);
    const out = JSON.parse(t.out()) as { scanId: string; findings: unknown[] };
    expect(out.findings).toHaveLength(130);
    expect(api.requests.map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`)).toEqual([
      '/prod/scans?limit=1',
      '/prod/scans/scan-2026-11-25T02-00-00Z/findings?limit=100',
      '/prod/scans/scan-2026-11-25T02-00-00Z/findings?limit=100&nextToken=100',
    ]);
  });

  it('filters by status on the server and prints one line per finding', async () => {
    const t = io();
    expect(await runCli(remote('findings', '--scan', 'scan-2026-11-25T02-00-00Z', '--status', 'FAIL'), t.io, {}, noWait)).toBe(0);
    expect(t.out().trim().split('\n')).toHaveLength(4);
    expect(t.out()).toContain('3 findings in scan scan-2026-11-25T02-00-00Z.');
  });

  it('writes the latest HTML report to --output', async () => {
    const t = io();
    const file = join(dir, 'report.html');
    expect(await runCli(remote('report', '--format', 'html', '--output', file), t.io, {}, noWait)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('<!doctype html><title>report</title>');
    expect(api.requests[0]).toMatchObject({ path: '/prod/reports/latest', query: { format: 'html' }, status: 200 });
  });
});

it('reads the region from an execute-api host name', () => {
  expect(regionFromHost('abc123.execute-api.eu-west-1.amazonaws.com')).toBe('eu-west-1');
  expect(regionFromHost('abc123.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
  expect(regionFromHost('example.com')).toBeUndefined();
});

describe('hosts the CLI signs for', () => {
  /** Records what would go out, and sends nothing. */
  function recordingFetch() {
    const sent: Array<{ url: string; authorization: string | undefined }> = [];
    const fetchFn: typeof fetch = async (url, init) => {
      sent.push({ url: String(url), authorization: (init?.headers as Record<string, string> | undefined)?.['authorization'] });
      throw new Error('not sent in this test');
    };
    return { sent, fetchFn };
  }

  it('refuses to sign for a host that is not an API Gateway endpoint, even with --region, and sends nothing', async () => {
    const t = io();
    const { sent, fetchFn } = recordingFetch();
    expect(await runCli(['remote', 'scan', '--api', 'https://api.attacker.example/prod', '--region', 'eu-west-1'], t.io, {}, { ...noWait, fetch: fetchFn })).toBe(2);
    expect(t.err()).toContain('refusing to sign requests for api.attacker.example: not an API Gateway endpoint');
    expect(t.err()).toContain('--custom-domain');
    expect(sent).toEqual([]);
    // A look-alike host is no API Gateway endpoint either.
    expect(await runCli(['remote', 'scan', '--api', 'https://abc.execute-api.eu-west-1.amazonaws.com.attacker.example/prod'], t.io, {}, { ...noWait, fetch: fetchFn })).toBe(2);
    expect(sent).toEqual([]);
  });

  it('signs for an execute-api host (and its .cn form), refusing a --region the host contradicts', async () => {
    const t = io();
    const { sent, fetchFn } = recordingFetch();
    await runCli(['remote', 'scan', '--api', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'], t.io, {}, { ...noWait, fetch: fetchFn });
    await runCli(['remote', 'scan', '--api', 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod'], t.io, {}, { ...noWait, fetch: fetchFn });
    expect(sent.map((r) => r.url)).toEqual(['https://abc123.execute-api.eu-west-1.amazonaws.com/prod/scans', 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/scans']);
    expect(sent.every((r) => r.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
    expect(await runCli(['remote', 'scan', '--api', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod', '--region', 'us-east-1'], t.io, {}, { ...noWait, fetch: fetchFn })).toBe(2);
    expect(sent).toHaveLength(2);
  });
});

describe('remote findings against an API that repeats its nextToken', () => {
  it('stops with an error instead of paging for ever', async () => {
    await api.close();
    api = await startVerifyingApi({ region: 'eu-west-1', keys: { [KEY_ID]: SECRET }, finishedScan: (id) => finished(id), runningPolls: 0, findings: [aStoredFinding('scan-x', {})], report: () => '', repeatedNextToken: 'c2FtZQ' });
    const t = io();
    expect(await runCli(remote('findings', '--scan', 'scan-2026-11-25T02-00-00Z'), t.io, {}, noWait)).toBe(4);
    expect(t.err()).toContain('the API repeated a nextToken after 2 pages');
    expect(api.requests.length).toBe(2);
  });
});
