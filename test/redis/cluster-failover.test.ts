/**
 * cluster.failover and cluster.membership on the real probe's output: six real redis-server 7.0
 * processes on three "servers" (127.0.0.1, .2, .3, two processes each, each bound to and announcing
 * its own address), created with redis-cli --cluster create --cluster-replicas 1 (replicas on other
 * servers). Then the layout is broken the way operators break it: CLUSTER FAILOVER puts two masters
 * on one server; CLUSTER REPLICATE puts a master's only replica on its own server; a machine nobody
 * tagged joins the cluster. Each server is probed on its own (REDIS_PIDS = its two processes), the
 * rows go into the AWS-shaped estate of three instances at those addresses, and the verdicts are
 * asserted on the whole evaluation.
 */
import { clusterFailoverRule } from '../../lambdas/core/rules/cluster-failover';
import { clusterMembershipRule } from '../../lambdas/core/rules/cluster-membership';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import type { Finding } from '../../lambdas/core/model';
import { REDIS_IDS, compliantEstate } from '../support/estate-builder';
import { changeInstance } from '../support/evaluate-rule';
import { expectValidOutput, runProbe, type ProbeRun } from './support/probe-runner';
import { RedisFleet, freePorts, isAlive, redisCli, requireCommands, waitForClusterOk } from './support/redis-fleet';

jest.setTimeout(150000);
requireCommands('redis-server', 'redis-cli');

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'] as const;
const STRANGER = '127.0.0.4';

interface Line {
  id: string;
  host: string;
  port: number;
  master: boolean;
  masterId: string | undefined;
}

const fleet = new RedisFleet();
let ports: number[] = [];
const pids: number[] = [];

function at(host: string, port: number): string[] {
  return ['-h', host, '-p', String(port)];
}

/** CLUSTER NODES of one node, parsed. */
function nodesSeenBy(host: string, port: number): Line[] {
  return redisCli([...at(host, port), 'CLUSTER', 'NODES'])
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [id, address, flags, master] = l.split(' ');
      const [hostPort] = address!.split('@');
      const colon = hostPort!.lastIndexOf(':');
      return { id: id!, host: hostPort!.slice(0, colon), port: Number(hostPort!.slice(colon + 1)), master: flags!.split(',').includes('master'), masterId: master === '-' ? undefined : master };
    });
}

