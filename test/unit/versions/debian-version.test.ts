import { parseDebianVersion } from '../../../lambdas/core/versions/debian-version';
import { formatSemantic } from '../../../lambdas/core/versions/parsed-version';

describe('parseDebianVersion', () => {
  it.each([
    // raw, epoch, upstream, revision, components, preRelease
    ['5:7.0.15-1~deb12u1', 5, '7.0.15', '1~deb12u1', [7, 0, 15], undefined],
    ['7.0.15-1', undefined, '7.0.15', '1', [7, 0, 15], undefined],
    ['6:7.0.11-1rl1~bookworm1', 6, '7.0.11', '1rl1~bookworm1', [7, 0, 11], undefined],
    ['5:7.0.15-1~bpo12+1', 5, '7.0.15', '1~bpo12+1', [7, 0, 15], undefined],
    ['5:6.0.16-1ubuntu1', 5, '6.0.16', '1ubuntu1', [6, 0, 16], undefined],
    ['5:7.0.15-1build2', 5, '7.0.15', '1build2', [7, 0, 15], undefined],
    ['7.0.15+dfsg-1', undefined, '7.0.15+dfsg', '1', [7, 0, 15], undefined],
    ['7.2.0-v9', undefined, '7.2.0', 'v9', [7, 2, 0], undefined],
    ['7.0-rc3', undefined, '7.0-rc3', undefined, [7, 0], 'rc3'],
    ['7.2-rc1', undefined, '7.2-rc1', undefined, [7, 2], 'rc1'],
    ['7.0.0-rc1', undefined, '7.0.0-rc1', undefined, [7, 0, 0], 'rc1'],
    ['7.0.6-RC10', undefined, '7.0.6-RC10', undefined, [7, 0, 6], 'rc10'],
    ['7.0.0~rc2', undefined, '7.0.0~rc2', undefined, [7, 0, 0], 'rc2'],
    ['5:7.0~rc3-1', 5, '7.0~rc3', '1', [7, 0], 'rc3'],
    ['7.0.0-rc1-1', undefined, '7.0.0-rc1', '1', [7, 0, 0], 'rc1'],
    ['6:7.0.0~rc2-1rl1~jammy1', 6, '7.0.0~rc2', '1rl1~jammy1', [7, 0, 0], 'rc2'],
    ['7.0.15~beta', undefined, '7.0.15~beta', undefined, [7, 0, 15], 'beta'],
    ['7.0.15~alpha2-1', undefined, '7.0.15~alpha2', '1', [7, 0, 15], 'alpha2'],
    ['7.0.15-beta.2', undefined, '7.0.15-beta.2', undefined, [7, 0, 15], 'beta2'],
    ['7.0.15', undefined, '7.0.15', undefined, [7, 0, 15], undefined],
    ['  7.0.15-1  ', undefined, '7.0.15', '1', [7, 0, 15], undefined],
    ['0:7.0.15-1', 0, '7.0.15', '1', [7, 0, 15], undefined],
    ['7.0.15-debug1', undefined, '7.0.15', 'debug1', [7, 0, 15], undefined],
    ['11.23.0.41350', undefined, '11.23.0.41350', undefined, [11, 23, 0, 41350], undefined],
    ['v7.0.15', undefined, 'v7.0.15', undefined, [7, 0, 15], undefined],
  ])('%s', (raw, epoch, upstream, revision, components, preRelease) => {
    const parsed = parseDebianVersion(raw);
    expect(parsed).toBeDefined();
    expect(parsed!.raw).toBe(raw.trim());
    expect(parsed!.epoch).toBe(epoch);
    expect(parsed!.upstream).toBe(upstream);
    expect(parsed!.revision).toBe(revision);
    expect(parsed!.components).toEqual(components);
    expect(parsed!.preRelease).toBe(preRelease);
  });

  it.each([
    ['5:7.0.15-1~deb12u1', '7.0.15'],
    ['7.0-rc3', '7.0.0-rc3'],
    ['7', '7.0.0'],
    ['11.23.0.41350', '11.23.0'],
  ])('%s has semantic version %s', (raw, semantic) => {
    expect(formatSemantic(parseDebianVersion(raw)!)).toBe(semantic);
  });

  it.each(['', '   ', 'unknown', 'x:7.0.15-1', '5:', '-1', 'rc1', '(none)'])('cannot read %j', (raw) => {
    expect(parseDebianVersion(raw)).toBeUndefined();
  });
});
