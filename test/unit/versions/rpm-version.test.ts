import { parseRpmVersion } from '../../../lambdas/core/versions/rpm-version';

describe('parseRpmVersion', () => {
  it.each([
    // version, release, epoch, raw, epoch number, components, preRelease
    ['7.0.15', '1.el9', '', '7.0.15-1.el9', undefined, [7, 0, 15], undefined],
    ['7.0.15', '1.el9', '(none)', '7.0.15-1.el9', undefined, [7, 0, 15], undefined],
    ['7.0.15', '1.el9', '0', '0:7.0.15-1.el9', 0, [7, 0, 15], undefined],
    ['7.0.12', '1.module+el8.9.0+20556+5e0d3d1e', undefined, '7.0.12-1.module+el8.9.0+20556+5e0d3d1e', undefined, [7, 0, 12], undefined],
    ['6.2.14', '1.amzn2023.0.1', '', '6.2.14-1.amzn2023.0.1', undefined, [6, 2, 14], undefined],
    ['7.0.15', '2.fc39', '1', '1:7.0.15-2.fc39', 1, [7, 0, 15], undefined],
    ['7.2.0~rc1', '1.fc39', '', '7.2.0~rc1-1.fc39', undefined, [7, 2, 0], 'rc1'],
    ['7.0.0', '0.1.rc2.fc36', '', '7.0.0-0.1.rc2.fc36', undefined, [7, 0, 0], 'rc2'],
    ['7.0.0', '0.2.beta.el9', '', '7.0.0-0.2.beta.el9', undefined, [7, 0, 0], 'beta'],
    ['7.0.15', '', '', '7.0.15', undefined, [7, 0, 15], undefined],
    ['7.0.15', undefined, undefined, '7.0.15', undefined, [7, 0, 15], undefined],
  ])('%s / %s / %j', (version, release, epoch, raw, epochNumber, components, preRelease) => {
    const parsed = parseRpmVersion(version, release, epoch);
    expect(parsed).toBeDefined();
    expect(parsed!.raw).toBe(raw);
    expect(parsed!.epoch).toBe(epochNumber);
    expect(parsed!.upstream).toBe(version);
    expect(parsed!.components).toEqual(components);
    expect(parsed!.preRelease).toBe(preRelease);
  });

  it('keeps the release as the revision', () => {
    expect(parseRpmVersion('7.0.15', '1.el9', '')!.revision).toBe('1.el9');
  });

  it.each(['', '(none)', 'latest'])('cannot read version %j', (version) => {
    expect(parseRpmVersion(version, '1.el9', '')).toBeUndefined();
  });
});
