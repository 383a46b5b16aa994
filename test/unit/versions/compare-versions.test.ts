import { parseDebianVersion } from '../../../lambdas/core/versions/debian-version';
import { compareComponents, compareVersions, isAtLeast } from '../../../lambdas/core/versions/compare-versions';

const v = (raw: string) => {
  const parsed = parseDebianVersion(raw);
  if (!parsed) throw new Error(`test version ${raw} does not parse`);
  return parsed;
};

describe('compareComponents', () => {
  it.each([
    [[11, 9], [11, 23], -1],
    [[11, 23], [11, 23, 0], 0],
    [[11, 23, 0, 41350], [11, 23], 1],
    [[7, 0, 15], [7, 0, 9], 1],
    [[7, 0, 9], [7, 0, 10], -1],
    [[10], [9, 99, 99], 1],
    [[], [0, 0], 0],
  ])('%j vs %j = %i', (a, b, expected) => {
    expect(compareComponents(a, b)).toBe(expected);
    expect(compareComponents(b, a)).toBe(-expected || 0);
  });
});

describe('compareVersions', () => {
  it.each([
    ['7.0.15', '7.0.9', 1],
    ['7.0.10', '7.0.9', 1],
    ['5:7.0.15-1~deb12u1', '6:7.0.11-1rl1~bookworm1', 1], // epochs order packages, not releases
    ['7.0.15-1', '7.0.15-2', 0], // revisions too
    ['7.0.0~rc2', '7.0.0', -1],
    ['7.0.0-rc1', '7.0.0-rc2', -1],
    ['7.0.0-rc2', '7.0.0-rc10', -1],
    ['7.0.0~alpha', '7.0.0~beta', -1],
    ['7.0.0~beta', '7.0.0~rc1', -1],
    ['7.0-rc3', '7.0.0', -1],
    ['7.0-rc3', '6.2.14', 1],
    ['7.0.0-rc1', '7.0.0-RC1', 0],
    ['11.23.0.41350', '11.23', 1],
    ['11.22.9.99999', '11.23', -1],
  ])('%s vs %s = %i', (a, b, expected) => {
    expect(compareVersions(v(a), v(b))).toBe(expected);
    expect(compareVersions(v(b), v(a))).toBe(-expected || 0);
  });
});

describe('isAtLeast', () => {
  it.each([
    ['11.23.0.41350', [11, 23], true],
    ['11.23', [11, 23], true],
    ['11.24.0.1', [11, 23], true],
    ['12.0.0.1', [11, 23], true],
    ['11.22.9.99999', [11, 23], false],
    ['11.9.0.1', [11, 23], false],
    ['11.3.0', [11, 23], false],
    ['10.0.1023.0', [11, 23], false],
    ['11.23.0-rc1', [11, 23], false],
    ['11.23.1-rc1', [11, 23], true],
  ])('%s >= %j is %s', (raw, minimum, expected) => {
    expect(isAtLeast(v(raw), minimum)).toBe(expected);
  });
});
