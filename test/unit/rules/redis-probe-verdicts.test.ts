/**
 * redis.version and cluster.mode on the Redis probe's rows (docs/redis-probe.md), from the
 * AWS-shaped estate builder; the same rules on rows from real redis-server processes are in test/redis/.
 */
import { clusterModeRule } from '../../../lambdas/core/rules/cluster-mode';
import { redisVersionRule } from '../../../lambdas/core/rules/redis-version';
import { ACCOUNT, REDIS_IDS, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { findingFor, setInstanceTag } from '../../support/evaluate-rule';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;
const redis = REDIS_IDS[0];
type Row = Record<string, string>;

function node(port: number, overrides: Row = {}): Row {
  return {
    probe_version: '2', status: 'ok', pid: String(1000 + port), process: 'redis-server', address: '10.0.1.11', port: String(port), listen: `10.0.1.11:${port} 10.0.1.11:${port + 10000}`,
    tls: '0', auth_required: '1', binary_version: '7.0.15', config_file: `/etc/redis/${port}.conf`, redis_version: '7.0.15', redis_mode: 'cluster', role: 'master', cluster_enabled: '1',
    cluster_state: 'ok', cluster_slots_assigned: '16384', cluster_slots_ok: '16384', cluster_slots_pfail: '0', cluster_slots_fail: '0', cluster_known_nodes: '6', cluster_size: '3',
    cluster_node_id: 'a'.repeat(40), maxmemory: '0', maxmemory_policy: 'noeviction', used_memory: '1000000', total_system_memory: '16000000000', protected_mode: 'yes', error: '',
    ...overrides,
  };
}

function withProbeRows(rowsFor: (id: string) => Row[], estate: EstateBuilder = compliantEstate(), ids: readonly string[] = REDIS_IDS): EstateBuilder {
  return estate.mutate((t) => {
    for (const id of ids) {
      const data = t.ssm.Entities.find((e) => e.Id === id)!.Data!;
      data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: rowsFor(id) };
    }
  });
}

const healthy = () => withProbeRows(() => [node(7000), node(7001, { role: 'slave', master_host: '10.0.1.12', master_port: '7000' })]);
const notRunning = (error = 'redis-server 7.0.15 is installed but no redis-server or redis-sentinel process is running'): Row => ({ probe_version: '2', status: 'not_running', binary_version: '7.0.15', error });

