import { capacityMemoryRule } from '../../../lambdas/core/rules/capacity-memory';
import { DEFAULT_CONFIG, ConfigSchema } from '../../../lambdas/core/config';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { HEALTHY_LAYOUT, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';

const GIB = 1024 ** 3;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}`, totalSystemMemory: 8 * GIB }));

function withMemory(first: Partial<NodeSpec>, second: Partial<NodeSpec> = {}) {
  const layout = HEALTHY_LAYOUT.map((n) => ({ ...n, maxmemory: 3 * GIB, usedMemory: GIB }));
  Object.assign(layout[0]!, first); // server 0, port 7000
  Object.assign(layout[5]!, second); // server 0, port 7001
  return withClusterProbe(compliantEstate(), SERVERS, layout);
}

describe('capacity.memory', () => {
  it('passes two processes each limited within RAM / 2 and under 80 % used', () => {
    const f = findingFor(capacityMemoryRule, withMemory({}), REDIS_IDS[0]);
    expect(f).toMatchObject({ status: 'PASS', severity: 'high', requirement: REQUIREMENT.memoryFootnote });
    expect(f.required).toContain('2 Redis processes on 8 GiB of RAM (total_system_memory as Redis reports it): each maxmemory at most 4 GiB');
  });

  it('fails an unbounded process (maxmemory 0) on a server with two processes', () => {
    const f = findingFor(capacityMemoryRule, withMemory({ maxmemory: 0 }), REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Port 7000 (master) has no memory limit (maxmemory 0) while 2 processes share the server');
    expect(f.remediation).toContain(`CONFIG SET maxmemory ${4 * GIB}`);
  });

  it('fails limits above RAM / N and adding up beyond RAM', () => {
    const f = findingFor(capacityMemoryRule, withMemory({ maxmemory: 6 * GIB }, { maxmemory: 5 * GIB }), REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Port 7000 (master) maxmemory 6 GiB, port 7001 (replica) maxmemory 5 GiB above its share of 4 GiB');
    expect(f.observed).toContain('the limits add up to 11 GiB, more than the 8 GiB of RAM');
  });

  it('fails used_memory above 80 % of maxmemory, and honours a configured threshold', () => {
    const estate = withMemory({ usedMemory: Math.round(2.7 * GIB) });
    const f = findingFor(capacityMemoryRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Port 7000 (master) uses 2.7 GiB of 3 GiB (90 %), above 80 %');
    const relaxed = ConfigSchema.parse({ capacity: { memoryUsedFraction: 0.95 } });
    expect(findingFor(capacityMemoryRule, estate, REDIS_IDS[0], relaxed).status).toBe('PASS');
  });

  it('uses the instance type memory when Redis does not report total_system_memory', () => {
    const estate = withMemory({}).mutate((t) => {
      for (const e of t.ssm.Entities) for (const row of e.Data?.['Custom:RedisServer']?.Content ?? []) delete row['total_system_memory'];
    });
    const f = findingFor(capacityMemoryRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('PASS');
    expect(f.required).toContain('on 16 GiB of RAM (the m5.xlarge type)');
  });

  it('is UNKNOWN with the probe error when a process did not answer', () => {
    const estate = withMemory({}).mutate((t) => {
      const row = t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['Custom:RedisServer']!.Content![1]!;
      Object.assign(row, { status: 'error', error: 'NOAUTH Authentication required.', maxmemory: '', used_memory: '' });
    });
    const f = findingFor(capacityMemoryRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('NOAUTH Authentication required.');
  });

  it('is NOT_APPLICABLE to a server that runs only Sentinel', () => {
    const estate = withMemory({}).mutate((t) => {
      for (const row of t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['Custom:RedisServer']!.Content!) Object.assign(row, { process: 'redis-sentinel', redis_mode: 'sentinel', cluster_enabled: '0', port: '26379' });
    });
    expect(findingFor(capacityMemoryRule, estate, REDIS_IDS[0]).status).toBe('NOT_APPLICABLE');
  });

  it('is UNKNOWN with the reason when there are no probe rows', () => {
    const f = findingFor(capacityMemoryRule, compliantEstate(), REDIS_IDS[0], DEFAULT_CONFIG);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('no usable probe rows');
  });
});
