/**
 * The probe runs as root next to hostile local processes (docs/redis-probe.md, *Threat model*):
 * impostors started as `nobody` that call themselves redis-server, answer -NOAUTH, squat an
 * address of a real server's config file, or plant a redis-cli next to themselves. Each impostor
 * records what reaches it; the probe runs as root, for real, next to real redis-server processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lchownSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_PROBE_SCRIPT_PATH } from '../../lib/constructs/redis-probe-script';
import { parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import { expectValidOutput, runProbe, verdicts } from './support/probe-runner';
import { NOBODY_UID, NOGROUP_GID, attackerFolder, cleanup, markerBinary, markerText, plant, requireRoot, startImpostor, toolFolder, toolFolderWithout, rootFolder, type Impostor } from './support/impostors';
import { RedisFleet, freePorts, isAlive, redisCli, requireCommands, waitForClusterOk } from './support/redis-fleet';
import { placeInServiceCgroup } from './support/service-cgroup';

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

describe('a symlink farm planted in the output folder', () => {
  /** Runs the probe into `dir`, as root; returns its exit status and stderr. */
  function probeInto(dir: string): { status: number | null; stderr: string } {
    const result = spawnSync('sh', [REDIS_PROBE_SCRIPT_PATH], { encoding: 'utf8', timeout: 60000, env: { PATH: process.env['PATH']!, AWS_SSM_INSTANCE_ID: 'i-0123456789abcdef0', CUSTOM_INVENTORY_DIR: dir, REDIS_PIDS: '' } });
    return { status: result.status, stderr: result.stderr };
  }

  /**
   * An attacker's folder (like /tmp/redis-probe made by nobody before root's first run by hand) where
   * every name the probe could write, including the temporary names of the next 3,000 process ids,
   * is a symlink to a root-owned file.
   */
  function farm(): { folder: string; victims: string[] } {
    const victimsFolder = rootFolder('redis-victims-');
    const victims = ['server', 'nodes', 'temporary'].map((name) => join(victimsFolder, name));
    for (const victim of victims) writeFileSync(victim, 'precious\n');
    const folder = attackerFolder();
    const link = (name: string, target: string) => {
      symlinkSync(target, join(folder, name));
      lchownSync(join(folder, name), NOBODY_UID, NOGROUP_GID);
    };
    link('RedisServer.json', victims[0]!);
    link('RedisClusterNode.json', victims[1]!);
    const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    for (let i = 1; i <= 3000; i++) {
      const pid = ((last + i - 1) % max) + 1;
      link(`.RedisServer.json.tmp.${pid}`, victims[2]!);
      link(`.RedisClusterNode.json.tmp.${pid}`, victims[2]!);
    }
    return { folder, victims };
  }

  test('the probe refuses the folder (non-zero exit), writes nothing and nothing through a symlink', () => {
    const { folder, victims } = farm();
    const before = readdirSync(folder).sort();
    const { status, stderr } = probeInto(folder);
    expect(victims.map((v) => readFileSync(v, 'utf8'))).toEqual(['precious\n', 'precious\n', 'precious\n']);
    expect(readdirSync(folder).sort()).toEqual(before);
    expect(status).not.toBe(0);
    expect(stderr).toContain('refusing to write there; nothing written');
  });

  test('a root-owned folder reached through the attacker\'s symlink is refused too', () => {
    const target = rootFolder('redis-out-');
    const folder = attackerFolder();
    symlinkSync(target, join(folder, 'out'));
    lchownSync(join(folder, 'out'), NOBODY_UID, NOGROUP_GID);
    const { status, stderr } = probeInto(join(folder, 'out'));
    expect(status).not.toBe(0);
    expect(stderr).toContain('nothing written');
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('hostile values in what a real server says', () => {
  let dir = '';
  let pid = 0;
  let port = 0;
  /**
   * A config file name with quotes, $(...), backticks, a terminal escape sequence (OSC, ending in
   * BEL), two bytes that are not UTF-8 (0xFF 0xFE), ending in a backslash: INFO reports it as
   * config_file. (No glob characters: redis-server 7 reads a config name holding *, ? or [ as a pattern.)
   */
  const NAME = Buffer.concat([Buffer.from('hostile "q" $(id) `id` \x1b]0;pwned\x07 '), Buffer.from([0xff, 0xfe]), Buffer.from(' \\')]);

  beforeAll(async () => {
    dir = rootFolder('redis-hostile-');
    [port] = await freePorts(['127.0.0.1'], 1);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), NAME]), [`bind 127.0.0.1`, `port ${port}`, `dir ${dir}`, 'save ""', 'appendonly no', 'daemonize no', ''].join('\n'));
    // The name goes to redis-server as raw bytes: the shell expands the one file of the folder (INFO then says <dir>/./<name>).
    const child = spawn('sh', ['-c', 'exec redis-server ./*'], { cwd: dir, stdio: 'ignore' });
    pid = child.pid!;
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10000;
      const poll = () => {
        const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING'], { encoding: 'utf8' });
        if (r.stdout.includes('PONG')) resolve();
        else if (Date.now() > deadline) reject(new Error(`redis-server with the hostile config name did not start: ${r.stdout}${r.stderr}`));
        else setTimeout(poll, 50);
      };
      poll();
    });
  });

  afterAll(async () => {
    process.kill(pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(pid)).toBe(false);
  });

  test('an INFO value ending in a backslash, with 0xFF bytes and an escape sequence: the file stays valid JSON and the server\'s row readable', () => {
    const run = runProbe({ REDIS_PIDS: String(pid) });
    expectValidOutput(run);
    const raw = readFileSync(join(run.dir, 'RedisServer.json'));
    expect(raw.includes(0x1b)).toBe(false);
    expect(raw.includes(0xff)).toBe(false);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts[0]).toMatchObject({ status: 'ok', port, redisVersion: '7.0.15', redisMode: 'standalone' });
    expect(raw.includes(0x07)).toBe(false);
    expect(run.server.Content[0]!['config_file']).toBe(`${dir}/./hostile "q" $(id) \`id\` \x1b]0;pwned\x07 \ufffd\ufffd \\`);
  });
});