/** Waits until every one of the six nodes sees the same roles and masters, and the predicate holds. */
async function settle(check: (lines: Line[]) => boolean): Promise<Line[]> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const views = HOSTS.flatMap((host) => ports.map((port) => nodesSeenBy(host, port)));
    const key = (lines: Line[]) => lines.filter((l) => HOSTS.includes(l.host as (typeof HOSTS)[number])).map((l) => `${l.id}:${l.master}:${l.masterId}`).sort().join('|');
    const info = HOSTS.flatMap((host) => ports.map((port) => redisCli([...at(host, port), 'CLUSTER', 'INFO'])));
    // Replicas finish their sync too (the probe records master_link_status; one still syncing is not promotable).
    const replication = HOSTS.flatMap((host) => ports.map((port) => redisCli([...at(host, port), 'INFO', 'replication'])));
    const synced = replication.every((r) => !/role:slave/.test(r) || /master_link_status:up/.test(r));
    if (views.every((v) => key(v) === key(views[0]!)) && info.every((i) => /cluster_state:ok/.test(i)) && synced && check(views[0]!)) return views[0]!;
    if (Date.now() > deadline) throw new Error(`cluster did not settle: ${JSON.stringify(views[0])}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function probeServers(): ProbeRun[] {
  return HOSTS.map((_, server) => runProbe({ REDIS_PIDS: fleet.pids(...ports.map((p) => `s${server + 1}-${p}`)), REDIS_CONFIG_DIRS: fleet.dir, REDIS_PORTS: ports.join(',') }));
}

/** The compliant estate's three instances placed at 127.0.0.1-3, each with its own probe run; the two rules' findings. */
function judge(runs: readonly ProbeRun[]): { failover: Finding; membership: Finding } {
  const estate = compliantEstate();
  REDIS_IDS.forEach((id, i) => {
    changeInstance(estate, id, (instance) => {
      instance.PrivateIpAddress = HOSTS[i];
      for (const eni of instance.NetworkInterfaces ?? []) Object.assign(eni, { PrivateIpAddress: HOSTS[i], PrivateIpAddresses: [{ PrivateIpAddress: HOSTS[i], Primary: true }] });
    });
    estate.mutate((t) => {
      const data = t.ssm.Entities.find((e) => e.Id === id)!.Data!;
      data['Custom:RedisServer'] = { ...runs[i]!.server };
      data['Custom:RedisClusterNode'] = { ...runs[i]!.nodes };
    });
  });
  const snapshot = validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'cluster failover test');
  const { findings } = evaluateSnapshot(snapshot, { rules: [clusterFailoverRule, clusterMembershipRule] });
  return { failover: findings.find((f) => f.ruleId === 'cluster.failover')!, membership: findings.find((f) => f.ruleId === 'cluster.membership')! };
}

beforeAll(async () => {
  ports = await freePorts([...HOSTS, STRANGER], 2);
  // protected-mode no: replicas connect from 127.0.0.2 / .3, which protected mode refuses without a password (test addresses only).
  const config = (host: string, port: number) => [`bind ${host}`, `bind-source-addr ${host}`, `cluster-announce-ip ${host}`, `port ${port}`, 'cluster-enabled yes', `cluster-config-file nodes-${host}-${port}.conf`, 'protected-mode no', 'cluster-node-timeout 3000'];
  await Promise.all(HOSTS.flatMap((host, server) => ports.map((port) => fleet.start(`s${server + 1}-${port}`, { host, port, config: config(host, port) }))));
  await fleet.start('stranger', { host: STRANGER, port: ports[0]!, config: config(STRANGER, ports[0]!) });
  pids.push(...fleet.processes.map((p) => p.pid));
  // Masters first (one per server), then the replicas: redis-cli puts each replica on another host.
  const nodes = [...ports.flatMap((port) => HOSTS.map((host) => `${host}:${port}`))];
  redisCli(['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'], { timeoutMs: 30000 });
  await waitForClusterOk(HOSTS.flatMap((host) => ports.map((port) => ({ host, port }))));
});

afterAll(async () => {
  await fleet.stop();
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

test('created by redis-cli --cluster create: every server holds a master and another server\'s replica; PASS on both rules', async () => {
  const lines = await settle(() => true);
  for (const host of HOSTS) expect(lines.filter((l) => l.host === host && l.master)).toHaveLength(1);
  const runs = probeServers();
  runs.forEach(expectValidOutput);
  const { failover, membership } = judge(runs);
  expect(failover.status).toBe('PASS');
  expect(failover.observed).toContain('Losing any one of 3 servers leaves all 16384 slots served and a majority of the 3 masters alive');
  expect(membership.status).toBe('PASS');
  expect(membership.observed).toContain('Every member sees the same 6 nodes, all on the 3 tagged servers');
});

test('CLUSTER FAILOVER puts two masters on one server: FAIL, naming the server and the slots at risk', async () => {
  const before = await settle(() => true);
  // The replica on the first server (its second port) takes over its master on another server.
  const replica = before.find((l) => l.host === HOSTS[0] && !l.master)!;
  redisCli([...at(replica.host, replica.port), 'CLUSTER', 'FAILOVER']);
  await settle((lines) => lines.filter((l) => l.host === HOSTS[0] && l.master).length === 2);
  const { failover } = judge(probeServers());
  expect(failover.status).toBe('FAIL');
  expect(failover.observed).toContain(`Losing ${REDIS_IDS[0]} (redis-prod-1) leaves`);
  expect(failover.observed).toContain('only 1 of 3 masters would remain, not a majority, so no replica can be promoted');
  expect(failover.observed).toMatch(/leaves 1092[23] of 16384 slots \(/);
  expect(failover.remediation).toContain(`Move all but one master off ${REDIS_IDS[0]}`);
  // Back to one master per server: the old master (now a replica elsewhere) takes over again.
  const oldMaster = before.find((l) => l.id === replica.masterId)!;
  redisCli([...at(oldMaster.host, oldMaster.port), 'CLUSTER', 'FAILOVER']);
  await settle((lines) => HOSTS.every((host) => lines.filter((l) => l.host === host && l.master).length === 1));
  expect(judge(probeServers()).failover.status).toBe('PASS');
});

test('CLUSTER REPLICATE puts a master\'s only replica on its own server: FAIL, naming the server and the master', async () => {
  const before = await settle(() => true);
  const master = before.find((l) => l.host === HOSTS[0] && l.master)!;
  const replica = before.find((l) => l.host === HOSTS[0] && !l.master)!;
  const otherReplica = before.find((l) => l.masterId === master.id)!;
  // The first server's replica follows the master beside it; the master's replica elsewhere takes over the one it left.
  redisCli([...at(replica.host, replica.port), 'CLUSTER', 'REPLICATE', master.id]);
  redisCli([...at(otherReplica.host, otherReplica.port), 'CLUSTER', 'REPLICATE', replica.masterId!]);
  await settle((lines) => lines.some((l) => l.id === replica.id && l.masterId === master.id) && lines.some((l) => l.id === otherReplica.id && l.masterId === replica.masterId));
  const { failover } = judge(probeServers());
  expect(failover.status).toBe('FAIL');
  expect(failover.observed).toMatch(new RegExp(`^Losing ${REDIS_IDS[0]} \\(redis-prod-1\\) leaves 546[12] of 16384 slots`));
  expect(failover.observed).toContain(`master ${master.host}:${master.port} (${REDIS_IDS[0]}, redis-prod-1) has no replica on another server`);
  // Only that server's loss is fatal: every other master keeps a replica elsewhere.
  expect(failover.observed).not.toContain('Master without a replica that can take over');
  expect(failover.observed).not.toContain(`Losing ${REDIS_IDS[1]}`);
  expect(failover.remediation).toContain(`CLUSTER REPLICATE <${master.id}>`);
});

test('a machine no one tagged joins the cluster: cluster.membership FAIL, naming its address', async () => {
  redisCli(['--cluster', 'add-node', `${STRANGER}:${ports[0]}`, `${HOSTS[0]}:${ports[0]}`], { timeoutMs: 30000 });
  const deadline = Date.now() + 20000;
  while (!HOSTS.every((host) => ports.every((port) => nodesSeenBy(host, port).some((l) => l.host === STRANGER)))) {
    if (Date.now() > deadline) throw new Error('the new node did not become known to every node');
    await new Promise((r) => setTimeout(r, 200));
  }
  const { membership } = judge(probeServers());
  expect(membership.status).toBe('FAIL');
  expect(membership.observed).toContain(`The cluster knows 1 node on no server tagged for sessions-prod: ${STRANGER}:${ports[0]} (no instance of the snapshot has this address)`);
});

/** SIGKILLs the two processes of one server (as a lost instance) and waits until they are gone. */
async function loseServer(f: RedisFleet, server: number): Promise<void> {
  const lost = f.processes.filter((p) => p.name.startsWith(`s${server + 1}-`));
  await Promise.all(lost.map((p) => new Promise<void>((resolve) => (p.child.exitCode !== null || p.child.signalCode !== null ? resolve() : (p.child.once('exit', () => resolve()), p.child.kill('SIGKILL'))))));
}

async function clusterStateOn(host: string, port: number, want: 'ok' | 'fail', extra: (nodes: string) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const info = redisCli([...at(host, port), 'CLUSTER', 'INFO']);
    if (info.includes(`cluster_state:${want}`) && extra(redisCli([...at(host, port), 'CLUSTER', 'NODES']))) return;
    if (Date.now() > deadline) throw new Error(`cluster_state on ${host}:${port} is not ${want} after 30 s: ${info}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the model holds on real Redis: losing the server the rule named takes the cluster down', async () => {
  // The layout left by the tests above: the first server holds a master and its only replica.
  expect(judge(probeServers()).failover.observed).toMatch(new RegExp(`^Losing ${REDIS_IDS[0]}`));
  await loseServer(fleet, 0);
  await clusterStateOn(HOSTS[1], ports[0]!, 'fail');
});

