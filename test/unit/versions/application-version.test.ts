import { parseApplicationVersion, parseWindowsVersion } from '../../../lambdas/core/versions/application-version';
import { formatComponents, formatSemantic } from '../../../lambdas/core/versions/parsed-version';

describe('parseApplicationVersion (one AWS:Application row)', () => {
  it.each([
    ['Debian row', { Name: 'redis-server', Version: '5:7.0.15-1~deb12u1' }, '7.0.15', 5, '1~deb12u1'],
    ['packages.redis.io row', { Name: 'redis-server', Version: '6:7.0.11-1rl1~bookworm1' }, '7.0.11', 6, '1rl1~bookworm1'],
    ['RPM row with Release and Epoch', { Name: 'redis', Version: '7.0.15', Release: '1.el9', Epoch: '' }, '7.0.15', undefined, '1.el9'],
    ['RPM row with an epoch', { Name: 'redis', Version: '7.0.15', Release: '1.el9', Epoch: '2' }, '7.0.15', 2, '1.el9'],
    ['RPM row with an epoch only', { Name: 'redis', Version: '7.0.15', Epoch: '1' }, '7.0.15', 1, undefined],
    ['RPM row (older agent, no Release)', { Name: 'redis', Version: '7.0.15' }, '7.0.15', undefined, undefined],
    ['RPM pre-release in the release', { Name: 'redis', Version: '7.0.0', Release: '0.3.rc3.fc36', Epoch: '(none)' }, '7.0.0-rc3', undefined, '0.3.rc3.fc36'],
    ['Windows row', { Name: 'OutSystems Platform Server', Version: '11.23.0.41350' }, '11.23.0', undefined, undefined],
    ['Debian row with empty Release / Epoch keys', { Name: 'redis-server', Version: '5:7.0.15-1~deb12u1', Release: '', Epoch: '' }, '7.0.15', 5, '1~deb12u1'],
  ])('%s', (_label, row, semantic, epoch, revision) => {
    const parsed = parseApplicationVersion(row as Record<string, string>);
    expect(parsed).toBeDefined();
    expect(formatSemantic(parsed!)).toBe(semantic);
    expect(parsed!.epoch).toBe(epoch);
    expect(parsed!.revision).toBe(revision);
  });

  it.each<Record<string, string>>([{ Name: 'redis-server' }, { Name: 'redis-server', Version: '' }, { Name: 'redis-server', Version: 'n/a' }])('cannot read %j', (row) => {
    expect(parseApplicationVersion(row)).toBeUndefined();
  });
});

describe('parseWindowsVersion (DisplayVersion)', () => {
  it.each([
    ['11.23.0.41350', '11.23.0.41350', undefined],
    ['11.9.1.30000', '11.9.1.30000', undefined],
    ['11.23', '11.23', undefined],
    ['11.23.0 (Build 41350)', '11.23.0', undefined],
    ['3.0.504', '3.0.504', undefined],
    ['11.24.0-beta1', '11.24.0-beta1', 'beta1'],
  ])('%s', (raw, components, preRelease) => {
    const parsed = parseWindowsVersion(raw);
    expect(formatComponents(parsed!)).toBe(components);
    expect(parsed!.preRelease).toBe(preRelease);
    expect(parsed!.raw).toBe(raw);
  });

  it.each(['', 'Build 41350'])('cannot read %j', (raw) => {
    expect(parseWindowsVersion(raw)).toBeUndefined();
  });
});
