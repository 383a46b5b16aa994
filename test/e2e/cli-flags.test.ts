/**
 * The command line spells things one way: --output everywhere (--out kept as an alias), --version,
 * choices in any case, an output path checked before any work, the cause of a network failure in
 * its message, and the same --format names for `remote findings` as for `scan`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { capturedCliIo } from '../support/captured-cli-io';
import packageJson from '../../package.json';

const SAMPLE = 'examples/estate.sample.json';
const io = capturedCliIo;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-flags-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('--version prints the package version and exits 0', async () => {
  const t = io();
  expect(await runCli(['--version'], t.io)).toBe(0);
  expect(t.out().trim()).toBe(packageJson.version);
});

it('accepts choices in any case: --fail-on HIGH, --format JSON', async () => {
  const upper = io();
  const code = await runCli(['scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'JSON', '--fail-on', 'HIGH'], upper.io);
  expect(code).toBe(1);
  expect(upper.err()).not.toContain('Allowed choices');
  const lower = io();
  expect(await runCli(['scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--fail-on', 'high'], lower.io)).toBe(code);
  expect(upper.err()).toBe(lower.err());
  expect(JSON.parse(upper.out()).summary.counts).toEqual(JSON.parse(lower.out()).summary.counts);
  const bad = io();
  expect(await runCli(['scan', '--snapshot', SAMPLE, '--fail-on', 'severe'], bad.io)).toBe(2);
  expect(bad.err()).toContain('Allowed choices are critical, high, medium, low, info.');
});

it('checks the --output folder before the scan, and says which folder is missing', async () => {
  const t = io();
  const target = join(dir, 'missing', 'findings.json');
  expect(await runCli(['scan', '--snapshot', join(dir, 'no-such-snapshot.json'), '--format', 'json', '--output', target], t.io)).toBe(2);
  // The snapshot (which does not exist either) was never opened: the output was checked first.
  expect(t.err()).toContain(`--output ${target}: the folder ${join(dir, 'missing')} does not exist`);
  expect(t.err()).not.toContain('no-such-snapshot');
});

it('capture takes --output, checked before any AWS call (and --out as before)', async () => {
  for (const flag of ['--output', '--out']) {
    const t = io();
    const target = join(dir, 'missing', 'estate.json');
    // No AWS: were the capture to start, it would fail on credentials or the network, not on the folder.
    expect(await runCli(['capture', '--regions', 'eu-west-1', flag, target], t.io)).toBe(2);
    expect(t.err()).toContain(`--output ${target}: the folder ${join(dir, 'missing')} does not exist`);
  }
});

it('capture --help names --output and the --config default, not --out', async () => {
  const t = io();
  expect(await runCli(['capture', '--help'], t.io)).toBe(0);
  expect(t.out()).toContain('--output <file>');
  expect(t.out()).not.toMatch(/--out </);
  expect(t.out()).toMatch(/--config <file>[\s\S]*default:\s*\.\/redis-compliance\.config\.json/);
});

it('run-local writes to --output (and to --out, its older spelling)', async () => {
  for (const flag of ['--output', '--out']) {
    const out = join(dir, `reports${flag}`);
    const t = io();
    expect(await runCli(['run-local', '--snapshot', SAMPLE, flag, out, '--local-db', join(dir, 'db')], t.io)).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }
});

it('run-local refuses an --output that is a file before the scan', async () => {
  const t = io();
  expect(await runCli(['run-local', '--snapshot', SAMPLE, '--output', SAMPLE, '--local-db', join(dir, 'db')], t.io)).toBe(2);
  expect(t.err()).toContain(`--output ${SAMPLE} is a file; give a folder`);
  expect(existsSync(join(dir, 'db'))).toBe(false);
});

describe('remote', () => {
  const savedEnv = { ...process.env };
  let requests = 0;
  let server: Server;
  let url: string;
  beforeEach(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLEFLAGS01';
    process.env.AWS_SECRET_ACCESS_KEY = 'flags-test-secret';
    requests = 0;
    server = createServer((req, res) => {
      requests++;
      if (req.url?.startsWith('/prod/scans?')) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ scanId: 'scan-1', status: 'COMPLETE' }] }));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.env = { ...savedEnv };
  });

  it('findings --format takes table (as scan does), text as its alias, in any case', async () => {
    const outputs: string[] = [];
    for (const format of ['table', 'text', 'TABLE']) {
      const t = io();
      expect(await runCli(['remote', 'findings', '--api', url, '--region', 'eu-west-1', '--custom-domain', '--scan', 'scan-1', '--format', format], t.io)).toBe(0);
      outputs.push(t.out());
    }
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toContain('0 findings in scan scan-1.');
  });

  it('report checks --output (and --out) before any request', async () => {
    for (const flag of ['--output', '--out']) {
      const t = io();
      const target = join(dir, 'missing', 'report.html');
      expect(await runCli(['remote', 'report', '--api', url, '--region', 'eu-west-1', '--custom-domain', flag, target], t.io)).toBe(2);
      expect(t.err()).toContain(`the folder ${join(dir, 'missing')} does not exist`);
    }
    expect(requests).toBe(0);
  });

  it('keeps the cause of a network failure in its message', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const t = io();
    expect(await runCli(['remote', 'findings', '--api', url, '--region', 'eu-west-1', '--custom-domain', '--scan', 'scan-1'], t.io)).toBe(4);
    expect(t.err()).toMatch(/the API could not be reached: fetch failed \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
});

it('writes the report where --output says', async () => {
  const t = io();
  const target = join(dir, 'findings.json');
  await runCli(['scan', '--snapshot', SAMPLE, '--format', 'json', '--output', target], t.io);
  expect(JSON.parse(readFileSync(target, 'utf8')).format).toBe('redis-compliance/report@1');
});
