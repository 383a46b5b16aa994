/**
 * Real processes outside the documented layout: a password-protected standalone server on port 6379
 * (bound to a 127.0.0.x address other than 127.0.0.1, so the real port number is used without
 * colliding with a local Redis), and a master watched by Sentinel started both ways: `redis-sentinel`
 * (with its own requirepass) and `redis-server ... --sentinel` with `set-proc-title no`.
 */
import { parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import { expectValidOutput, runProbe, verdicts } from './support/probe-runner';
import { RedisFleet, freeAddressFor, freePorts, isAlive, requireCommands } from './support/redis-fleet';

jest.setTimeout(60000);
requireCommands('redis-server', 'redis-sentinel', 'redis-cli');

const fleet = new RedisFleet();
const pids: number[] = [];
let standaloneHost = '';
let masterPort = 0;
let sentinelPorts: number[] = [];

beforeAll(async () => {
  standaloneHost = await freeAddressFor(6379, ['127.0.0.2', '127.0.0.12', '127.0.0.22', '127.0.0.32', '127.0.0.42']);
  [masterPort, ...sentinelPorts] = await freePorts(['127.0.0.1'], 3);
  await fleet.start('standalone', { host: standaloneHost, port: 6379, config: [`bind ${standaloneHost}`, 'port 6379', "requirepass 'standalone pw'"] });
  await fleet.start('master', { host: '127.0.0.1', port: masterPort, config: ['bind 127.0.0.1', `port ${masterPort}`, 'requirepass master-pw', 'masterauth master-pw'] });
  const sentinel = (port: number, extra: string[]) => ['bind 127.0.0.1', `port ${port}`, `sentinel monitor sessions 127.0.0.1 ${masterPort} 1`, 'sentinel auth-pass sessions master-pw', ...extra];
  await fleet.start('sentinel-a', { host: '127.0.0.1', port: sentinelPorts[0]!, command: 'redis-sentinel', config: sentinel(sentinelPorts[0]!, ['requirepass sentinel-pw']) });
  await fleet.start('sentinel-b', { host: '127.0.0.1', port: sentinelPorts[1]!, command: 'redis-server', args: ['--sentinel'], config: sentinel(sentinelPorts[1]!, ['set-proc-title no']) });
  pids.push(...fleet.processes.map((p) => p.pid));
});

afterAll(async () => {
  await fleet.stop();
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

test('a password-protected standalone server on 6379: seen, read, cluster.mode FAIL (not UNKNOWN), redis.version PASS', () => {
  const run = runProbe({ REDIS_PIDS: fleet.pids('standalone'), REDIS_CONFIG_DIRS: fleet.dir, REDIS_PORTS: '7000,7001' });
  expectValidOutput(run);
  const { facts, problems } = parseRedisServerRows(run.server.Content);
  expect(problems).toEqual([]);
  expect(facts.map((f) => [f.status, f.address, f.port, f.authRequired, f.redisMode, f.clusterEnabled, f.error])).toEqual([
    ['ok', standaloneHost, 6379, true, 'standalone', false, undefined],
    ['not_running', undefined, 7000, undefined, undefined, undefined, 'no Redis process listens on port 7000'],
    ['not_running', undefined, 7001, undefined, undefined, undefined, 'no Redis process listens on port 7001'],
  ]);
  expect(run.nodes.Content).toEqual([]);
  const { version, mode } = verdicts([run]);
  expect(version.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
  expect(mode.status).toBe('FAIL');
  expect(mode.observed).toContain(`Redis process on port 6379 (${standaloneHost}): standalone`);
  expect(`${run.stdout}${run.stderr}${JSON.stringify(run.server)}`).not.toMatch(/standalone pw|master-pw|sentinel-pw/);
});

test.each([
  ['redis-sentinel, password-protected', 'sentinel-a', 'redis-sentinel'],
  ['redis-server --sentinel with set-proc-title no', 'sentinel-b', 'redis-server'],
])('a master with Sentinel (%s): reported as Sentinel from INFO, cluster.mode FAIL', (_label, sentinel, executable) => {
  const run = runProbe({ REDIS_PIDS: fleet.pids('master', sentinel), REDIS_CONFIG_DIRS: fleet.dir });
  expectValidOutput(run);
  const { facts, problems } = parseRedisServerRows(run.server.Content);
  expect(problems).toEqual([]);
  const sentinelFact = facts.find((f) => f.redisMode === 'sentinel')!;
  expect(sentinelFact).toMatchObject({ status: 'ok', process: executable, authRequired: sentinel === 'sentinel-a', sentinelMasters: 1, redisVersion: '7.0.15' });
  expect(facts.find((f) => f.port === masterPort)).toMatchObject({ status: 'ok', redisMode: 'standalone', role: 'master', authRequired: true });
  const { version, mode } = verdicts([run]);
  expect(version.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
  expect(mode.status).toBe('FAIL');
  expect(mode.observed).toContain(`${executable === 'redis-sentinel' ? 'redis-sentinel' : 'Redis process'} on port ${sentinelFact.port}: sentinel`);
  expect(mode.remediation).toContain('retire the Sentinel / standalone setup');
});
