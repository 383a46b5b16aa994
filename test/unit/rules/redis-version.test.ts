import { redisVersionRule } from '../../../lambdas/core/rules/redis-version';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { REDIS_IDS, compliantEstate, redisPackage, type EstateBuilder } from '../../support/estate-builder';
import { findingFor, runRule } from '../../support/evaluate-rule';

const redis = REDIS_IDS[0];

function entityOf(t: SnapshotTarget, id: string) {
  const entity = t.ssm.Entities.find((e) => e.Id === id);
  if (!entity?.Data) throw new Error(`no inventory for ${id}`);
  return entity.Data;
}

/** Replaces the Custom:RedisServer rows of the first server (removes the type when `rows` is undefined). */
function withRunning(rows: Array<Record<string, string>> | undefined, estate: EstateBuilder = compliantEstate()): EstateBuilder {
  return estate.mutate((t) => {
    const data = entityOf(t, redis);
    if (rows === undefined) delete data['Custom:RedisServer'];
    else data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '1.0', CaptureTime: '2026-11-25T01:30:00Z', Content: rows };
  });
}

/** Replaces the AWS:Application rows of the first server. */
function withApplications(rows: Array<Record<string, string>>, estate: EstateBuilder = compliantEstate()): EstateBuilder {
  return estate.mutate((t) => (entityOf(t, redis)['AWS:Application']!.Content = rows));
}

const packagesOnly = (rows: Array<Record<string, string>>) => withApplications(rows, withRunning(undefined));