describe('a healthy cluster on real Redis survives the loss of any one server, as the rule says', () => {
  const healthy = new RedisFleet();
  let healthyPorts: number[] = [];
  const healthyPids: number[] = [];

  afterAll(async () => {
    await healthy.stop();
    for (const pid of healthyPids) expect(isAlive(pid)).toBe(false);
  });

  test('PASS, then losing the second server: its master\'s replica is promoted and all 16384 slots stay served', async () => {
    healthyPorts = await freePorts(HOSTS, 2);
    const config = (host: string, port: number) => [`bind ${host}`, `bind-source-addr ${host}`, `cluster-announce-ip ${host}`, `port ${port}`, 'cluster-enabled yes', `cluster-config-file nodes-${host}-${port}.conf`, 'protected-mode no', 'cluster-node-timeout 1000'];
    await Promise.all(HOSTS.flatMap((host, server) => healthyPorts.map((port) => healthy.start(`s${server + 1}-${port}`, { host, port, config: config(host, port) }))));
    healthyPids.push(...healthy.processes.map((p) => p.pid));
    redisCli(['--cluster', 'create', ...healthyPorts.flatMap((port) => HOSTS.map((host) => `${host}:${port}`)), '--cluster-replicas', '1', '--cluster-yes'], { timeoutMs: 30000 });
    await waitForClusterOk(HOSTS.flatMap((host) => healthyPorts.map((port) => ({ host, port }))));
    // A replica that never finished its first sync cannot be elected (and the rule does not count it): wait until every replica's link is up.
    const syncDeadline = Date.now() + 60000;
    while (!HOSTS.every((host) => healthyPorts.every((port) => !/role:slave/.test(redisCli([...at(host, port), 'INFO', 'replication'])) || /master_link_status:up/.test(redisCli([...at(host, port), 'INFO', 'replication']))))) {
      if (Date.now() > syncDeadline) throw new Error('replicas did not finish their first sync');
      await new Promise((r) => setTimeout(r, 250));
    }
    const runs = HOSTS.map((_, server) => runProbe({ REDIS_PIDS: healthy.pids(...healthyPorts.map((p) => `s${server + 1}-${p}`)), REDIS_CONFIG_DIRS: healthy.dir, REDIS_PORTS: healthyPorts.join(',') }));
    expect(judge(runs).failover.status).toBe('PASS');
    await loseServer(healthy, 1);
    // Served again once both lost nodes are flagged failed, no failed node serves a slot any more (a
    // replica elsewhere took over the lost master), and every slot is ok.
    const promoted = (nodes: string) => {
      const lost = nodes.split('\n').filter((l) => l.includes(`${HOSTS[1]}:`));
      return lost.length === 2 && lost.every((l) => /\bfail\b/.test(l.split(' ')[2] ?? '') && l.split(' ').length <= 8);
    };
    const deadline = Date.now() + 60000;
    while (!(promoted(redisCli([...at(HOSTS[0], healthyPorts[0]!), 'CLUSTER', 'NODES'])) && /cluster_state:ok[\s\S]*cluster_slots_ok:16384/.test(redisCli([...at(HOSTS[0], healthyPorts[0]!), 'CLUSTER', 'INFO'])))) {
      if (Date.now() > deadline) throw new Error(`no failover after 60 s: ${redisCli([...at(HOSTS[0], healthyPorts[0]!), 'CLUSTER', 'NODES'])}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});