describe('bind * in a busy working folder', () => {
  const fleet = new RedisFleet();
  let pid = 0;
  let port = 0;

  beforeAll(async () => {
    [port] = await freePorts(['0.0.0.0'], 1);
    pid = (await fleet.start('wildcard', { host: '127.0.0.1', port: port!, config: ['bind *', `port ${port}`, 'requirepass "wildcard pw"'] })).pid;
  });

  afterAll(async () => {
    await fleet.stop();
    expect(isAlive(pid)).toBe(false);
  });

  test('the config file is matched (its password read), whatever files the probe\'s working folder holds', () => {
    const busy = rootFolder('redis-busy-');
    for (const name of ['dump.rdb', 'appendonly.aof', 'nodes-7000.conf', 'redis.log']) writeFileSync(join(busy, name), '');
    mkdirSync(join(busy, 'backup'));
    const run = runProbe({ REDIS_PIDS: String(pid), REDIS_CONFIG_DIRS: fleet.dir }, { cwd: busy });
    expectValidOutput(run);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts[0]).toMatchObject({ status: 'ok', address: '127.0.0.1', port, authRequired: true, configFile: join(fleet.dir, 'wildcard.conf') });
    expect(facts[0]!.error).toBeUndefined();
  });
});

describe('a password-protected cluster whose config files are in the working folders and in a systemd unit\'s ExecStart', () => {
  const PASSWORD = 'cluster "pw" 9';
  const QUOTED = '"cluster \\"pw\\" 9"';
  const fleet = new RedisFleet();
  const unit = `redis-probe-test-${process.pid}@`;
  let ports: number[] = [];
  let unitDir = '';
  let unitConfig = '';
  const working: string[] = [];
  const removeCgroups: Array<() => void> = [];
  const pids: number[] = [];

  const config = (port: number, extra: string[]) => ['bind 127.0.0.1', `port ${port}`, 'cluster-enabled yes', `cluster-config-file nodes-${port}.conf`, 'cluster-node-timeout 3000', `requirepass ${QUOTED}`, `masterauth ${QUOTED}`, 'save ""', 'appendonly no', ...extra, ''].join('\n');

  beforeAll(async () => {
    ports = await freePorts(['127.0.0.1'], 3);
    // Two nodes as in redis.io's cluster tutorial: `cd <port> && redis-server ./redis.conf`; Redis
    // rewrites its process title, so the command line no longer names the file.
    for (const port of ports.slice(0, 2)) {
      const folder = rootFolder(`redis-node-${port}-`);
      writeFileSync(join(folder, 'redis.conf'), config(port, []));
      working.push(folder);
      pids.push((await fleet.startWith(`work-${port}`, { host: '127.0.0.1', port, args: ['./redis.conf'], cwd: folder })).pid);
    }
    // The third as a systemd template instance: the unit's ExecStart names the file, which is in no
    // folder the probe searches; the data folder (its working folder) holds no config.
    const port = ports[2]!;
    const confFolder = rootFolder('redis-unit-conf-');
    const dataFolder = rootFolder('redis-unit-data-');
    unitConfig = join(confFolder, `${port}.conf`);
    writeFileSync(unitConfig, config(port, [`dir ${dataFolder}`]));
    unitDir = rootFolder('redis-units-');
    writeFileSync(join(unitDir, `${unit}.service`), `[Unit]\nDescription=Redis %i\n\n[Service]\nExecStart=/usr/bin/redis-server ${confFolder}/%i.conf --supervised systemd --daemonize no\n`, { mode: 0o644 });
    const proc = await fleet.startWith(`unit-${port}`, { host: '127.0.0.1', port, args: [unitConfig], cwd: '/' });
    pids.push(proc.pid);
    removeCgroups.push(placeInServiceCgroup(proc.pid, `${unit}${port}.service`));
    redisCli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { password: PASSWORD, timeoutMs: 30000 });
    await waitForClusterOk(ports.map((p) => ({ host: '127.0.0.1', port: p })), { password: PASSWORD }, 0);
  });

  afterAll(async () => {
    await fleet.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    for (const remove of removeCgroups) remove();
  });

  test('every node\'s config is found and its password read: the rows and verdicts are those of configs in /etc/redis', () => {
    const run = runProbe({ REDIS_PIDS: pids.join(' '), REDIS_PROBE_UNIT_DIRS: unitDir });
    expectValidOutput(run);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts.map((f) => [f.status, f.port, f.authRequired, f.redisMode, f.clusterState, f.clusterSlotsAssigned, f.error])).toEqual(ports.map((port) => ['ok', port, true, 'cluster', 'ok', 16384, undefined]));
    // INFO's config_file: the path as Redis resolved it (<working folder>/./redis.conf).
    expect(facts.map((f) => f.configFile)).toEqual([`${working[0]}/./redis.conf`, `${working[1]}/./redis.conf`, unitConfig]);
    expect(run.nodes.Content).toHaveLength(9);
    const { version, mode } = verdicts([run]);
    expect(version.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(mode.status).toBe('PASS');
    expect(`${run.stdout}${run.stderr}${JSON.stringify(run.server)}${JSON.stringify(run.nodes)}`).not.toContain('cluster "pw"');
  });
});