describe('redis.version', () => {
  it('passes every server of the compliant estate, quoting the running version', () => {
    const findings = runRule(redisVersionRule, compliantEstate());
    expect(findings).toHaveLength(3);
    expect(findings.every((f) => f.status === 'PASS')).toBe(true);
    const f = findings.find((x) => x.resourceId === redis)!;
    expect(f.observed).toBe('The running Redis server reports redis_version "7.0.15" = Redis 7.0.15 (Custom:RedisServer inventory).');
    expect(f.severity).toBe('high');
    expect(f.requirement).toBe(REQUIREMENT.redisVersion);
    expect(f.cluster).toBe('sessions-prod');
    expect(f.required).toMatch(/7\.0\.x/);
  });

  it.each([
    ['7.2.4', 'FAIL'],
    ['6.2.14', 'FAIL'],
    ['6.9.240', 'FAIL'], // 7.0-rc1 reports itself this way
    ['7.0.240', 'FAIL'],
    ['255.255.255', 'FAIL'],
    ['7.0.0', 'PASS'],
    ['7.0.15', 'PASS'],
  ])('running redis_version %s => %s', (version, status) => {
    expect(findingFor(redisVersionRule, withRunning([{ redis_version: version, redis_mode: 'cluster', cluster_enabled: '1' }]), redis).status).toBe(status);
  });

  it('names a release candidate hidden in the running version number', () => {
    const f = findingFor(redisVersionRule, withRunning([{ redis_version: '6.9.241' }]), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('"6.9.241" = Redis 6.9.241 (release candidate 7.0-rc2)');
    expect(f.remediation).toContain('pre-release');
  });

  it('fails when one of the two Redis processes of the server is not 7.0.x, naming its port', () => {
    const f = findingFor(redisVersionRule, withRunning([{ redis_version: '7.0.15', tcp_port: '7000' }, { redis_version: '7.2.4', tcp_port: '7001' }]), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('"7.2.4" on port 7001 = Redis 7.2.4');
    expect(f.observed).toContain('"7.0.15" on port 7000 = Redis 7.0.15');
  });

  it('reports the running version and mentions the package when they disagree', () => {
    const f = findingFor(redisVersionRule, withRunning([{ redis_version: '7.2.4' }]), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('reports redis_version "7.2.4" = Redis 7.2.4');
    expect(f.observed).toContain('The installed package differs: redis-server "5:7.0.15-1~deb12u1" = Redis 7.0.15');
    expect(f.observed).toMatch(/running server is what is judged/);
  });

  it('passes on the running version even when a newer package waits for a restart, and says so', () => {
    const f = findingFor(redisVersionRule, withApplications([redisPackage('6:7.2.4-1rl1~bookworm1')]), redis);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('redis-server "6:7.2.4-1rl1~bookworm1" = Redis 7.2.4');
  });

  describe('from the package when the running version is not reported', () => {
    it.each([
      ['Debian', [redisPackage('5:7.0.15-1~deb12u1')], 'PASS'],
      ['packages.redis.io', [redisPackage('6:7.0.11-1rl1~bookworm1')], 'PASS'],
      ['packages.redis.io 7.2', [redisPackage('6:7.2.4-1rl1~bookworm1')], 'FAIL'],
      ['Debian pre-release', [redisPackage('5:7.0~rc3-1')], 'FAIL'],
      ['tilde pre-release', [redisPackage('7.0.0~rc2-1')], 'FAIL'],
      ['hyphen pre-release', [redisPackage('7.0.0-rc1')], 'FAIL'],
      ['RPM', [{ Name: 'redis', Version: '7.0.15', Release: '1.el9', Epoch: '', Publisher: 'Rocky Enterprise Software Foundation' }], 'PASS'],
      ['RPM 6.2', [{ Name: 'redis', Version: '6.2.7', Release: '1.el9', Epoch: '' }], 'FAIL'],
      ['RPM pre-release in the release', [{ Name: 'redis', Version: '7.0.0', Release: '0.1.rc2.fc36', Epoch: '' }], 'FAIL'],
      ['Amazon Linux redis6', [{ Name: 'redis6', Version: '6.2.14', Release: '1.amzn2023.0.1', Epoch: '' }], 'FAIL'],
      ['Amazon Linux redis7', [{ Name: 'redis7', Version: '7.0.15', Release: '1.amzn2023.0.1', Epoch: '' }], 'PASS'],
      ['Redis Stack', [{ Name: 'redis-stack-server', Version: '7.2.0-v9' }], 'FAIL'],
      ['Windows MSI', [{ Name: 'Redis', Version: '3.0.504', Publisher: 'Microsoft Open Technologies, Inc.' }], 'FAIL'],
    ])('%s', (_label, rows, status) => {
      const f = findingFor(redisVersionRule, packagesOnly(rows), redis);
      expect(f.status).toBe(status);
      expect(f.observed).toContain('AWS:Application');
      expect(f.observed).toContain(`Installed package ${rows[0]!.Name} "${rows[0]!.Version}`);
      expect(f.observed).toContain('has no Custom:RedisServer data');
    });

    it('judges the server package and ignores redis-tools', () => {
      const f = findingFor(redisVersionRule, packagesOnly([{ Name: 'redis-tools', Version: '5:6.0.16-1' }, redisPackage('5:7.0.15-1~deb12u1')]), redis);
      expect(f.status).toBe('PASS');
      expect(f.observed).not.toContain('redis-tools');
    });

    it('fails when any of several server packages is not 7.0.x', () => {
      const f = findingFor(redisVersionRule, packagesOnly([{ Name: 'redis', Version: '5:7.2.4-1' }, redisPackage('5:7.0.15-1~deb12u1')]), redis);
      expect(f.status).toBe('FAIL');
    });
  });

  it('is UNKNOWN when only a client package is installed', () => {
    const f = findingFor(redisVersionRule, packagesOnly([{ Name: 'redis-tools', Version: '5:7.0.15-1~deb12u1' }, { Name: 'python3-redis', Version: '4.3.4-3' }]), redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('none a Redis server package');
    expect(f.remediation).toContain('AWS-GatherSoftwareInventory');
  });

  it('is UNKNOWN when the version cannot be read', () => {
    const f = findingFor(redisVersionRule, withRunning([{ redis_version: 'unknown' }]), redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('"unknown"');
  });

  it('is UNKNOWN when the instance has no inventory', () => {
    const estate = compliantEstate().mutate((t) => (t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== redis)));
    const f = findingFor(redisVersionRule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toBe(`SSM inventory has no entry for ${redis}: ListInventoryEntries returned no inventory (the instance is not managed by SSM, or no inventory association runs on it).`);
  });

  it('is UNKNOWN with the capture error when GetInventory failed', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ssm.Entities = []))
      .error({ service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'not authorized to perform ssm:GetInventory' });
    const f = findingFor(redisVersionRule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ssm:GetInventory failed during capture (AccessDeniedException');
  });

  it('still judges the evidence it has when GetInventory failed part-way', () => {
    const estate = compliantEstate().error({ service: 'ssm', operation: 'GetInventory', code: 'ThrottlingException', message: 'Rate exceeded' });
    expect(findingFor(redisVersionRule, estate, redis).status).toBe('PASS');
  });
});
