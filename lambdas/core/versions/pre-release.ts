/**
 * Pre-release markers in version strings: `7.0-rc3`, `7.0.0~rc2`, `7.0.6-RC10`, `~beta`, `-alpha2`,
 * `0.1.rc1.fc39` (an RPM release of a pre-release). Packaging suffixes such as `+dfsg`, `~deb12u1`,
 * `~bookworm1` or `.el9` are not pre-releases.
 */

/** Ordered from earliest to latest stage; used to order two pre-releases of the same version. */
export const PRE_RELEASE_WORDS = ['dev', 'git', 'snapshot', 'nightly', 'unstable', 'alpha', 'beta', 'pre', 'preview', 'rc'] as const;

const WORDS = [...PRE_RELEASE_WORDS].sort((a, b) => b.length - a.length).join('|');
/** A marker word, not inside another word, with an optional number: `rc3`, `rc-3`, `beta.2`, `alpha`. */
const IN_SUFFIX = new RegExp(`(?:^|[^a-z])(${WORDS})[-.]?(\\d*)(?![a-z])`, 'i');
const AT_START = new RegExp(`^(${WORDS})[-.]?(\\d*)(?![a-z])`, 'i');

function marker(match: RegExpExecArray | null): string | undefined {
  return match ? `${match[1]!.toLowerCase()}${match[2] ?? ''}` : undefined;
}

/** The pre-release marker in what follows the numeric part of an upstream version (e.g. `-rc3`, `~beta`), lower case. */
export function findPreRelease(suffix: string): string | undefined {
  return marker(IN_SUFFIX.exec(suffix));
}

/** True when `text` begins with a pre-release marker (`rc1`, `RC10`, `beta`): such a tail is not a Debian revision. */
export function startsWithPreRelease(text: string): boolean {
  return AT_START.test(text);
}

/** The pre-release marker among the dot-separated tokens of an RPM release (`0.1.rc1.fc39` -> `rc1`). */
export function findPreReleaseInRelease(release: string): string | undefined {
  for (const token of release.split(/[._+~]/)) {
    const found = marker(AT_START.exec(token));
    if (found && AT_START.exec(token)![0].length === token.length) return found;
  }
  return undefined;
}

/** Orders two pre-release markers: by stage (`alpha` < `beta` < `rc`), then by number (`rc2` < `rc10`). */
export function comparePreRelease(a: string, b: string): number {
  const [wordA, numberA] = splitMarker(a);
  const [wordB, numberB] = splitMarker(b);
  return PRE_RELEASE_WORDS.indexOf(wordA) - PRE_RELEASE_WORDS.indexOf(wordB) || numberA - numberB;
}

function splitMarker(text: string): [(typeof PRE_RELEASE_WORDS)[number], number] {
  const match = AT_START.exec(text);
  const word = (match?.[1]?.toLowerCase() ?? 'dev') as (typeof PRE_RELEASE_WORDS)[number];
  return [word, match?.[2] ? Number(match[2]) : 0];
}
