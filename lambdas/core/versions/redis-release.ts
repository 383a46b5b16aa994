/**
 * What a Redis version number says about the release. Redis numbers its release candidates below
 * the release they lead to: 7.0-rc1 reports `6.9.240`, 7.0-rc2 `6.9.241`, 7.2-rc1 `7.1.240`; the
 * development branch reports `255.255.255`. So a patch number of 240 or more is a pre-release even
 * when no `rc` marker appears (the running server's `redis_version` never carries one).
 */
import { formatSemantic, type ParsedVersion } from './parsed-version';

const FIRST_RC_PATCH = 240;
const UNSTABLE_MAJOR = 255;

/** Why this version is a Redis pre-release (`rc3`, `release candidate 7.0-rc1`, `unstable branch`), or undefined for a release. */
export function redisPreRelease(version: ParsedVersion): string | undefined {
  if (version.preRelease) return version.preRelease;
  if (version.major >= UNSTABLE_MAJOR) return 'unstable development branch';
  if (version.patch >= FIRST_RC_PATCH) return `release candidate ${nextRelease(version)}-rc${version.patch - FIRST_RC_PATCH + 1}`;
  return undefined;
}

/** The release a candidate numbered `major.minor.24x` leads to: 6.9 -> 7.0, 7.1 -> 7.2. */
function nextRelease(version: ParsedVersion): string {
  return version.minor >= 9 ? `${version.major + 1}.0` : `${version.major}.${version.minor + 1}`;
}

/** True for a stable Redis 7.0.x release, the version the requirement names. */
export function isStableRedis70(version: ParsedVersion): boolean {
  return version.major === 7 && version.minor === 0 && redisPreRelease(version) === undefined;
}

/** `7.0.15`, or `6.9.240 (release candidate 7.0-rc1)`, for messages. */
export function describeRedisVersion(version: ParsedVersion): string {
  const reason = redisPreRelease(version);
  const semantic = formatSemantic(version);
  return reason && reason !== version.preRelease ? `${semantic} (${reason})` : reason ? `${semantic} (pre-release)` : semantic;
}
