/**
 * cluster.failover and cluster.zone-spread against what real Redis 7.0 does when servers are lost:
 * - a replica that never synced (a wrong masterauth, master_link_status:down) is the only replica
 *   of a master on another server: the rule fails that server; Redis, when the server is killed,
 *   never elects the replica and the cluster goes down;
 * - 4 and 6 masters, half of them in one "zone" (a set of loopback addresses placed in one
 *   Availability Zone in the estate), each with its replica in the other zone: cluster.failover
 *   passes (any one server is survivable), cluster.zone-spread fails; Redis, when that half is
 *   killed, keeps the survivors in cluster_state:fail and promotes no replica (no majority).
 * Each server is probed with the real probe (inventory/redis-probe.sh) and the rows judged in an
 * AWS-shaped estate of instances at those addresses.
 */
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import type { Finding } from '../../lambdas/core/model';
import { clusterFailoverRule } from '../../lambdas/core/rules/cluster-failover';
import { clusterZoneSpreadRule } from '../../lambdas/core/rules/cluster-zone-spread';
import { validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { EstateBuilder, REDIS_SG, redisPackage, tcpPermission } from '../support/estate-builder';
import { runProbe, type ProbeRun } from './support/probe-runner';
import { RedisFleet, freePorts, isAlive, redisCli, requireCommands } from './support/redis-fleet';

jest.setTimeout(180000);
requireCommands('redis-server', 'redis-cli');

const PASSWORD = 'correct-horse-7';
const auth = { password: PASSWORD };

interface Node {
  id: string;
  host: string;
  port: number;
  flags: string[];
  masterId: string | undefined;
}

function at(host: string, port: number): string[] {
  return ['-h', host, '-p', String(port)];
}

function nodesSeenBy(host: string, port: number): Node[] {
  return redisCli([...at(host, port), 'CLUSTER', 'NODES'], auth)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [id, address, flags, master] = l.split(' ');
      const hostPort = address!.split('@')[0]!;
      const colon = hostPort.lastIndexOf(':');
      return { id: id!, host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)), flags: flags!.split(','), masterId: master === '-' ? undefined : master };
    });
}

