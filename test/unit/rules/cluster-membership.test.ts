import { clusterMembershipRule } from '../../../lambdas/core/rules/cluster-membership';
import { ACCOUNT, REDIS_IDS, REDIS_SG, REDIS_SUBNET, REGION, compliantEstate } from '../../support/estate-builder';
import { findingFor, setInstanceTag } from '../../support/evaluate-rule';
import { HEALTHY_LAYOUT, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}` }));

describe('cluster.membership', () => {
  it('passes when every member sees the same nodes, all on the tagged servers', () => {
    const f = findingFor(clusterMembershipRule, withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT), CLUSTER);
    expect(f).toMatchObject({ status: 'PASS', severity: 'high' });
    expect(f.observed).toContain('Every member sees the same 6 nodes, all on the 3 tagged servers');
  });

  it('fails a node at an address no tagged server has (an unscanned machine)', () => {
    const layout: NodeSpec[] = [...HEALTHY_LAYOUT, { server: 0, port: 7000, replicaOf: 0, announce: '203.0.113.50' }];
    const f = findingFor(clusterMembershipRule, withClusterProbe(compliantEstate(), SERVERS, layout), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('The cluster knows 1 node on no server tagged for sessions-prod: 203.0.113.50:7000 (no instance of the snapshot has this address)');
    expect(f.remediation).toContain('CLUSTER FORGET');
  });

  it('names the instance when the stranger is a known instance tagged for another cluster', () => {
    const estate = compliantEstate().instance({ id: 'i-0bbb00000000000b1', subnetId: REDIS_SUBNET, privateIp: '10.0.1.60', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'other' } });
    const layout: NodeSpec[] = [...HEALTHY_LAYOUT, { server: 0, port: 7000, replicaOf: 1, announce: '10.0.1.60' }];
    const f = findingFor(clusterMembershipRule, withClusterProbe(estate, SERVERS, layout), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('10.0.1.60:7000 (instance i-0bbb00000000000b1, not tagged for this cluster)');
  });

  it('fails a tagged server the cluster does not know', () => {
    const estate = compliantEstate().instance({ id: 'i-0aaa00000000000a4', subnetId: REDIS_SUBNET, privateIp: '10.0.1.14', securityGroupIds: [REDIS_SG], tags: { Name: 'redis-prod-4', Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
    const f = findingFor(clusterMembershipRule, withClusterProbe(estate, SERVERS, HEALTHY_LAYOUT), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Tagged server i-0aaa00000000000a4 (redis-prod-4) is not a node of the cluster');
    expect(f.remediation).toContain('redis-cli --cluster add-node');
  });

  it('fails a split view: members that know different node sets', () => {
    // The processes of the third server know only themselves.
    const views = (viewer: number) => (HEALTHY_LAYOUT[viewer]!.server === 2 ? [2, 4] : HEALTHY_LAYOUT.map((_, i) => i));
    const f = findingFor(clusterMembershipRule, withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT, views), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('The members do not agree on the node set (split view)');
    expect(f.observed).toContain(`${REDIS_IDS[2]}:7000, ${REDIS_IDS[2]}:7001 know 2 nodes`);
  });

  it('is UNKNOWN with the reason when no member was probed', () => {
    const f = findingFor(clusterMembershipRule, compliantEstate(), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('No CLUSTER NODES view');
  });

  it('is NOT_APPLICABLE to a single non-production server without a cluster view', () => {
    const estate = compliantEstate().instance({ id: 'i-0bbb00000000000b1', subnetId: REDIS_SUBNET, privateIp: '10.0.1.60', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Development', RedisCluster: 'dev' } });
    expect(findingFor(clusterMembershipRule, estate, `${ACCOUNT}/${REGION}/dev`).status).toBe('NOT_APPLICABLE');
  });

  it('is NOT_APPLICABLE when the probe shows no process in cluster mode', () => {
    const estate = withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT).mutate((t) => {
      for (const e of t.ssm.Entities) {
        if (!e.Data?.['Custom:RedisServer']) continue;
        for (const row of e.Data['Custom:RedisServer'].Content ?? []) Object.assign(row, { redis_mode: 'standalone', cluster_enabled: '0' });
        e.Data['Custom:RedisClusterNode']!.Content = [];
      }
    });
    setInstanceTag(estate, REDIS_IDS[0], 'Name', 'redis-prod-1');
    expect(findingFor(clusterMembershipRule, estate, CLUSTER).status).toBe('NOT_APPLICABLE');
  });
});
