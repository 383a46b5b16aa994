/**
 * inventory/redis-probe.sh as a script: shellcheck-clean POSIX sh; where it writes (instance id from
 * the agent, else IMDSv2 checked before use, else nothing written and a non-zero exit); atomic files
 * with nothing stale; and Redis installed but stopped, judged through a snapshot. (The document's
 * parameters substituted as Run Command does: test/infra/redis-probe-document.test.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import { REDIS_PROBE_SCRIPT_PATH } from '../../lib/constructs/redis-probe-script';
import { expectValidOutput, runProbe, verdicts } from './support/probe-runner';
import { RedisFleet, freePorts, isAlive, requireCommands } from './support/redis-fleet';

jest.setTimeout(60000);
requireCommands('redis-server', 'redis-cli', 'shellcheck', 'curl');

const tmp = () => mkdtempSync(join(tmpdir(), 'redis-probe-test-'));

/**
 * Runs the probe without CUSTOM_INVENTORY_DIR, the agent data folder in a temporary place.
 * Asynchronous: the stand-in IMDS below answers from this process's event loop.
 */
function runRaw(env: Record<string, string>): Promise<{ status: number | null; stderr: string; dataDir: string }> {
  const dataDir = tmp();
  const child = spawn('sh', [REDIS_PROBE_SCRIPT_PATH], { env: { PATH: process.env['PATH']!, SSM_AGENT_DATA_DIR: dataDir, REDIS_PIDS: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr, dataDir })));
}