async function until(what: string, check: () => boolean, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const info = (host: string, port: number, section: string) => redisCli([...at(host, port), 'INFO', section], auth);
const clusterInfo = (host: string, port: number) => redisCli([...at(host, port), 'CLUSTER', 'INFO'], auth);

function config(host: string, port: number, masterauth: string): string[] {
  // protected-mode no: nodes on 127.0.0.2.. connect to each other (test addresses only; a password is set).
  return [`bind ${host}`, `bind-source-addr ${host}`, `cluster-announce-ip ${host}`, `port ${port}`, 'cluster-enabled yes', `cluster-config-file nodes-${host}-${port}.conf`, 'protected-mode no', 'cluster-node-timeout 1000', `requirepass ${PASSWORD}`, `masterauth ${masterauth}`];
}

/**
 * Starts a master on each host's first port and, on its second port, a replica of the master of
 * `replicaOf[i]`'s host (masterauth `wrongAuth` for the hosts listed there); returns the masters' ids by host index.
 */
async function buildCluster(fleet: RedisFleet, hosts: readonly string[], ports: readonly number[], replicaOf: readonly number[], wrongAuth: readonly number[] = []): Promise<string[]> {
  await Promise.all(hosts.flatMap((host, i) => ports.map((port, p) => fleet.start(`h${i}-${port}`, { host, port, config: config(host, port, p === 1 && wrongAuth.includes(i) ? 'not-the-password' : PASSWORD) }))));
  const [masterPort, replicaPort] = ports as [number, number];
  redisCli(['--cluster', 'create', ...hosts.map((h) => `${h}:${masterPort}`), '--cluster-replicas', '0', '--cluster-yes'], { ...auth, timeoutMs: 30000 });
  const ids = hosts.map((h) => redisCli([...at(h, masterPort), 'CLUSTER', 'MYID'], auth).trim());
  for (const [i, host] of hosts.entries()) {
    redisCli(['--cluster', 'add-node', `${host}:${replicaPort}`, `${hosts[0]}:${masterPort}`, '--cluster-slave', '--cluster-master-id', ids[replicaOf[i]!]!], { ...auth, timeoutMs: 30000 });
  }
  // Every node knows every other, each replica follows its master, and the cluster is ok everywhere.
  await until('the cluster is ok and every replica follows its master on every node', () =>
    hosts.every((host) =>
      ports.every((port) => {
        const nodes = nodesSeenBy(host, port);
        return /cluster_state:ok/.test(clusterInfo(host, port)) && nodes.length === hosts.length * 2 && hosts.every((h, i) => nodes.some((n) => n.host === h && n.port === replicaPort && n.masterId === ids[replicaOf[i]!]));
      }),
    ),
  );
  // Replicas with the right password finish their first sync (a replica that never synced is not elected).
  await until('the replicas with the right masterauth are in sync', () => hosts.every((host, i) => wrongAuth.includes(i) || /master_link_status:up/.test(info(host, replicaPort, 'replication'))));
  return ids;
}

function probeHosts(fleet: RedisFleet, hosts: readonly string[], ports: readonly number[]): ProbeRun[] {
  return hosts.map((_, i) => runProbe({ REDIS_PIDS: fleet.pids(...ports.map((p) => `h${i}-${p}`)), REDIS_CONFIG_DIRS: fleet.dir, REDIS_PORTS: ports.join(',') }));
}

const instanceId = (i: number) => `i-0feed0000000000${(i + 1).toString(16).padStart(2, '0')}`;

/** Production Redis instances at the hosts' addresses, host i in Availability Zone zones[i] (its own subnet), with the probe rows of host i. */
function judge(hosts: readonly string[], zones: readonly string[], runs: readonly ProbeRun[]): { failover: Finding; zoneSpread: Finding } {
  const estate = new EstateBuilder().securityGroup(REDIS_SG, { name: 'redis-cluster', ingress: [tcpPermission(0, 65535, { groupIds: [REDIS_SG] })] });
  hosts.forEach((host, i) => {
    const subnetId = `subnet-0feed00000000${(i + 1).toString(16).padStart(4, '0')}`;
    estate.subnet(subnetId, `${host}/32`, { tags: { Role: 'redis' } });
    estate.mutate((t) => (t.ec2.Subnets.find((s) => s.SubnetId === subnetId)!.AvailabilityZone = zones[i]));
    estate
      .instance({ id: instanceId(i), subnetId, privateIp: host, securityGroupIds: [REDIS_SG], tags: { Name: `redis-${i + 1}`, Role: 'redis', Environment: 'Production', RedisCluster: 'sessions' } })
      .ssmOnline(instanceId(i))
      .inventory(instanceId(i), [redisPackage()]);
    estate.mutate((t) => {
      const data = t.ssm.Entities.find((e) => e.Id === instanceId(i))!.Data!;
      data['Custom:RedisServer'] = { ...runs[i]!.server };
      data['Custom:RedisClusterNode'] = { ...runs[i]!.nodes };
    });
  });
  const snapshot = validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'cluster failover evidence test');
  const { findings } = evaluateSnapshot(snapshot, { rules: [clusterFailoverRule, clusterZoneSpreadRule] });
  return { failover: findings.find((f) => f.ruleId === 'cluster.failover')!, zoneSpread: findings.find((f) => f.ruleId === 'cluster.zone-spread')! };
}

async function kill(fleet: RedisFleet, hostIndexes: readonly number[]): Promise<void> {
  const lost = fleet.processes.filter((p) => hostIndexes.some((i) => p.name.startsWith(`h${i}-`)));
  await Promise.all(lost.map((p) => new Promise<void>((resolve) => (p.child.exitCode !== null || p.child.signalCode !== null ? resolve() : (p.child.once('exit', () => resolve()), p.child.kill('SIGKILL'))))));
}

