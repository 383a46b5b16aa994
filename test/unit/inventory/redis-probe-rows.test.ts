import { processOfFact } from '../../../lambdas/core/cluster/probe-topology';
import { parseClusterNodeRows, parseRedisServerRows, parseSlotRanges } from '../../../lambdas/core/inventory/redis-probe-rows';

const ID_A = 'a'.repeat(40);
const ID_B = '0123456789abcdef0123456789abcdef01234567';

describe('parseRedisServerRows', () => {
  it('turns a probe row into a typed fact and skips legacy rows', () => {
    const { facts, problems } = parseRedisServerRows([
      { redis_version: '7.0.15', redis_mode: 'cluster' },
      {
        probe_version: '2', status: 'ok', pid: '4242', process: 'redis-server', address: '127.0.0.1', port: '7000', listen: '127.0.0.1:7000 127.0.0.1:17000', tls: '0', auth_required: '1',
        redis_version: '7.0.15', binary_version: '7.0.15', redis_mode: 'cluster', role: 'master', cluster_enabled: '1', cluster_state: 'ok', cluster_slots_assigned: '16384',
        cluster_slots_ok: '16384', cluster_slots_pfail: '0', cluster_slots_fail: '0', cluster_known_nodes: '6', cluster_size: '3', cluster_node_id: ID_A, maxmemory: '0', used_memory: '1000', error: '',
      },
    ]);
    expect(problems).toEqual([]);
    expect(facts).toEqual([
      {
        status: 'ok', pid: 4242, process: 'redis-server', address: '127.0.0.1', port: 7000, listen: ['127.0.0.1:7000', '127.0.0.1:17000'], tls: false, authRequired: true,
        redisVersion: '7.0.15', binaryVersion: '7.0.15', redisMode: 'cluster', role: 'master', clusterEnabled: true, clusterState: 'ok', clusterSlotsAssigned: 16384,
        clusterSlotsOk: 16384, clusterSlotsPfail: 0, clusterSlotsFail: 0, clusterKnownNodes: 6, clusterSize: 3, clusterNodeId: ID_A, maxmemory: 0, usedMemory: 1000,
      },
    ]);
  });

  it('reads an untrusted listener (a process the probe sent nothing to) with its uid and executable, as a process that did not answer', () => {
    const error = 'not trusted with a connection: it runs as uid 65534, not as root, the Redis service user or the owner of its config file; the probe sent it nothing';
    const { facts, problems } = parseRedisServerRows([
      { probe_version: '2', status: 'untrusted listener', pid: '777', uid: '65534', process: 'redis-server', address: '::1', port: '6379', listen: '[::1]:6379', executable: '/tmp/x/redis-server', binary_version: '', binary_version_source: '', error },
    ]);
    expect(problems).toEqual([]);
    expect(facts).toEqual([{ status: 'untrusted listener', pid: 777, uid: 65534, process: 'redis-server', address: '::1', port: 6379, listen: ['[::1]:6379'], executable: '/tmp/x/redis-server', error }]);
    expect(processOfFact('i-0123456789abcdef0', facts[0]!).error).toBe(error);
  });

  it('reports bad values by row and attribute and drops rows without a status', () => {
    const { facts, problems } = parseRedisServerRows([
      { probe_version: '2', status: 'ok', redis_version: '7.0.15', port: '70000', cluster_slots_assigned: '16385', tls: 'yes', redis_mode: 'weird', cluster_node_id: 'xyz' },
      { probe_version: '2', status: 'maybe' },
      { probe_version: '2' },
      { probe_version: '2', status: 'ok' },
    ]);
    expect(facts).toHaveLength(2);
    expect(facts[0]).toEqual({ status: 'ok', redisVersion: '7.0.15', listen: [] });
    expect(problems).toEqual([
      'Custom:RedisServer row 1: cluster_node_id "xyz" is not 40 hex characters',
      'Custom:RedisServer row 1: port "70000" is not a whole number up to 65535',
      'Custom:RedisServer row 1: tls "yes" is not 0 or 1',
      'Custom:RedisServer row 1: redis_mode "weird" is not one of standalone, cluster, sentinel',
      'Custom:RedisServer row 1: cluster_slots_assigned "16385" is not a whole number up to 16384',
      'Custom:RedisServer row 2: status "maybe" is not one of ok, error, not_running, untrusted listener',
      'Custom:RedisServer row 3: no status',
      'Custom:RedisServer row 4: status ok without redis_version',
    ]);
  });
});

describe('parseSlotRanges', () => {
  it.each<[string, Array<[number, number]> | undefined]>([
    ['0-5460', [[0, 5460]]],
    ['0-10 12 20-30', [[0, 10], [12, 12], [20, 30]]],
    ['', []],
    ['16383', [[16383, 16383]]],
    ['16384', undefined],
    ['10-5', undefined],
    ['[93->-abc]', undefined],
  ])('%j', (text, ranges) => expect(parseSlotRanges(text)).toEqual(ranges));
});

describe('parseClusterNodeRows', () => {
  it('reads each node of each view', () => {
    const { facts, problems } = parseClusterNodeRows([
      { seen_from_address: '127.0.0.1', seen_from_port: '7000', node_id: ID_A, address: '127.0.0.1:7000', bus_port: '17000', hostname: '', flags: 'myself,master', master_id: '-', link_state: 'connected', config_epoch: '1', slots: '0-5460', slot_count: '5461' },
      { seen_from_address: '127.0.0.1', seen_from_port: '7000', node_id: ID_B, address: '127.0.0.2:7001', bus_port: '17001', flags: 'slave', master_id: ID_A, link_state: 'connected', config_epoch: '1', slots: '', slot_count: '0' },
      { seen_from_address: '::1', seen_from_port: '7000', node_id: ID_B, address: '[::1]:7001', bus_port: '17001', flags: 'noflags', master_id: '-', link_state: 'connected', config_epoch: '0', slots: '', slot_count: '0' },
    ]);
    expect(problems).toEqual([]);
    expect(facts[0]).toEqual({ seenFromAddress: '127.0.0.1', seenFromPort: 7000, nodeId: ID_A, host: '127.0.0.1', port: 7000, busPort: 17000, flags: ['myself', 'master'], linkState: 'connected', configEpoch: 1, slots: [[0, 5460]], slotCount: 5461 });
    expect(facts[1]).toMatchObject({ host: '127.0.0.2', port: 7001, flags: ['slave'], masterId: ID_A, slots: [], slotCount: 0 });
    expect(facts[2]).toMatchObject({ host: '::1', flags: [] });
  });

  it('rejects a row with a bad id, address, slots or count, saying which', () => {
    const base = { seen_from_port: '7000', node_id: ID_A, address: '127.0.0.1:7000', bus_port: '17000', flags: 'master', master_id: '-', slots: '0-9', slot_count: '10' };
    const { facts, problems } = parseClusterNodeRows([
      { ...base, node_id: 'abc' },
      { ...base, address: 'nowhere' },
      { ...base, slots: '0-9 x' },
      { ...base, slot_count: '11' },
      base,
    ]);
    expect(facts).toHaveLength(1);
    expect(problems).toEqual([
      'Custom:RedisClusterNode row 1: node_id "abc" is not 40 hex characters',
      'Custom:RedisClusterNode row 2: address "nowhere" is not ip:port',
      'Custom:RedisClusterNode row 3: slots "0-9 x" is not a list of slot ranges',
      'Custom:RedisClusterNode row 4: slot_count 11 differs from the 10 slots listed',
    ]);
  });
});