describe('a server with a unix socket', () => {
  const fleet = new RedisFleet();
  let pid = 0;
  let port = 0;
  let socket = '';

  beforeAll(async () => {
    [port] = await freePorts(['127.0.0.1'], 1);
    socket = join(rootFolder('redis-socket-'), 'redis.sock');
    pid = (await fleet.start('unix', { host: '127.0.0.1', port: port!, config: ['bind 127.0.0.1', `port ${port}`, `unixsocket ${socket}`, 'unixsocketperm 700', 'requirepass unix-pw'] })).pid;
  });

  afterAll(async () => {
    await fleet.stop();
    expect(isAlive(pid)).toBe(false);
  });

  test('is read through the socket its config names (only it and root could replace that file)', () => {
    const run = runProbe({ REDIS_PIDS: String(pid), REDIS_CONFIG_DIRS: fleet.dir });
    expectValidOutput(run);
    expect(run.server.Content[0]).toMatchObject({ status: 'ok', unix_socket: socket, port: String(port), auth_required: '1', redis_version: '7.0.15' });
  });
});

describe('a squatter on an address a running server\'s config names (the server let it go: CONFIG SET bind)', () => {
  const fleet = new RedisFleet();
  let pid = 0;
  let port = 0;
  let squatter: Impostor;

  beforeAll(async () => {
    [port] = await freePorts(['127.0.0.1', '127.0.0.5'], 1);
    pid = (await fleet.start('rebound', { host: '127.0.0.1', port: port!, config: ['bind 127.0.0.1 127.0.0.5', `port ${port}`, 'requirepass rebound-pw'] })).pid;
    redisCli(['-h', '127.0.0.1', '-p', String(port), 'CONFIG', 'SET', 'bind', '127.0.0.1'], { password: 'rebound-pw' });
    squatter = await startImpostor({ listen: [{ host: '127.0.0.5', port: port! }] });
  });

  afterAll(async () => {
    await fleet.stop();
    expect(isAlive(pid)).toBe(false);
  });

  test('the squatter gets a row of its own (untrusted listener, pid, uid, executable, the config it squats) and nothing else', () => {
    const run = runProbe({ REDIS_PIDS: String(pid), REDIS_CONFIG_DIRS: fleet.dir });
    expect(squatter.received()).toBe('');
    expectValidOutput(run);
    const { facts, problems } = parseRedisServerRows(run.server.Content);
    expect(problems).toEqual([]);
    expect(facts.map((f) => [f.pid, f.status, f.address, f.port, f.uid])).toEqual([
      [pid, 'ok', '127.0.0.1', port, 0],
      [squatter.pid, 'untrusted listener', '127.0.0.5', port, NOBODY_UID],
    ]);
    expect(facts[1]).toMatchObject({ executable: process.execPath, process: 'redis-server' });
    expect(facts[1]!.error).toBe(`it holds 127.0.0.5:${port}, an address of ${join(fleet.dir, 'rebound.conf')}, the config file of pid ${pid}, which does not listen there (a client of that address reaches this process instead); the probe sent it nothing`);
  });
});
