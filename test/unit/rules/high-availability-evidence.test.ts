/**
 * The high-availability rules on evidence that is partial, stale or says a replica cannot take over:
 * replication links, what users see when slots are lost, lost views, hidden servers, disagreeing
 * views, unprobed members, masters placed by the address they announce, a zone holding half.
 */
import { clusterFailoverRule } from '../../../lambdas/core/rules/cluster-failover';
import { clusterMembershipRule } from '../../../lambdas/core/rules/cluster-membership';
import { clusterZoneSpreadRule } from '../../../lambdas/core/rules/cluster-zone-spread';
import { ACCOUNT, REDIS_IDS, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { changeInstance, findingFor } from '../../support/evaluate-rule';
import { HEALTHY_LAYOUT, nodeId, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';
import { ZONED_REDIS_IPS } from '../../support/highly-available-estate';
import { acrossZones } from '../../support/zone-spread';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}` }));
const ZONED: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: ZONED_REDIS_IPS[i]! }));
const LIST_INVENTORY_DENIED = { service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDeniedException', message: 'not authorized to perform: ssm:ListInventoryEntries' };
const DESCRIBE_INSTANCES_DENIED = { service: 'ec2', operation: 'DescribeInstances', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' };

function probed(nodes: readonly NodeSpec[], estate: EstateBuilder = compliantEstate()): EstateBuilder {
  return withClusterProbe(estate, SERVERS, nodes);
}

const failover = (estate: EstateBuilder) => findingFor(clusterFailoverRule, estate, CLUSTER);
const membership = (estate: EstateBuilder) => findingFor(clusterMembershipRule, estate, CLUSTER);
const zoneSpread = (estate: EstateBuilder) => findingFor(clusterZoneSpreadRule, estate, CLUSTER);

/** Removes instances from the listing, as a DescribeInstances call that failed part-way would. */
function hide(estate: EstateBuilder, ids: readonly string[]): EstateBuilder {
  return estate.mutate((t) => {
    t.ec2.Reservations = t.ec2.Reservations.filter((r) => !(r.Instances ?? []).some((i) => ids.includes(i.InstanceId)));
    t.errors.push(DESCRIBE_INSTANCES_DENIED);
  });
}

describe('cluster.failover: a replica takes over only with its replication link up', () => {
  it('fails a master whose only other-server replica never synced (master_link_status down), saying why and how to fix it', () => {
    // HEALTHY_LAYOUT[3] is the replica of server 0's master, on server 1.
    const f = failover(probed(HEALTHY_LAYOUT.map((n, i) => (i === 3 ? { ...n, linkStatus: 'down' } : n))));
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`losing ${REDIS_IDS[0]} (redis-prod-1) leaves 5461 of 16384 slots (0-5460) without a master`);
    expect(f.observed).toContain('10.0.1.12:7001');
    expect(f.observed).toContain('replication link down (master_link_status down');
    expect(f.remediation).toContain('masterauth');
    expect(f.remediation).toContain('master_link_status:up');
  });

  it('is UNKNOWN, not PASS, when a replica that would take over does not report its link state', () => {
    const f = failover(probed(HEALTHY_LAYOUT.map((n, i) => (i === 3 ? { ...n, linkStatus: '' } : n))));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('the replication link state (master_link_status) of replica 10.0.1.12:7001');
  });
});

describe('cluster.failover: findings say what users see', () => {
  it('a lost slot with a majority kept: the whole cluster stops with the default cluster-require-full-coverage yes', () => {
    const layout: NodeSpec[] = [...HEALTHY_LAYOUT.slice(0, 3), { server: 0, port: 7001, replicaOf: 0 }, HEALTHY_LAYOUT[4]!, HEALTHY_LAYOUT[5]!];
    const f = failover(probed(layout));
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('What users see: with cluster-require-full-coverage yes (the Redis default) the whole cluster stops answering (CLUSTERDOWN on every surviving node)');
  });

  it('no majority left: the survivors stop answering even with full coverage off', () => {
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-5460' },
      { server: 0, port: 7001, slots: '5461-10922' },
      { server: 1, port: 7000, slots: '10923-16383' },
      { server: 1, port: 7001, replicaOf: 0 },
      { server: 2, port: 7000, replicaOf: 1 },
      { server: 2, port: 7001, replicaOf: 2 },
    ];
    const f = failover(probed(layout));
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('every surviving node refuses all requests (CLUSTERDOWN), even with cluster-require-full-coverage no');
  });

  it('a nofailover replica on another server: the finding names it and the fix is cluster-replica-no-failover no', () => {
    const f = failover(probed(HEALTHY_LAYOUT.map((n, i) => (i === 3 ? { ...n, flags: ['nofailover'] } : n))));
    expect(f.status).toBe('FAIL');
    expect(f.observed).not.toContain('has no replica on another server');
    expect(f.observed).toContain('10.0.1.12:7001 (i-0aaa00000000000a2, redis-prod-2) is flagged nofailover');
    expect(f.remediation).toContain('set cluster-replica-no-failover no on it');
    expect(f.remediation).not.toContain(`CLUSTER REPLICATE <${nodeId(0)}>`);
  });

  it('an even number of masters: losing a server with half of them leaves no majority', () => {
    // Four masters on three servers, two on server 0, every replica on another server than its master.
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-4095' },
      { server: 0, port: 7001, slots: '4096-8191' },
      { server: 1, port: 7000, slots: '8192-12287' },
      { server: 2, port: 7000, slots: '12288-16383' },
      { server: 1, port: 7001, replicaOf: 0 },
      { server: 2, port: 7001, replicaOf: 1 },
      { server: 0, port: 7002, replicaOf: 2 },
      { server: 1, port: 7002, replicaOf: 3 },
    ];
    const f = failover(probed(layout));
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`Losing ${REDIS_IDS[0]} (redis-prod-1) leaves 8192 of 16384 slots (0-8191) without a master`);
    expect(f.observed).toContain('only 2 of 4 masters would remain, not a majority');
  });
});

describe('the cluster rules never pass on what is left after evidence was lost', () => {
  /** The layout passes; then one member's CLUSTER NODES rows are lost with a recorded ListInventoryEntries failure. */
  function lostView(): EstateBuilder {
    return probed(HEALTHY_LAYOUT).mutate((t) => {
      delete t.ssm.Entities.find((e) => e.Id === REDIS_IDS[2])!.Data!['Custom:RedisClusterNode'];
      t.errors.push(LIST_INVENTORY_DENIED);
    });
  }

  it('cluster.failover is UNKNOWN, naming the lost view', () => {
    expect(failover(probed(HEALTHY_LAYOUT)).status).toBe('PASS');
    const f = failover(lostView());
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain(`the CLUSTER NODES view of ${REDIS_IDS[2]} port 7000, ${REDIS_IDS[2]} port 7001 is missing`);
  });

  it('cluster.membership is UNKNOWN, not "every member sees the same nodes"', () => {
    expect(membership(probed(HEALTHY_LAYOUT)).status).toBe('PASS');
    const f = membership(lostView());
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).not.toContain('Every member sees');
  });
});

describe('servers the failed instance listing hid', () => {
  /** DescribeInstances failed and hid two of the three members: their nodes' addresses match no listed instance. */
  const hidden = () => hide(probed(HEALTHY_LAYOUT), [REDIS_IDS[1], REDIS_IDS[2]]);

  it('cluster.failover is UNKNOWN: the two addresses may be one machine', () => {
    const f = failover(hidden());
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('the servers behind 10.0.1.12, 10.0.1.13 are not known and may be one machine');
  });

  it('cluster.failover is UNKNOWN, not PASS, when the listing failed although every node in the views is placed (a hidden member may be one never joined)', () => {
    expect(failover(probed(HEALTHY_LAYOUT)).status).toBe('PASS');
    const f = failover(probed(HEALTHY_LAYOUT).mutate((t) => t.errors.push(DESCRIBE_INSTANCES_DENIED)));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('members of the cluster it hid were neither listed nor probed');
    expect(f.remediation).toContain('ec2:DescribeInstances');
  });

  it('cluster.membership does not fail their addresses as belonging to no instance', () => {
    const f = membership(hidden());
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('the instance list is incomplete');
  });

  it('cluster.zone-spread does not fail "all servers in one zone" when members may be hidden', () => {
    const f = zoneSpread(hide(withClusterProbe(acrossZones(compliantEstate()), ZONED, HEALTHY_LAYOUT), [REDIS_IDS[1], REDIS_IDS[2]]));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('members it hid may be in other zones');
  });
});

describe('cluster.zone-spread', () => {
  it('is UNKNOWN, not PASS, when a member was not probed', () => {
    const estate = withClusterProbe(acrossZones(compliantEstate()), ZONED, HEALTHY_LAYOUT);
    expect(zoneSpread(estate).status).toBe('PASS');
    const f = zoneSpread(estate.mutate((t) => (t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== REDIS_IDS[2]))));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('not every member was probed');
  });

  it('places masters of a stopped member by the address they announce, and fails the zone holding most of them', () => {
    // Server 2 (eu-west-1c) holds two of the three masters and is stopped: it is no member, but its address places its nodes.
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-5460' },
      { server: 2, port: 7000, slots: '5461-10922' },
      { server: 2, port: 7001, slots: '10923-16383' },
      { server: 1, port: 7000, replicaOf: 0 },
      { server: 0, port: 7001, replicaOf: 1 },
      { server: 1, port: 7001, replicaOf: 2 },
    ];
    const estate = changeInstance(withClusterProbe(acrossZones(compliantEstate()), ZONED, layout), REDIS_IDS[2], (i) => (i.State = { Code: 80, Name: 'stopped' }));
    const f = zoneSpread(estate);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eu-west-1c holds 2 of 3 masters');
  });

  it('fails a zone holding exactly half of the masters (four masters, two in one zone)', () => {
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-4095' },
      { server: 1, port: 7000, slots: '4096-8191' },
      { server: 2, port: 7000, slots: '8192-12287' },
      { server: 2, port: 7002, slots: '12288-16383' },
      { server: 1, port: 7001, replicaOf: 0 },
      { server: 0, port: 7001, replicaOf: 1 },
      { server: 0, port: 7002, replicaOf: 2 },
      { server: 1, port: 7002, replicaOf: 3 },
    ];
    const f = zoneSpread(withClusterProbe(acrossZones(compliantEstate()), ZONED, layout));
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eu-west-1c holds 2 of 4 masters');
    expect(f.observed).toContain('leaves 2 of 4 masters, not a majority');
  });
});

describe('cluster.failover: a stale view that disagrees about a node with no line of its own', () => {
  /**
   * The replica of server 0's master runs on an unprobed machine (10.0.1.60). Server 0's processes
   * see it as that replica; servers 1 and 2 still list it as an empty master (a stale view).
   */
  function staleEstate(reversed: boolean): EstateBuilder {
    const layout: NodeSpec[] = [...HEALTHY_LAYOUT.slice(0, 3), { server: -1, port: 7000, replicaOf: 0, announce: '10.0.1.60' }, HEALTHY_LAYOUT[4]!, HEALTHY_LAYOUT[5]!];
    const estate = probed(layout).mutate((t) => {
      for (const entity of t.ssm.Entities) {
        for (const row of entity.Data?.['Custom:RedisClusterNode']?.Content ?? []) {
          if (row.node_id === nodeId(3) && row.seen_from_address !== SERVERS[0]!.ip) Object.assign(row, { flags: 'master', master_id: '-' });
        }
      }
      if (reversed) {
        t.ec2.Reservations.reverse();
        for (const entity of t.ssm.Entities) entity.Data?.['Custom:RedisClusterNode']?.Content?.reverse();
      }
    });
    return estate;
  }

  it('gets the same verdict whatever the order of the rows: UNKNOWN, naming the disagreement', () => {
    const statuses = [false, true].map((reversed) => failover(staleEstate(reversed)));
    expect(statuses.map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
    expect(statuses[0]!.observed).toContain("the members' views disagree about 10.0.1.60:7000");
  });
});