describe('redis.version on probe rows', () => {
  it('passes a healthy password-protected cluster on the running version', () => {
    const f = findingFor(redisVersionRule, healthy(), redis);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('"7.0.15" on port 7000 = Redis 7.0.15, "7.0.15" on port 7001 = Redis 7.0.15 (Custom:RedisServer inventory from the Redis probe)');
  });

  it('fails when the probe saw no Redis process, whatever the package says, quoting the probe', () => {
    const f = findingFor(redisVersionRule, withProbeRows(() => [notRunning()]), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('no Redis process running on the server: redis-server 7.0.15 is installed but no redis-server or redis-sentinel process is running');
    expect(f.observed).toContain('Installed package: redis-server "5:7.0.15-1~deb12u1"');
    expect(f.remediation).toContain(`Start the Redis 7.0.x processes on ${redis}`);
  });

  it('judges a process that did not answer on the binary it runs, and says so', () => {
    const f = findingFor(redisVersionRule, withProbeRows(() => [node(7000), { probe_version: '2', status: 'error', pid: '77', process: 'redis-server', port: '7001', binary_version: '7.2.4', error: 'NOAUTH Authentication required.' }]), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Redis process on port 7001, which did not answer (NOAUTH Authentication required.), runs a binary reporting "7.2.4" = Redis 7.2.4');
  });

  it('is UNKNOWN, never PASS, when a running process did not answer and its version is unknown', () => {
    const f = findingFor(redisVersionRule, withProbeRows(() => [node(7000), { probe_version: '2', status: 'error', port: '7001', error: 'authentication required; no password in a config file matched by port' }]), redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('Redis process on port 7001 did not answer (authentication required');
    expect(f.remediation).toContain('PasswordParameter');
  });

  it('ignores configured ports nothing listens on when a process answered', () => {
    const f = findingFor(redisVersionRule, withProbeRows(() => [node(6379, { redis_mode: 'standalone', cluster_enabled: '0' }), notRunning('no Redis process listens on port 7000')]), redis);
    expect(f.status).toBe('PASS');
  });

  it('is UNKNOWN when a probe row breaks the schema', () => {
    const f = findingFor(redisVersionRule, withProbeRows(() => [node(7000), { probe_version: '2', status: 'bogus' }]), redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('status "bogus" is not one of ok, error, not_running');
  });
});

describe('cluster.mode on probe rows', () => {
  it('passes a healthy cluster, quoting state and slots', () => {
    const f = findingFor(clusterModeRule, healthy(), CLUSTER);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('Redis process on port 7000 (10.0.1.11): cluster (cluster_state ok, 16384 of 16384 slots assigned (ok 16384, pfail 0, fail 0), 6 known nodes)');
  });

  it('fails cluster-enabled nodes whose cluster was never created, with the state and slot counts', () => {
    const never = { cluster_state: 'fail', cluster_slots_assigned: '0', cluster_slots_ok: '0', cluster_known_nodes: '1', cluster_size: '0' };
    const f = findingFor(clusterModeRule, withProbeRows(() => [node(7000, never), node(7001, never)]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('cluster-enabled but not a working cluster (cluster_state fail, 0 of 16384 slots assigned (ok 0, pfail 0, fail 0), 1 known nodes)');
    expect(f.remediation).toContain('redis-cli --cluster create');
    expect(f.remediation).not.toContain('Sentinel');
  });

  it('fails a cluster whose state is ok but slots are missing', () => {
    const f = findingFor(clusterModeRule, withProbeRows((id) => [node(7000, id === redis ? { cluster_slots_assigned: '10923' } : {})]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('10923 of 16384 slots assigned');
  });

  it('fails a standalone server on 6379 (outside the layout), not UNKNOWN', () => {
    const f = findingFor(clusterModeRule, withProbeRows(() => [node(6379, { redis_mode: 'standalone', cluster_enabled: '0' }), notRunning('no Redis process listens on port 7000')]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Redis process on port 6379 (10.0.1.11): standalone');
  });

  it('sees Sentinel from INFO, and by executable or port 26379 when it did not answer', () => {
    for (const sentinel of [
      node(26379, { redis_mode: 'sentinel', cluster_enabled: '', sentinel_masters: '1' }),
      { probe_version: '2', status: 'error', process: 'redis-sentinel', port: '5000', error: 'NOAUTH Authentication required.' },
      { probe_version: '2', status: 'error', process: 'redis-server', port: '26379', error: 'NOAUTH Authentication required.' },
    ]) {
      const f = findingFor(clusterModeRule, withProbeRows(() => [node(6379, { redis_mode: 'standalone', cluster_enabled: '0' }), sentinel]), CLUSTER);
      expect(f.status).toBe('FAIL');
      expect(f.observed).toMatch(/: sentinel/);
    }
  });

  it('fails when no Redis process runs on a member', () => {
    const f = findingFor(clusterModeRule, withProbeRows(() => [notRunning()], healthy(), [REDIS_IDS[2]]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('no Redis process runs');
    expect(f.remediation).toContain(`Start the Redis Cluster processes (ports 7000 and 7001) on ${REDIS_IDS[2]}`);
  });

  it('is UNKNOWN, never PASS, when one process of a cluster member did not answer', () => {
    const f = findingFor(clusterModeRule, withProbeRows(() => [node(7000), { probe_version: '2', status: 'error', port: '7001', error: 'Connection reset by peer' }]), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('did not answer (Connection reset by peer)');
  });
});

describe('cluster.mode with less evidence: never PASS', () => {
  const describeInstancesFailed = { service: 'ec2', operation: 'DescribeInstances', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' };
  const inventoryFailed = { service: 'ssm', operation: 'GetInventory', code: 'ThrottlingException', message: 'Rate exceeded' };

  it('is UNKNOWN when DescribeInstances failed, even with every member probed as cluster', () => {
    const f = findingFor(clusterModeRule, healthy().error(describeInstancesFailed), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('members it hid may run Sentinel');
    expect(f.remediation).toContain('ec2:DescribeInstances');
  });

  it('still fails on the evidence it has when DescribeInstances failed', () => {
    const f = findingFor(clusterModeRule, withProbeRows(() => [node(6379, { redis_mode: 'standalone', cluster_enabled: '0' })]).error(describeInstancesFailed), CLUSTER);
    expect(f.status).toBe('FAIL');
  });

  it('does not pass on the RedisMode tag when the inventory read failed', () => {
    let estate = compliantEstate().mutate((t) => {
      for (const e of t.ssm.Entities) delete e.Data!['Custom:RedisServer'];
    });
    for (const id of REDIS_IDS) estate = setInstanceTag(estate, id, 'RedisMode', 'cluster');
    expect(findingFor(clusterModeRule, estate, CLUSTER).status).toBe('PASS');
    const f = findingFor(clusterModeRule, estate.error(inventoryFailed), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('comes from the tag only, and the inventory read failed');
  });

  it('passes on probe rows read before the inventory read failed part-way', () => {
    expect(findingFor(clusterModeRule, healthy().error(inventoryFailed), CLUSTER).status).toBe('PASS');
  });
});
