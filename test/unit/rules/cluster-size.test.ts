import { clusterSizeRule } from '../../../lambdas/core/rules/cluster-size';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { ACCOUNT, REDIS_IDS, REDIS_SUBNET, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { changeInstance, findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;

function withoutInstance(estate: EstateBuilder, id: string): EstateBuilder {
  return estate.mutate((t) => (t.ec2.Reservations = t.ec2.Reservations.filter((r) => !r.Instances?.some((i) => i.InstanceId === id))));
}

function nonProduction(estate: EstateBuilder): EstateBuilder {
  for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Development');
  return estate;
}

describe('cluster.size', () => {
  it('passes the three running servers of the compliant production cluster', () => {
    const findings = runRule(clusterSizeRule, compliantEstate());
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({ resourceId: CLUSTER, resourceType: 'Redis::Cluster', cluster: 'sessions-prod', status: 'PASS', severity: 'high', production: true, requirement: REQUIREMENT.prodServers });
    expect(f.observed).toContain('3 running Redis servers');
    expect(f.observed).toContain(`${REDIS_IDS[0]} (redis-prod-1)`);
  });

  it('fails a production cluster of two, naming its members', () => {
    const f = findingFor(clusterSizeRule, withoutInstance(compliantEstate(), REDIS_IDS[2]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.severity).toBe('high');
    expect(f.observed).toContain(`2 running Redis servers in cluster sessions-prod: ${REDIS_IDS[0]} (redis-prod-1), ${REDIS_IDS[1]} (redis-prod-2)`);
    expect(f.remediation).toContain('Add 1 more Redis server');
    expect(f.remediation).toContain('RedisCluster=sessions-prod');
  });

  it('does not count a pending server', () => {
    const f = findingFor(clusterSizeRule, changeInstance(compliantEstate(), REDIS_IDS[2], (i) => (i.State = { Code: 0, Name: 'pending' })), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`Not counted (pending): ${REDIS_IDS[2]}`);
  });

  it('passes a non-production cluster of one server, at low severity', () => {
    const estate = nonProduction(withoutInstance(withoutInstance(compliantEstate(), REDIS_IDS[1]), REDIS_IDS[2]));
    const f = findingFor(clusterSizeRule, estate, CLUSTER);
    expect(f).toMatchObject({ status: 'PASS', severity: 'low', production: false, requirement: REQUIREMENT.nonProdServer });
  });

  it('fails a non-production cluster with no running server', () => {
    const estate = nonProduction(withoutInstance(withoutInstance(compliantEstate(), REDIS_IDS[1]), REDIS_IDS[2]));
    changeInstance(estate, REDIS_IDS[0], (i) => (i.State = { Code: 0, Name: 'pending' }));
    const f = findingFor(clusterSizeRule, estate, CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.severity).toBe('low');
    expect(f.observed).toContain('0 running Redis servers');
  });

  it('judges a lone untagged server by the production minimum and says why', () => {
    const estate = compliantEstate().instance({ id: 'i-0bbb00000000000b1', subnetId: REDIS_SUBNET, privateIp: '10.0.1.60', tags: { Role: 'redis', RedisCluster: 'scratch' } });
    const f = findingFor(clusterSizeRule, estate, `${ACCOUNT}/${REGION}/scratch`);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('No environment tag');
  });

  it('is UNKNOWN when too few servers were seen and DescribeInstances failed', () => {
    const estate = withoutInstance(compliantEstate(), REDIS_IDS[2]).error({ service: 'ec2', operation: 'DescribeInstances', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' });
    const f = findingFor(clusterSizeRule, estate, CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ec2:DescribeInstances failed during capture (RequestLimitExceeded');
  });
});
