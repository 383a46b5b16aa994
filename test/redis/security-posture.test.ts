/**
 * The security posture from real redis-server processes (Debian's package, as CI installs it),
 * through the probe, the row readers and the posture rules: a password (requirepass) and an ACL
 * user without scripting; no password with protected mode off; the default user off; protected mode
 * shielding a password-less server bound to every address; debug and module commands enabled; and
 * the package that owns the running executable, from the dpkg database.
 *
 * Test traffic stays on loopback. A server "on a private address" is a real password-less server
 * bound to a 127.0.0.x address whose probe row is then read as if that address were the instance's
 * private one (the only change made to what the probe wrote); the wildcard-bound server has protected
 * mode on and so refuses every client that is not local.
 */
import { spawnSync } from 'node:child_process';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { parseAclUserRows, parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import type { Finding } from '../../lambdas/core/model';
import { redisAuthenticationRule } from '../../lambdas/core/rules/redis-authentication';
import { redisDangerousCommandsRule } from '../../lambdas/core/rules/redis-dangerous-commands';
import { redisScriptingExposureRule } from '../../lambdas/core/rules/redis-scripting-exposure';
import { redisVersionRule } from '../../lambdas/core/rules/redis-version';
import { validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { REDIS_IDS, compliantEstate } from '../support/estate-builder';
import { expectValidOutput, runProbe, type ProbeRun } from './support/probe-runner';
import { RedisFleet, freePorts, requireCommands } from './support/redis-fleet';

jest.setTimeout(60000);
requireCommands('redis-server', 'redis-cli', 'dpkg-query');

const fleet = new RedisFleet();
const HOST = '127.0.0.23';
let ports: number[] = [];

beforeAll(async () => {
  ports = await freePorts([HOST, '127.0.0.1'], 5);
  const base = (port: number, host = HOST) => [`bind ${host}`, `port ${port}`];
  await fleet.start('guarded', { host: HOST, port: ports[0]!, config: [...base(ports[0]!), "requirepass 'guarded pw'", 'user app on >app-secret-pw ~* &* +@all -@scripting'] });
  await fleet.start('open', { host: HOST, port: ports[1]!, config: [...base(ports[1]!), 'protected-mode no'] });
  await fleet.start('default-off', { host: HOST, port: ports[2]!, config: [...base(ports[2]!), 'user default off', 'user app on >app-only-pw ~* &* +@all -@scripting', 'masteruser app', 'masterauth app-only-pw'] });
  await fleet.start('wildcard', { host: '127.0.0.1', port: ports[3]!, config: ['bind 0.0.0.0', `port ${ports[3]!}`, 'protected-mode yes'] });
  await fleet.start('debuggable', { host: HOST, port: ports[4]!, config: [...base(ports[4]!), 'requirepass debug-pw', 'enable-debug-command yes', 'enable-module-command yes'] });
});

afterAll(async () => {
  await fleet.stop();
});

const SECRETS = /guarded pw|app-secret-pw|app-only-pw|debug-pw/;

function probe(name: string): ProbeRun {
  const run = runProbe({ REDIS_PIDS: fleet.pids(name), REDIS_CONFIG_DIRS: fleet.dir });
  expectValidOutput(run);
  expect(`${run.stdout}${run.stderr}${JSON.stringify(run.server)}${JSON.stringify(run.users)}`).not.toMatch(SECRETS);
  return run;
}

/** The compliant estate with the first Redis server's probe rows replaced by this run's; the posture rules' findings for it. */
function judge(run: ProbeRun, change: (row: Record<string, string>) => void = () => undefined): Record<string, Finding> {
  const estate = compliantEstate().mutate((t) => {
    const data = t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!;
    const rows = run.server.Content.map((row) => ({ ...row }));
    rows.forEach(change);
    data['Custom:RedisServer'] = { ...run.server, Content: rows };
    data['Custom:RedisClusterNode'] = { ...run.nodes };
    data['Custom:RedisAclUser'] = { ...run.users };
  });
  const snapshot = validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'posture test');
  const { findings } = evaluateSnapshot(snapshot, { rules: [redisVersionRule, redisAuthenticationRule, redisScriptingExposureRule, redisDangerousCommandsRule] });
  return Object.fromEntries(findings.filter((f) => f.resourceId === REDIS_IDS[0]).map((f) => [f.ruleId, f]));
}

test("requirepass and an ACL user without scripting: the package from dpkg's database, users with their DRYRUN answers, authentication and scripting PASS", () => {
  const run = probe('guarded');
  const { facts, problems } = parseRedisServerRows(run.server.Content);
  expect(problems).toEqual([]);
  const fact = facts[0]!;
  const owner = spawnSync('dpkg-query', ['-S', fact.executable!], { encoding: 'utf8' }).stdout.split(':')[0]!;
  const version = spawnSync('dpkg-query', ['-W', '-f', '${Version}', owner], { encoding: 'utf8' }).stdout;
  expect(fact).toMatchObject({ status: 'ok', authRequired: true, defaultUserEnabled: true, defaultUserNopass: false, aclUsers: 2, packageManager: 'dpkg', packageName: owner, packageVersion: version, enableDebugCommand: 'no', enableModuleCommand: 'no', tlsPort: 0 });
  expect(version).toMatch(/^5:7\.0\.15-1~deb12u\d+$/);
  const users = parseAclUserRows(run.users.Content);
  expect(users.problems).toEqual([]);
  const byName = Object.fromEntries(users.facts.map((u) => [u.user, u]));
  expect(byName['app']).toMatchObject({ enabled: true, nopass: false, commands: '+@all -@scripting', may: { eval: false, config: true } });
  expect(byName['default']).toMatchObject({ enabled: true, nopass: false, may: { eval: true } });
  const f = judge(run);
  expect(f['redis.authentication']!.status).toBe('PASS');
  expect(f['redis.scripting-exposure']!.status).toBe('PASS');
  expect(f['redis.scripting-exposure']!.observed).toContain(`Debian 12 package ${owner} ${version}`);
  expect(f['redis.dangerous-commands']!.status).toBe('FAIL');
  expect(f['redis.dangerous-commands']!.observed).toContain('the default user (the front-ends\' user) may run CONFIG, FLUSHALL, FLUSHDB, KEYS');
});

test('no password, protected mode off, on a private address: authentication FAILs; built from upstream 7.0.15 it also fails scripting-exposure while redis.version passes', () => {
  const run = probe('open');
  const fact = parseRedisServerRows(run.server.Content).facts[0]!;
  expect(fact).toMatchObject({ authRequired: false, defaultUserNopass: true, protectedMode: 'no' });
  expect(parseAclUserRows(run.users.Content).facts).toEqual([expect.objectContaining({ user: 'default', nopass: true, may: expect.objectContaining({ eval: true }) })]);
  const onPrivateAddress = (row: Record<string, string>) => (row['listen'] = row['listen']!.replaceAll(HOST, '10.0.1.11'));
  const packaged = judge(run, onPrivateAddress);
  expect(packaged['redis.authentication']).toMatchObject({ status: 'FAIL', severity: 'high' });
  expect(packaged['redis.authentication']!.observed).toContain('answers commands without authentication on 10.0.1.11');
  expect(packaged['redis.scripting-exposure']!.status).toBe('PASS');
  const upstream = judge(run, (row) => {
    onPrivateAddress(row);
    Object.assign(row, { package_manager: 'none', package_name: '', package_version: '', executable: '/usr/local/bin/redis-server' });
  });
  expect(upstream['redis.version']!.status).toBe('PASS');
  expect(upstream['redis.authentication']!.status).toBe('FAIL');
  expect(upstream['redis.scripting-exposure']).toMatchObject({ status: 'FAIL', severity: 'critical' });
  expect(upstream['redis.scripting-exposure']!.observed).toContain('CVE-2025-49844');
  // On its real loopback address the same server is no exposure.
  expect(judge(run)['redis.authentication']!.status).toBe('PASS');
});

test('the default user off: the probe logs in as the configured user; authentication PASS', () => {
  const run = probe('default-off');
  const fact = parseRedisServerRows(run.server.Content).facts[0]!;
  expect(fact).toMatchObject({ status: 'ok', authRequired: true, defaultUserEnabled: false });
  const users = Object.fromEntries(parseAclUserRows(run.users.Content).facts.map((u) => [u.user, u]));
  expect(users['default']).toMatchObject({ enabled: false });
  expect(users['app']).toMatchObject({ enabled: true, may: { eval: false } });
  const f = judge(run, (row) => (row['listen'] = row['listen']!.replaceAll(HOST, '10.0.1.11')));
  expect(f['redis.authentication']!.status).toBe('PASS');
  expect(f['redis.scripting-exposure']!.status).toBe('PASS');
});

test('protected mode on a password-less server bound to every address: non-local clients are refused, authentication PASS with the reason', () => {
  const run = probe('wildcard');
  const fact = parseRedisServerRows(run.server.Content).facts[0]!;
  expect(fact).toMatchObject({ authRequired: false, protectedMode: 'yes' });
  expect(fact.listen).toContain(`0.0.0.0:${ports[3]}`);
  const f = judge(run);
  expect(f['redis.authentication']!.status).toBe('PASS');
  expect(f['redis.authentication']!.observed).toContain('protected mode (yes) refuses clients from 0.0.0.0');
  // Protected mode off (as the row would say after CONFIG SET protected-mode no): the same server fails.
  expect(judge(run, (row) => (row['protected_mode'] = 'no'))['redis.authentication']!.status).toBe('FAIL');
});

test('debug and module commands enabled: redis.dangerous-commands FAILs on both settings', () => {
  const run = probe('debuggable');
  expect(parseRedisServerRows(run.server.Content).facts[0]).toMatchObject({ enableDebugCommand: 'yes', enableModuleCommand: 'yes' });
  const f = judge(run)['redis.dangerous-commands']!;
  expect(f.status).toBe('FAIL');
  expect(f.observed).toContain('enable-debug-command yes');
  expect(f.observed).toContain('enable-module-command yes');
  expect(f.observed).toContain('may run CONFIG, DEBUG, MODULE, FLUSHALL, FLUSHDB, KEYS');
});