/** A stand-in for the instance metadata service on 127.0.0.1 answering with `handler`. */
async function imds(handler: (method: string, url: string) => { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, body } = handler(req.method ?? '', req.url ?? '');
    res.writeHead(status, { 'content-type': 'text/html' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('shellcheck -s sh finds nothing', () => {
  const result = spawnSync('shellcheck', ['-s', 'sh', REDIS_PROBE_SCRIPT_PATH], { encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});

describe('where the files go', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('writes to <agent data>/<AWS_SSM_INSTANCE_ID>/inventory/custom, the folder the agent reads', async () => {
    const { status, dataDir } = await runRaw({ AWS_SSM_INSTANCE_ID: 'i-0123456789abcdef0' });
    expect(status).toBe(0);
    expect(readdirSync(join(dataDir, 'i-0123456789abcdef0', 'inventory', 'custom')).sort()).toEqual(['RedisAclUser.json', 'RedisClusterNode.json', 'RedisServer.json']);
  });

  it.each([['../../etc'], ['i-0123456789abcdef0/../../x'], ['i-XYZ'], ['mi-12'], ['i-0123456789abcdef0\nfoo']])('refuses the instance id %j: non-zero exit, nothing written', async (id) => {
    const { status, stderr, dataDir } = await runRaw({ AWS_SSM_INSTANCE_ID: id });
    expect(status).not.toBe(0);
    expect(stderr).toContain('nothing written');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('fails loudly when IMDS is unreachable (no "unknown" folder)', async () => {
    const closed = (await freePorts(['127.0.0.1'], 1))[0]!;
    const { status, stderr, dataDir } = await runRaw({ IMDS_ENDPOINT: `http://127.0.0.1:${closed}` });
    expect(status).not.toBe(0);
    expect(stderr).toContain('no AWS_SSM_INSTANCE_ID and the instance metadata service (IMDSv2) gave no instance id');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('fails when IMDS answers 403 to the token request (the error page never becomes a folder name)', async () => {
    const endpoint = await imds(() => ({ status: 403, body: '<html><body><h1>403 Forbidden</h1></body></html>' }));
    servers.push(endpoint.server);
    const { status, dataDir } = await runRaw({ IMDS_ENDPOINT: endpoint.url });
    expect(status).not.toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses an IMDS answer that is not an instance id', async () => {
    const endpoint = await imds((method) => (method === 'PUT' ? { status: 200, body: 'token-abc' } : { status: 200, body: '<html>captive portal</html>' }));
    servers.push(endpoint.server);
    const { status, stderr, dataDir } = await runRaw({ IMDS_ENDPOINT: endpoint.url });
    expect(status).not.toBe(0);
    expect(stderr).toContain('not i-/mi- followed by hex digits');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('uses the IMDSv2 instance id when the agent gave none', async () => {
    const seen: string[] = [];
    const endpoint = await imds((method, url) => {
      seen.push(`${method} ${url}`);
      return method === 'PUT' ? { status: 200, body: 'token-abc' } : { status: 200, body: 'i-0fedcba9876543210' };
    });
    servers.push(endpoint.server);
    const { status, dataDir } = await runRaw({ IMDS_ENDPOINT: endpoint.url });
    expect(status).toBe(0);
    expect(seen).toEqual(['PUT /latest/api/token', 'GET /latest/meta-data/instance-id']);
    expect(existsSync(join(dataDir, 'i-0fedcba9876543210', 'inventory', 'custom', 'RedisServer.json'))).toBe(true);
  });
});

test('each run replaces both files whole: no stale cluster view, no temporary file left', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'RedisClusterNode.json'), JSON.stringify({ TypeName: 'Custom:RedisClusterNode', SchemaVersion: '2.0', Content: [{ node_id: 'a'.repeat(40) }] }));
  writeFileSync(join(dir, 'RedisServer.json'), '{"TypeName":"Custom:RedisServer","SchemaVersion":"1.0","Content":[{"port":"7000","redis_version":"6.2.0"}]}');
  const run = runProbe({ CUSTOM_INVENTORY_DIR: dir, REDIS_PIDS: '' });
  expectValidOutput(run);
  expect(run.nodes.Content).toEqual([]);
  expect(run.server.SchemaVersion).toBe('2.0');
  expect(run.server.Content.every((row) => row['probe_version'] === '2')).toBe(true);
});

describe('Redis installed but stopped', () => {
  const fleet = new RedisFleet();
  let pid = 0;
  afterAll(async () => {
    await fleet.stop();
    expect(isAlive(pid)).toBe(false);
  });

  test('the probe says nothing runs; redis.version FAILs with the probe error (not PASS on the package); cluster.mode FAILs', async () => {
    const [port] = await freePorts(['127.0.0.1'], 1);
    const proc = await fleet.start('stopped', { host: '127.0.0.1', port: port!, config: ['bind 127.0.0.1', `port ${port}`, 'cluster-enabled yes', 'cluster-config-file nodes-stopped.conf'] });
    pid = proc.pid;
    await fleet.stop();
    mkdirSync(fleet.dir, { recursive: true });
    const run = runProbe({ REDIS_PIDS: String(pid), REDIS_PORTS: `${port}` });
    expectValidOutput(run);
    const { facts } = parseRedisServerRows(run.server.Content);
    expect(facts.map((f) => [f.status, f.port, f.binaryVersion, f.error])).toEqual([
      ['not_running', port, '7.0.15', `no Redis process listens on port ${port}`],
      ['not_running', undefined, '7.0.15', 'redis-server 7.0.15 is installed but no redis-server or redis-sentinel process is running'],
    ]);
    const { version, mode } = verdicts([run]);
    expect(version.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(version[0]!.observed).toContain('The Redis probe found no Redis process running on the server: ');
    expect(version[0]!.observed).toContain('redis-server 7.0.15 is installed but no redis-server or redis-sentinel process is running');
    expect(version[0]!.observed).toContain('Installed package: redis-server "5:7.0.15-1~deb12u1"');
    expect(mode.status).toBe('FAIL');
    expect(mode.observed).toContain('no Redis process runs');
    expect(readFileSync(join(run.dir, 'RedisServer.json'), 'utf8')).not.toContain('"status":"ok"');
  });
});
