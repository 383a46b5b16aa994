/**
 * Orders versions by their upstream numbers, component by component as numbers (`11.9` < `11.23`),
 * a missing component counting as 0 (`11.23` = `11.23.0`). A pre-release comes before its release
 * (`7.0.0-rc2` < `7.0.0`). Epochs and packaging revisions are ignored: they order packages of one
 * distribution, not what upstream released (Debian ships Redis with epoch 5, packages.redis.io with 6).
 */
import type { ParsedVersion } from './parsed-version';
import { comparePreRelease } from './pre-release';

export function compareComponents(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const byNumbers = compareComponents(a.components, b.components);
  if (byNumbers !== 0) return byNumbers;
  if (a.preRelease === undefined || b.preRelease === undefined) return a.preRelease === b.preRelease ? 0 : a.preRelease === undefined ? 1 : -1;
  return Math.sign(comparePreRelease(a.preRelease, b.preRelease));
}

/** True when `version` is `minimum` or later (a pre-release of exactly `minimum` is earlier). */
export function isAtLeast(version: ParsedVersion, minimum: readonly number[]): boolean {
  const byNumbers = compareComponents(version.components, minimum);
  return byNumbers > 0 || (byNumbers === 0 && version.preRelease === undefined);
}
