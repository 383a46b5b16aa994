/**
 * RPM package versions as AWS:Application inventory reports them: separate `Version` (`7.0.15`),
 * `Release` (`1.el9`, `2.amzn2023.0.1`) and `Epoch` (`''`, `(none)` or a number) fields.
 * A pre-release is marked in the version (`7.2.0~rc1`) or, in the older Fedora style, in the
 * release (`0.1.rc1.fc39`).
 */
import { parseUpstream, type ParsedVersion } from './parsed-version';
import { findPreReleaseInRelease } from './pre-release';

/** An RPM field with its empty forms (`''`, `(none)`) made undefined. */
export function rpmField(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' || text === '(none)' ? undefined : text;
}

export function parseRpmVersion(version: string, release?: string, epoch?: string): ParsedVersion | undefined {
  const releaseText = rpmField(release);
  const epochText = rpmField(epoch);
  const epochNumber = epochText !== undefined && /^\d+$/.test(epochText) ? Number(epochText) : undefined;
  const raw = `${epochText !== undefined ? `${epochText}:` : ''}${version.trim()}${releaseText !== undefined ? `-${releaseText}` : ''}`;
  const releasePreRelease = releaseText !== undefined ? findPreReleaseInRelease(releaseText) : undefined;
  return parseUpstream(version, {
    raw,
    ...(epochNumber !== undefined ? { epoch: epochNumber } : {}),
    ...(releaseText !== undefined ? { revision: releaseText } : {}),
    ...(releasePreRelease !== undefined ? { releasePreRelease } : {}),
  });
}
