import { parseDebianVersion } from '../../../lambdas/core/versions/debian-version';
import { describeRedisVersion, isStableRedis70, redisPreRelease } from '../../../lambdas/core/versions/redis-release';

const v = (raw: string) => parseDebianVersion(raw)!;

describe('Redis release numbering', () => {
  it.each([
    // raw, stable 7.0.x?, pre-release reason, description
    ['7.0.15', true, undefined, '7.0.15'],
    ['7.0.0', true, undefined, '7.0.0'],
    ['5:7.0.15-1~deb12u1', true, undefined, '7.0.15'],
    ['6:7.0.11-1rl1~bookworm1', true, undefined, '7.0.11'],
    ['7.0', true, undefined, '7.0.0'],
    ['7.0.0~rc2', false, 'rc2', '7.0.0-rc2 (pre-release)'],
    ['7.0-rc3', false, 'rc3', '7.0.0-rc3 (pre-release)'],
    ['6.9.240', false, 'release candidate 7.0-rc1', '6.9.240 (release candidate 7.0-rc1)'],
    ['6.9.242', false, 'release candidate 7.0-rc3', '6.9.242 (release candidate 7.0-rc3)'],
    ['7.1.240', false, 'release candidate 7.2-rc1', '7.1.240 (release candidate 7.2-rc1)'],
    ['7.0.240', false, 'release candidate 7.1-rc1', '7.0.240 (release candidate 7.1-rc1)'],
    ['255.255.255', false, 'unstable development branch', '255.255.255 (unstable development branch)'],
    ['7.2.4', false, undefined, '7.2.4'],
    ['6.2.14', false, undefined, '6.2.14'],
    ['70.0.1', false, undefined, '70.0.1'],
    ['17.0.1', false, undefined, '17.0.1'],
  ])('%s', (raw, stable70, reason, description) => {
    expect(isStableRedis70(v(raw))).toBe(stable70);
    expect(redisPreRelease(v(raw))).toBe(reason);
    expect(describeRedisVersion(v(raw))).toBe(description);
  });
});
