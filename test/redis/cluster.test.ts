/**
 * Six-node Redis Clusters of real redis-server 7.0 processes: three "servers" (127.0.0.1, .2, .3,
 * each bound to its own address only, like a node bound to its private address), two processes
 * each. Plain, with requirepass + masterauth, and TLS only (port 0). Each is probed per server
 * (REDIS_PIDS = that server's two processes) before `redis-cli --cluster create` (cluster-enabled
 * nodes never joined: cluster.mode FAIL) and after (a healthy cluster: PASS on both rules).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_SLOTS, parseClusterNodeRows, parseRedisServerRows } from '../../lambdas/core/inventory/redis-probe-rows';
import { expectValidOutput, runProbe, verdicts, type ProbeRun } from './support/probe-runner';
import { RedisFleet, freePorts, isAlive, makeCertificates, redisCli, requireCommands, waitForClusterOk } from './support/redis-fleet';

jest.setTimeout(60000);
requireCommands('redis-server', 'redis-cli', 'openssl');

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'] as const;
/** A password with a space, quotes and a backslash: the probe must read it from the config file as Redis does. */
const PASSWORD = 's3cret "pass" \\ word';
const QUOTED_PASSWORD = `"${PASSWORD.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

type Variant = 'plain' | 'password' | 'tls';

describe.each<Variant>(['plain', 'password', 'tls'])('a six-node cluster, %s', (variant) => {
  const fleet = new RedisFleet();
  let ports: number[] = [];
  let tlsArgs: string[] = [];
  const pids: number[] = [];
  const cli = { ...(variant === 'password' ? { password: PASSWORD } : {}), tls: tlsArgs };

  beforeAll(async () => {
    ports = await freePorts(HOSTS, 2);
    const certs = variant === 'tls' ? makeCertificates(fleet.dir) : undefined;
    if (certs) tlsArgs.push('--tls', '--cacert', certs.ca, '--cert', certs.cert, '--key', certs.key);
    cli.tls = tlsArgs;
    await Promise.all(
      HOSTS.flatMap((host, server) =>
        ports.map((port) =>
          fleet.start(`s${server + 1}-${port}`, {
            host,
            port,
            config: [
              `bind ${host}`,
              // Loopback picks 127.0.0.1 as the source of every connection: each node announces and
              // connects from its own address, as a server with one private address does.
              `bind-source-addr ${host}`,
              `cluster-announce-ip ${host}`,
              ...(certs
                ? ['port 0', `tls-port ${port}`, `tls-cert-file ${certs.cert}`, `tls-key-file ${certs.key}`, `tls-ca-cert-file ${certs.ca}`, 'tls-cluster yes', 'tls-replication yes']
                : [`port ${port}`]),
              'cluster-enabled yes',
              `cluster-config-file nodes-${host}-${port}.conf`,
              'cluster-node-timeout 3000',
              ...(variant === 'password' ? [`requirepass ${QUOTED_PASSWORD}`, `masterauth ${QUOTED_PASSWORD}`] : []),
            ],
          }),
        ),
      ),
    );
    pids.push(...fleet.processes.map((p) => p.pid));
  });

  afterAll(async () => {
    await fleet.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  /** Probes each server: its two processes, its config files found in the fleet folder. */
  function probeServers(): ProbeRun[] {
    return HOSTS.map((_, server) => runProbe({ REDIS_PIDS: fleet.pids(...ports.map((p) => `s${server + 1}-${p}`)), REDIS_CONFIG_DIRS: fleet.dir, REDIS_PORTS: ports.join(',') }));
  }

  function expectProcessRows(runs: readonly ProbeRun[]): void {
    runs.forEach((run, server) => {
      expectValidOutput(run);
      const { facts, problems } = parseRedisServerRows(run.server.Content);
      expect(problems).toEqual([]);
      expect(facts.map((f) => [f.status, f.address, f.port, f.tls, f.authRequired, f.redisVersion, f.binaryVersion, f.redisMode, f.clusterEnabled])).toEqual(
        ports.map((port) => ['ok', HOSTS[server], port, variant === 'tls', variant === 'password', '7.0.15', '7.0.15', 'cluster', true]),
      );
      for (const fact of facts) {
        expect(fact.configFile).toBe(join(fleet.dir, `s${server + 1}-${fact.port}.conf`));
        expect(fact.listen).toEqual(expect.arrayContaining([`${HOSTS[server]}:${fact.port}`, `${HOSTS[server]}:${fact.port! + 10000}`]));
        expect(fact.usedMemory).toBeGreaterThan(0);
        expect(fact.totalSystemMemory).toBeGreaterThan(0);
        expect(fact.maxmemoryPolicy).toBe('noeviction');
        expect(fact.protectedMode).toBe('yes');
      }
    });
  }

  test('nodes never joined into a cluster: cluster.mode FAIL with the state and slot counts; redis.version PASS', () => {
    const runs = probeServers();
    expectProcessRows(runs);
    const facts = parseRedisServerRows(runs[0]!.server.Content).facts;
    expect(facts[0]).toMatchObject({ clusterState: 'fail', clusterSlotsAssigned: 0, clusterKnownNodes: 1 });
    const { version, mode } = verdicts(runs);
    expect(version.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(mode.status).toBe('FAIL');
    expect(mode.observed).toContain('cluster-enabled but not a working cluster (cluster_state fail, 0 of 16384 slots assigned');
    expect(mode.remediation).toContain('redis-cli --cluster create');
  });

  test('created with redis-cli --cluster create --cluster-replicas 1: PASS on both rules, the cluster as each node sees it', async () => {
    const nodes = HOSTS.flatMap((host) => ports.map((port) => `${host}:${port}`));
    redisCli(['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'], { ...cli, timeoutMs: 30000 });
    await waitForClusterOk(HOSTS.flatMap((host) => ports.map((port) => ({ host, port }))), cli);
    const runs = probeServers();
    expectProcessRows(runs);
    for (const run of runs) {
      for (const fact of parseRedisServerRows(run.server.Content).facts) {
        expect(fact).toMatchObject({ clusterState: 'ok', clusterSlotsAssigned: CLUSTER_SLOTS, clusterSlotsOk: CLUSTER_SLOTS, clusterKnownNodes: 6, clusterSize: 3 });
        expect(fact.clusterNodeId).toMatch(/^[0-9a-f]{40}$/);
      }
      // Every process sees all six nodes: three masters covering the 16,384 slots, three replicas.
      const { facts: views, problems } = parseClusterNodeRows(run.nodes.Content);
      expect(problems).toEqual([]);
      expect(views).toHaveLength(12);
      for (const port of ports) {
        const view = views.filter((v) => v.seenFromPort === port);
        expect(view).toHaveLength(6);
        const masters = view.filter((v) => v.flags.includes('master'));
        expect(masters).toHaveLength(3);
        expect(masters.reduce((n, m) => n + m.slotCount, 0)).toBe(CLUSTER_SLOTS);
        expect(view.filter((v) => v.flags.includes('slave')).every((r) => masters.some((m) => m.nodeId === r.masterId))).toBe(true);
        expect(view.filter((v) => v.flags.includes('myself'))).toHaveLength(1);
        expect(new Set(view.map((v) => `${v.host}:${v.port}`))).toEqual(new Set(HOSTS.flatMap((h) => ports.map((p) => `${h}:${p}`))));
        expect(view.every((v) => v.busPort === v.port + 10000)).toBe(true);
      }
    }
    const { version, mode } = verdicts(runs);
    expect(version.map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(version[0]!.observed).toContain('(Custom:RedisServer inventory from the Redis probe)');
    expect(mode.status).toBe('PASS');
    expect(mode.observed).toContain('cluster (cluster_state ok, 16384 of 16384 slots assigned (ok 16384, pfail 0, fail 0), 6 known nodes)');
    if (variant === 'password') {
      for (const run of runs) {
        const everything = `${run.stdout}${run.stderr}${readFileSync(join(run.dir, 'RedisServer.json'), 'utf8')}${readFileSync(join(run.dir, 'RedisClusterNode.json'), 'utf8')}`;
        expect(everything).not.toContain('s3cret');
      }
    }
  });
});
