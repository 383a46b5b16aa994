/**
 * `redis-compliance run-local` (the README's main command, `npm start`) through the real CLI program:
 * the bundled sample estate -> embedded dynalite -> reports on disk -> a Slack webhook on 127.0.0.1
 * and aws-ses-v2-local on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import startSesLocal from 'aws-ses-v2-local';
import { runCli } from '../../cli/program';
import { capturedCliIo } from '../support/captured-cli-io';
import { parseSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';

const SAMPLE = 'examples/estate.sample.json';

const io = capturedCliIo;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-local-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('scans the sample estate, stores it, writes the four reports and prints the summary', async () => {
  const t = io();
  const code = await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db')], t.io);
  expect(t.err()).toBe('');
  expect(code).toBe(0);
  const expected = evaluateSnapshot(parseSnapshot(readFileSync(SAMPLE, 'utf8'), SAMPLE));
  const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  expect(JSON.stringify(json)).toContain(expected.findings[0]!.resourceId);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(readFileSync(join(dir, 'report.md'), 'utf8').length).toBeGreaterThan(0);
  const csvLines = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split(/\r?\n/);
  expect(csvLines.length).toBeGreaterThanOrEqual(expected.findings.length + 1);
  expect(t.out()).toContain(`${expected.findings.length} findings`);
  expect(t.out()).toContain(`Failing: ${expected.summary.byStatus.FAIL}`);
  expect(t.out()).toContain(join(dir, 'report.html'));
  // The Lambda logger's JSON lines stay out of the terminal.
  expect(t.out()).not.toMatch(/^\{"level"/m);
});

it('applies waivers from the config file', async () => {
  const expected = evaluateSnapshot(parseSnapshot(readFileSync(SAMPLE, 'utf8'), SAMPLE));
  // Not a critical finding: the waiver policy lets no waiver suppress one by default.
  const failing = expected.findings.find((f) => f.status === 'FAIL' && f.severity !== 'critical')!;
  const config = join(dir, 'config.json');
  const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  writeFileSync(config, JSON.stringify({ suppressions: [{ ruleId: failing.ruleId, resourcePattern: failing.resourceId, reason: 'Accepted until the migration', owner: 'ops', expiresAt }] }));
  const t = io();
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db'), '--config', config], t.io)).toBe(0);
  expect(t.out()).toContain(`Failing: ${expected.summary.byStatus.FAIL - 1}`);
  expect(t.out()).toMatch(/Suppressed: [1-9]/);
});

it('posts to the Slack webhook and sends the e-mail when asked', async () => {
  const posts: string[] = [];
  const slack: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      posts.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  const ses = await startSesLocal({ host: '127.0.0.1', port: 0 });
  try {
    const webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/local`;
    const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    const t = io();
    const code = await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db'), '--slack-webhook', webhook, '--ses-endpoint', sesUrl, '--email-from', 'compliance@example.com', '--email-to', 'ops@example.com,sre@example.com'], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!).blocks.length).toBeGreaterThan(0);
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: Array<{ from: string; destination: { to: string[] }; subject: string; body: { html?: string; text?: string } }> };
    expect(store.emails).toHaveLength(1);
    expect(store.emails[0]).toMatchObject({ from: 'compliance@example.com', destination: { to: ['ops@example.com', 'sre@example.com'] } });
    expect(store.emails[0]!.body.html).toMatch(/<html/);
    expect(t.out()).toContain('Sent the report by slack.');
    expect(t.out()).toContain('Sent the report by e-mail.');
  } finally {
    await new Promise<void>((resolve) => slack.close(() => resolve()));
    ses.closeAllConnections();
    await new Promise<void>((resolve) => ses.close(() => resolve()));
  }
});

it('says when a destination failed, without the webhook URL, and exits 4 (a failure of the run)', async () => {
  const refusing: Server = createServer((_req, res) => res.writeHead(404).end('no_team'));
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  try {
    const webhook = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/services/T0/B0/SECRETTOKEN`;
    const t = io();
    expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db'), '--slack-webhook', webhook], t.io)).toBe(4);
    expect(t.err()).toContain('the report was not sent by slack: Slack webhook answered HTTP 404');
    expect(t.err() + t.out()).not.toContain('SECRETTOKEN');
  } finally {
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  }
});

it.each([
  [['--snapshot', 'missing.json'], 'missing.json: cannot read the snapshot'],
  [['--ses-endpoint', 'http://127.0.0.1:1'], 'needs --ses-endpoint, --email-from and --email-to together'],
])('rejects bad input %j with exit code 2', async (args, message) => {
  const t = io();
  expect(await runCli(['run-local', '--out', dir, '--local-db', join(dir, 'db'), ...args], t.io)).toBe(2);
  expect(t.err()).toContain(message);
});

it('gates like scan only when asked: --fail-on gives 1 on a FAIL, 3 on the PARTIAL sample, 0 once accepted', async () => {
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'gate-db'), '--fail-on', 'medium'], io().io)).toBe(1);
  // The sample's critical FAILs (redis.scripting-exposure, redis.known-vulnerabilities) waived: what is left is the PARTIAL scan.
  // Waiving a critical finding needs the explicit waiverPolicy flag, and a waiver lasts at most 365 days.
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const waived = writeConfig({
    waiverPolicy: { allowCritical: true },
    suppressions: ['redis.scripting-exposure', 'redis.known-vulnerabilities'].map((ruleId) => ({ id: `accept-${ruleId}`, ruleId, resourcePattern: '*', reason: 'gate test', owner: 'tests', expiresAt })),
  });
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'gate-db'), '--fail-on', 'critical'], io().io)).toBe(1);
  const partial = io();
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'gate-db'), '--fail-on', 'critical', '--config', waived], partial.io)).toBe(3);
  expect(partial.err()).toContain('the scan is PARTIAL');
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'gate-db'), '--fail-on', 'critical', '--allow-partial', '--config', waived], io().io)).toBe(0);
  const empty = io();
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'gate-db'), '--fail-on', 'critical', '--allow-partial', '--config', writeConfig({ tags: { roleKey: 'Rolee' } })], empty.io)).toBe(3);
  expect(empty.err()).toContain('no Redis server matched the role tag Rolee=redis');
});

function writeConfig(config: object): string {
  const path = join(dir, 'gate-config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('the kept local table', () => {
  const run = async (...args: string[]) => {
    const t = io();
    const code = await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db'), ...args], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const scanId = /\(scan (scan-[^,]+), \d+ findings/.exec(t.out())![1]!;
    return { html, scanId, out: t.out() };
  };

  it('gives a second run the trend and the changes since the first; --fresh starts a new history', async () => {
    const first = await run();
    expect(first.html).toContain('No previous scan to compare with.');
    expect(first.html).toContain('Compliance trend (last 1 scan(s))');
    const second = await run();
    expect(second.html).toContain(`Changes since the previous scan (<code>${first.scanId}</code>)`);
    expect(second.html).toContain('Compliance trend (last 2 scan(s))');
    expect(second.html).toContain(`<title>${first.scanId} `);
    const fresh = await run('--fresh');
    expect(fresh.html).toContain('No previous scan to compare with.');
    expect(fresh.html).toContain('Compliance trend (last 1 scan(s))');
  });

  it('--fresh refuses to delete a folder that is not an embedded table', async () => {
    const precious = join(dir, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'notes.txt'), 'keep me');
    const t = io();
    expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', precious, '--fresh'], t.io)).toBe(2);
    expect(t.err()).toContain('does not look like an embedded DynamoDB folder');
    expect(readFileSync(join(precious, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('a kept table in use', () => {
  it('stops a second run on the same folder with a clear message; a lock whose process is gone is taken over', async () => {
    const db = join(dir, 'db');
    writeFileSync(`${db}.lock`, String(process.pid));
    const busy = io();
    expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', db], busy.io)).toBe(2);
    expect(busy.err()).toContain(`is in use by another run (process ${process.pid})`);
    // A process id that has exited: the lock is stale.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${db}.lock`, gone);
    const t = io();
    expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', db], t.io)).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });
});
