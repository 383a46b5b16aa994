/**
 * The probe runs as root next to hostile local processes (docs/redis-probe.md, *Threat model*):
 * impostors started as `nobody` that call themselves redis-server, answer -NOAUTH, squat an
 * address of a real server's config file, or plant a redis-cli next to themselves. Each impostor
 * records what reaches it; the probe runs as root, for real, next to real redis-server processes.
 */
import { join } from 'node:path';
import { parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import { expectValidOutput, runProbe } from './support/probe-runner';
import { NOBODY_UID, attackerFolder, cleanup, markerBinary, markerText, plant, requireRoot, startImpostor, toolFolder, toolFolderWithout, type Impostor } from './support/impostors';
import { RedisFleet, freePorts, isAlive, requireCommands } from './support/redis-fleet';

jest.setTimeout(60000);
requireCommands('redis-server', 'redis-cli', 'setpriv', 'gcc');
requireRoot();

afterAll(cleanup);

describe('an impostor named redis-server, run by nobody, with a redis-cli planted next to it', () => {
  let folder = '';
  let impostor: Impostor;
  let port = 0;
  const binaryMarker = () => markerText(join(folder, 'binary-ran'));
  const cliMarker = () => markerText(join(folder, 'cli-ran'));

  beforeAll(async () => {
    folder = attackerFolder();
    const binary = markerBinary(folder, join(folder, 'binary-ran'));
    plant(join(folder, 'redis-cli'), `#!/bin/sh\necho "ran as uid=$(id -u) with REDISCLI_AUTH=\${REDISCLI_AUTH:-}" >>${join(folder, 'cli-ran')}\necho PONG\n`);
    [port] = await freePorts(['127.0.0.1'], 1);
    impostor = await startImpostor({ listen: [{ host: '127.0.0.1', port: port! }], holder: binary });
  });

  test('its binary never runs; it is reported as an untrusted listener with its pid, uid and executable', () => {
    const run = runProbe({ REDIS_PIDS: String(impostor.holderPid) });
    expect(binaryMarker()).toBe('');
    expectValidOutput(run);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ status: 'untrusted listener', pid: impostor.holderPid, uid: NOBODY_UID, executable: join(folder, 'redis-server'), process: 'redis-server', port });
    expect(facts[0]!.error).toContain('the probe sent it nothing');
    expect(impostor.received()).toBe('');
  });

  test('with no redis-cli in the trusted folders, the planted redis-cli never runs', () => {
    const tools = toolFolderWithout(['redis-cli']);
    const run = runProbe({ REDIS_PIDS: String(impostor.holderPid), PATH: tools, REDIS_PROBE_TOOL_DIRS: tools });
    expect(cliMarker()).toBe('');
    expect(binaryMarker()).toBe('');
    expectValidOutput(run);
    expect(parseRedisServerRows(run.server.Content).facts[0]).toMatchObject({ status: 'untrusted listener', pid: impostor.holderPid });
  });
});

describe('impostors answering -NOAUTH: one on [::1] of a configured port (bind 127.0.0.1 -::1), one on another port', () => {
  const CONFIG_SECRET = 'config-secret-7b1';
  const PARAMETER_SECRET = 'parameter-secret-c42';
  const fleet = new RedisFleet();
  let squatter: Impostor;
  let stranger: Impostor;
  let realPid = 0;
  let squattedPort = 0;
  let otherPort = 0;
  let realPort = 0;

  beforeAll(async () => {
    [squattedPort, otherPort, realPort] = await freePorts(['127.0.0.1', '::1'], 3);
    squatter = await startImpostor({ listen: [{ host: '::1', port: squattedPort! }] });
    stranger = await startImpostor({ listen: [{ host: '127.0.0.1', port: otherPort! }] });
    realPid = (await fleet.start('real', { host: '127.0.0.1', port: realPort!, config: ['bind 127.0.0.1', `port ${realPort}`, `requirepass ${CONFIG_SECRET}`] })).pid;
    // Debian's default bind: with [::1]:port taken, redis-server 7.0 does not start (the `-` forgives
    // only an address the host lacks), and the squatter keeps the port's ::1.
    await expect(fleet.start('squatted', { host: '127.0.0.1', port: squattedPort!, config: ['bind 127.0.0.1 -::1', `port ${squattedPort}`, `requirepass ${CONFIG_SECRET}`] })).rejects.toThrow(/Address already in use/);
  });

  afterAll(async () => {
    await fleet.stop();
    expect(isAlive(realPid)).toBe(false);
  });

  test('neither receives a password (config or SecureString parameter); both are untrusted listeners, the squatter named as such; the real server is read', () => {
    // The AWS CLI's stand-in prints the parameter's value, as `aws ssm get-parameter --query Parameter.Value --output text` does.
    const tools = toolFolder({ aws: `#!/bin/sh\necho ${PARAMETER_SECRET}\n` });
    const run = runProbe({
      REDIS_PIDS: `${realPid} ${squatter.pid} ${stranger.pid}`,
      REDIS_CONFIG_DIRS: fleet.dir,
      REDIS_PASSWORD_PARAMETER: '/redis/password',
      PATH: `${tools}:${process.env['PATH']}`,
      REDIS_PROBE_TOOL_DIRS: `${tools} /usr/bin /bin`,
    });
    const reached = (impostor: Impostor) => ({ configSecret: impostor.received().includes(CONFIG_SECRET), parameterSecret: impostor.received().includes(PARAMETER_SECRET), anyAuth: /AUTH/i.test(impostor.received()) });
    expect({ squatter: reached(squatter), stranger: reached(stranger) }).toEqual({
      squatter: { configSecret: false, parameterSecret: false, anyAuth: false },
      stranger: { configSecret: false, parameterSecret: false, anyAuth: false },
    });
    expectValidOutput(run);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts.map((f) => [f.pid, f.status, f.port, f.uid])).toEqual([
      [realPid, 'ok', realPort, 0],
      [squatter.pid, 'untrusted listener', squattedPort, NOBODY_UID],
      [stranger.pid, 'untrusted listener', otherPort, NOBODY_UID],
    ]);
    expect(facts[0]).toMatchObject({ address: '127.0.0.1', authRequired: true, redisVersion: '7.0.15', configFile: join(fleet.dir, 'real.conf') });
    expect(facts[1]!.executable).toBe(process.execPath);
    expect(facts[1]!.error).toContain(`it holds [::1]:${squattedPort} (an address of ${join(fleet.dir, 'squatted.conf')})`);
    expect(facts[2]!.error).toContain('the probe sent it nothing');
    expect(`${run.stdout}${run.stderr}${JSON.stringify(run.server)}`).not.toMatch(new RegExp(`${CONFIG_SECRET}|${PARAMETER_SECRET}`));
  });
});
