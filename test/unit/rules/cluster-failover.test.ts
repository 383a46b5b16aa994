import { clusterFailoverRule } from '../../../lambdas/core/rules/cluster-failover';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { ACCOUNT, REDIS_IDS, REGION, compliantEstate } from '../../support/estate-builder';
import { findingFor, setInstanceTag } from '../../support/evaluate-rule';
import { HEALTHY_LAYOUT, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}` }));

function judged(nodes: readonly NodeSpec[]) {
  return findingFor(clusterFailoverRule, withClusterProbe(compliantEstate(), SERVERS, nodes), CLUSTER);
}

describe('cluster.failover', () => {
  it('passes three servers each holding its own master and another server\'s replica', () => {
    const f = judged(HEALTHY_LAYOUT);
    expect(f).toMatchObject({ status: 'PASS', severity: 'high', resourceType: 'Redis::Cluster', requirement: REQUIREMENT.prodServers });
    expect(f.observed).toContain('Losing any one of 3 servers leaves all 16384 slots served');
    expect(f.observed).toContain(`${REDIS_IDS[0]} (redis-prod-1): master 10.0.1.11:7000, replica 10.0.1.11:7001 of 10.0.1.13:7000`);
  });

  it('fails a master whose only replica is on its own server, naming the server and the slots at risk', () => {
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-5460' },
      { server: 1, port: 7000, slots: '5461-10922' },
      { server: 2, port: 7000, slots: '10923-16383' },
      { server: 0, port: 7001, replicaOf: 0 },
      { server: 2, port: 7001, replicaOf: 1 },
      { server: 1, port: 7001, replicaOf: 2 },
    ];
    const f = judged(layout);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`Losing ${REDIS_IDS[0]} (redis-prod-1) leaves 5461 of 16384 slots (0-5460) without a master`);
    expect(f.observed).toContain('has no replica on another server');
    expect(f.remediation).toContain('CLUSTER REPLICATE');
  });

  it('fails a server holding two masters: losing it leaves no majority to promote a replica', () => {
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-5460' },
      { server: 0, port: 7001, slots: '5461-10922' },
      { server: 1, port: 7000, slots: '10923-16383' },
      { server: 1, port: 7001, replicaOf: 0 },
      { server: 2, port: 7000, replicaOf: 1 },
      { server: 2, port: 7001, replicaOf: 2 },
    ];
    const f = judged(layout);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`Losing ${REDIS_IDS[0]} (redis-prod-1) leaves 10923 of 16384 slots (0-10922) without a master`);
    expect(f.observed).toContain('only 1 of 3 masters would remain, not a majority');
    expect(f.remediation).toContain(`Move all but one master off ${REDIS_IDS[0]}`);
  });

  it('does not count a replica flagged nofailover (cluster-replica-no-failover yes) as promotable', () => {
    const layout = HEALTHY_LAYOUT.map((n, i) => (i === 3 ? { ...n, flags: ['nofailover'] } : n));
    const f = judged(layout);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Master without a replica that can take over: 10.0.1.11:7000');
    expect(f.observed).toContain(`losing ${REDIS_IDS[0]} (redis-prod-1) leaves 5461 of 16384 slots (0-5460) without a master`);
  });

  it('fails a master without any replica', () => {
    const layout = HEALTHY_LAYOUT.slice(0, 5);
    const f = judged(layout);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Master without a replica that can take over: 10.0.1.13:7000');
  });

  it('is UNKNOWN with the reason when no member was probed', () => {
    const f = findingFor(clusterFailoverRule, compliantEstate(), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('No CLUSTER NODES view of cluster sessions-prod');
    expect(f.observed).toContain('no usable probe rows');
  });

  it('is UNKNOWN when the views available pass but a member was not probed', () => {
    const estate = withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT).mutate((t) => (t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== REDIS_IDS[2])));
    const f = findingFor(clusterFailoverRule, estate, CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain(`${REDIS_IDS[2]} (redis-prod-3): SSM inventory has no entry`);
  });

  it('is NOT_APPLICABLE to a non-production cluster', () => {
    const estate = withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT);
    for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Development');
    expect(findingFor(clusterFailoverRule, estate, CLUSTER).status).toBe('NOT_APPLICABLE');
  });
});
