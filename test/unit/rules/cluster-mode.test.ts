import { clusterModeRule, modeOfRow } from '../../../lambdas/core/rules/cluster-mode';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { ACCOUNT, REDIS_IDS, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;

/** Replaces the Custom:RedisServer rows of one server (removes the type when `rows` is undefined). */
function withRedisRows(estate: EstateBuilder, id: string, rows: Array<Record<string, string>> | undefined): EstateBuilder {
  return estate.mutate((t) => {
    const data = t.ssm.Entities.find((e) => e.Id === id)!.Data!;
    if (rows === undefined) delete data['Custom:RedisServer'];
    else data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '1.0', Content: rows };
  });
}

function withoutModeInventory(estate: EstateBuilder = compliantEstate()): EstateBuilder {
  for (const id of REDIS_IDS) withRedisRows(estate, id, undefined);
  return estate;
}

function tagAll(estate: EstateBuilder, value: string): EstateBuilder {
  for (const id of REDIS_IDS) setInstanceTag(estate, id, 'RedisMode', value);
  return estate;
}

describe('modeOfRow', () => {
  it.each<[Record<string, string>, string | undefined]>([
    [{ redis_mode: 'cluster', cluster_enabled: '1' }, 'cluster'],
    [{ cluster_enabled: '1' }, 'cluster'],
    [{ redis_mode: 'cluster' }, 'cluster'],
    [{ redis_mode: 'standalone', cluster_enabled: '0' }, 'standalone'],
    [{ redis_mode: 'cluster', cluster_enabled: '0' }, 'standalone'],
    [{ redis_mode: 'Sentinel' }, 'sentinel'],
    [{ redis_mode: 'standalone', cluster_enabled: '0', sentinel_running: '1' }, 'sentinel'],
    [{ redis_version: '7.0.15' }, undefined],
    [{ redis_mode: 'weird' }, undefined],
  ])('%j => %s', (row, mode) => {
    expect(modeOfRow(row)).toBe(mode);
  });
});

describe('cluster.mode', () => {
  it('passes the compliant production cluster, citing the inventory', () => {
    const findings = runRule(clusterModeRule, compliantEstate());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ resourceId: CLUSTER, resourceType: 'Redis::Cluster', status: 'PASS', severity: 'medium', requirement: REQUIREMENT.prodRedisCluster });
    expect(findings[0]!.observed).toContain(`${REDIS_IDS[0]} (redis-prod-1): cluster (Custom:RedisServer inventory: cluster)`);
  });

  it('fails a Sentinel setup, naming the members', () => {
    let estate = compliantEstate();
    for (const id of REDIS_IDS) estate = withRedisRows(estate, id, [{ redis_version: '7.0.15', redis_mode: 'standalone', cluster_enabled: '0' }, { redis_mode: 'sentinel', sentinel_running: '1' }]);
    const f = findingFor(clusterModeRule, estate, CLUSTER);
    expect(f.status).toBe('FAIL');
    for (const id of REDIS_IDS) expect(f.observed).toContain(`${id} (redis-prod-`);
    expect(f.observed).toContain('sentinel');
    expect(f.observed).not.toContain('disagree');
    expect(f.remediation).toContain('cluster-enabled yes');
  });

  it('fails when the members disagree', () => {
    const f = findingFor(clusterModeRule, withRedisRows(compliantEstate(), REDIS_IDS[2], [{ redis_version: '7.0.15', redis_mode: 'standalone', cluster_enabled: '0' }]), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('The members disagree');
    expect(f.observed).toContain(`${REDIS_IDS[2]} (redis-prod-3): standalone`);
    expect(f.remediation).toContain(REDIS_IDS[2]);
    expect(f.remediation).not.toContain(REDIS_IDS[0]);
  });

  it('uses the mode tag, in any case, when there is no mode inventory', () => {
    expect(findingFor(clusterModeRule, tagAll(withoutModeInventory(), 'Cluster'), CLUSTER).status).toBe('PASS');
    const f = findingFor(clusterModeRule, tagAll(withoutModeInventory(), 'SENTINEL'), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('tag RedisMode=SENTINEL');
  });

  it('prefers what the server reports over its tag', () => {
    expect(findingFor(clusterModeRule, tagAll(compliantEstate(), 'sentinel'), CLUSTER).status).toBe('PASS');
  });

  it('is UNKNOWN with no evidence, saying what was looked for', () => {
    const f = findingFor(clusterModeRule, withoutModeInventory(), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('No evidence of how Redis runs');
    expect(f.observed).toContain('has no Custom:RedisServer data');
    expect(f.observed).toContain('no RedisMode tag');
  });

  it('is UNKNOWN when a tag value is not a mode', () => {
    const f = findingFor(clusterModeRule, tagAll(withoutModeInventory(), 'redis-cluster-please'), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('tag RedisMode="redis-cluster-please" is not one of cluster, sentinel, standalone');
  });

  it('is UNKNOWN when only some members are confirmed', () => {
    const f = findingFor(clusterModeRule, withRedisRows(compliantEstate(), REDIS_IDS[1], [{ redis_version: '7.0.15' }]), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('Redis Cluster confirmed on 2 of 3 servers');
  });

  it('is UNKNOWN with the capture error when GetInventory failed', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ssm.Entities = []))
      .error({ service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'denied' });
    const f = findingFor(clusterModeRule, estate, CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ssm:GetInventory failed during capture (AccessDeniedException: denied)');
  });

  it('does not apply to a non-production cluster', () => {
    let estate = compliantEstate();
    for (const id of REDIS_IDS) estate = setInstanceTag(estate, id, 'Environment', 'Staging');
    withRedisRows(estate, REDIS_IDS[0], [{ redis_mode: 'standalone', cluster_enabled: '0' }]);
    const f = findingFor(clusterModeRule, estate, CLUSTER);
    expect(f).toMatchObject({ status: 'NOT_APPLICABLE', severity: 'info', production: false });
  });
});