describe('a replica that never synced (wrong masterauth) is not a failover', () => {
  const fleet = new RedisFleet();
  const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  let pids: number[] = [];

  afterAll(async () => {
    await fleet.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  test('the rule fails the server whose master\'s only replica never synced; Redis, when it is killed, elects nobody and the cluster goes down', async () => {
    const ports = await freePorts(hosts, 2);
    // Host 0's master is followed by host 1's replica, which has the wrong masterauth; host 1's by host 2's, host 2's by host 0's.
    const ids = await buildCluster(fleet, hosts, ports, [2, 0, 1], [1]);
    pids = fleet.processes.map((p) => p.pid);
    expect(info(hosts[1]!, ports[1]!, 'replication')).toMatch(/master_link_status:down/);
    const runs = probeHosts(fleet, hosts, ports);
    expect(runs[1]!.server.Content.find((r) => r.port === String(ports[1]))).toMatchObject({ role: 'slave', master_link_status: 'down' });
    const { failover } = judge(hosts, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], runs);
    expect(failover.status).toBe('FAIL');
    expect(failover.observed).toMatch(new RegExp(`losing ${instanceId(0)} \\(redis-1\\) leaves 546[12] of 16384 slots`));
    expect(failover.observed).toContain(`Master without a replica that can take over: ${hosts[0]}:${ports[0]} (${instanceId(0)}, redis-1)`);
    expect(failover.observed).toContain(`${hosts[1]}:${ports[1]} (${instanceId(1)}, redis-2) has its replication link down (master_link_status down`);
    expect(failover.observed).not.toContain(`Losing ${instanceId(1)}`);
    expect(failover.observed).not.toContain(`Losing ${instanceId(2)}`);
    // What Redis does: host 0's master is marked failed, its replica is never elected, the survivors stop.
    await kill(fleet, [0]);
    await until('the survivors mark the lost master failed and the cluster down', () => nodesSeenBy(hosts[1]!, ports[0]!).some((n) => n.id === ids[0] && n.flags.includes('fail')) && /cluster_state:fail/.test(clusterInfo(hosts[1]!, ports[0]!)));
    // Elections would have been tried within a few node timeouts (1 s each): the replica stays a replica.
    await new Promise((r) => setTimeout(r, 6000));
    expect(info(hosts[1]!, ports[1]!, 'replication')).toMatch(/role:slave/);
    expect(/cluster_state:fail/.test(clusterInfo(hosts[2]!, ports[0]!))).toBe(true);
  });
});

describe.each([
  { masters: 4, hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'] },
  { masters: 6, hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'] },
])('$masters masters, half of them in one zone', ({ masters, hosts }) => {
  const fleet = new RedisFleet();
  let pids: number[] = [];
  const half = masters / 2;
  // Hosts 0..half-1 in eu-west-1a, the others in eu-west-1b; each master's replica on the host half away (the other zone).
  const zones = hosts.map((_, i) => (i < half ? 'eu-west-1a' : 'eu-west-1b'));
  const replicaOf = hosts.map((_, i) => (i + half) % masters);

  afterAll(async () => {
    await fleet.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  test('cluster.failover passes, cluster.zone-spread fails; Redis, losing that zone, promotes no replica and stays down', async () => {
    const ports = await freePorts(hosts, 2);
    await buildCluster(fleet, hosts, ports, replicaOf);
    pids = fleet.processes.map((p) => p.pid);
    const { failover, zoneSpread } = judge(hosts, zones, probeHosts(fleet, hosts, ports));
    expect(failover.status).toBe('PASS');
    expect(zoneSpread.status).toBe('FAIL');
    expect(zoneSpread.observed).toMatch(new RegExp(`^eu-west-1[ab] holds ${half} of ${masters} masters`));
    expect(zoneSpread.observed).toContain(`leaves ${half} of ${masters} masters, not a majority`);
    // What Redis does when zone eu-west-1a is lost: half the masters remain, no majority to elect their replicas.
    await kill(fleet, hosts.map((_, i) => i).filter((i) => i < half));
    const survivor = hosts[half]!;
    await until('the survivors see the cluster down', () => /cluster_state:fail/.test(clusterInfo(survivor, ports[0]!)));
    await new Promise((r) => setTimeout(r, 6000));
    for (const i of hosts.keys()) if (i >= half) expect(info(hosts[i]!, ports[1]!, 'replication')).toMatch(/role:slave/);
    expect(clusterInfo(survivor, ports[0]!)).toMatch(/cluster_state:fail/);
  });
});
