/**
 * A package or product version taken apart: the packaging parts (epoch, revision) kept aside, and the
 * upstream version read as numeric components plus an optional pre-release marker.
 */
import { findPreRelease } from './pre-release';

export interface ParsedVersion {
  /** The version exactly as reported (for RPM rows: `[epoch:]version-release`). */
  raw: string;
  /** Debian / RPM epoch, when one was given. */
  epoch?: number;
  /** The upstream part: no epoch, no packaging revision / release. */
  upstream: string;
  /** Debian revision or RPM release, when one was given (packaging only, never a pre-release marker). */
  revision?: string;
  /** The leading numeric components of the upstream version, e.g. [7, 0, 15] or [11, 23, 0, 41350]. */
  components: number[];
  major: number;
  minor: number;
  patch: number;
  /** The pre-release marker in lower case (`rc3`, `beta`, `alpha2`); undefined for a final release. */
  preRelease?: string;
}

const UPSTREAM = /^[vV]?(\d+(?:\.\d+)*)(.*)$/s;

/** Reads an upstream version (`7.0.15`, `7.0-rc3`, `7.0.0~rc2`, `11.23.0.41350`); undefined when it has no leading number. */
export function parseUpstream(upstream: string, packaging: { raw?: string; epoch?: number; revision?: string; releasePreRelease?: string } = {}): ParsedVersion | undefined {
  const text = upstream.trim();
  const match = UPSTREAM.exec(text);
  if (!match) return undefined;
  const components = match[1]!.split('.').map(Number);
  if (components.some((n) => !Number.isSafeInteger(n))) return undefined;
  const preRelease = findPreRelease(match[2]!) ?? packaging.releasePreRelease;
  return {
    raw: packaging.raw ?? text,
    ...(packaging.epoch !== undefined ? { epoch: packaging.epoch } : {}),
    upstream: text,
    ...(packaging.revision !== undefined ? { revision: packaging.revision } : {}),
    components,
    major: components[0] ?? 0,
    minor: components[1] ?? 0,
    patch: components[2] ?? 0,
    ...(preRelease !== undefined ? { preRelease } : {}),
  };
}

/** `7.0.15`, or `7.0.0-rc2` for a pre-release: the semantic version for messages. */
export function formatSemantic(version: ParsedVersion): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.preRelease ? `${core}-${version.preRelease}` : core;
}

/** All numeric components joined (`11.23.0.41350`), with the pre-release marker when there is one. */
export function formatComponents(version: ParsedVersion): string {
  const core = version.components.join('.');
  return version.preRelease ? `${core}-${version.preRelease}` : core;
}
