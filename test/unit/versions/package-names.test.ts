import { isRedisServerPackageName } from '../../../lambdas/core/versions/redis-packages';
import { isPlatformServerRow } from '../../../lambdas/core/versions/platform-server-package';

describe('isRedisServerPackageName', () => {
  it.each(['redis-server', 'redis', 'redis6', 'redis7', 'redis-stack-server', 'Redis', 'Redis on Windows', 'Redis Server', ' REDIS-SERVER '])('%j is a Redis server', (name) => {
    expect(isRedisServerPackageName(name)).toBe(true);
  });

  it.each(['redis-tools', 'redis-sentinel', 'redis-doc', 'redis-devel', 'redis-server-dbgsym', 'python3-redis', 'php-redis', 'php8.2-redis', 'libhiredis0.14', 'hiredis', 'redis-stack', 'redisinsight', 'Memurai Developer', 'valkey', 'valkey-server', 'keydb', 'redis-cli', 'redis7-devel', 'ruby-redis', ''])('%j is not', (name) => {
    expect(isRedisServerPackageName(name)).toBe(false);
  });
});

describe('isPlatformServerRow', () => {
  it.each<Record<string, string>>([
    { Name: 'OutSystems Platform Server', Publisher: 'OutSystems' },
    { Name: 'OutSystems Platform Server 11', Publisher: 'OutSystems' },
    { Name: 'OutSystems Platform Server 11.23.0', Publisher: 'OutSystems, S.A.' },
    { Name: 'OutSystems Platform Server 11.23.0 (Build 41350)', Publisher: 'OutSystems' },
    { Name: 'outsystems platform server', Publisher: '' },
    { Name: 'OutSystems  Platform Server', Publisher: 'OutSystems' },
    { Name: 'OutSystems Platform Server' },
  ])('%j is the Platform Server', (row) => {
    expect(isPlatformServerRow(row)).toBe(true);
  });

  it.each<Record<string, string>>([
    { Name: 'OutSystems Platform Server', Publisher: 'Contoso' },
    { Name: 'OutSystems Development Environment 11', Publisher: 'OutSystems' },
    { Name: 'OutSystems Platform Server Configuration Tool', Publisher: 'OutSystems' },
    { Name: 'OutSystems Integration Studio 11', Publisher: 'OutSystems' },
    { Name: 'Not OutSystems Platform Server', Publisher: 'OutSystems' },
    { Name: 'OutSystems Platform', Publisher: 'OutSystems' },
    { Name: '', Publisher: 'OutSystems' },
  ])('%j is not', (row) => {
    expect(isPlatformServerRow(row)).toBe(false);
  });
});
