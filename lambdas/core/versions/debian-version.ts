/**
 * Debian package versions as dpkg-query reports them (and AWS:Application inventory repeats them):
 * `[epoch:]upstream[-revision]`, e.g. `5:7.0.15-1~deb12u1` (Debian), `6:7.0.11-1rl1~bookworm1`
 * (packages.redis.io). The revision follows the LAST hyphen; a tail that is a pre-release marker
 * (`7.0-rc3`, `7.0.0-rc1`) is part of the upstream version, not a revision. Also reads plain
 * versions with neither epoch nor revision (Windows DisplayVersion, `7.0.15`).
 */
import { parseUpstream, type ParsedVersion } from './parsed-version';
import { startsWithPreRelease } from './pre-release';

export function parseDebianVersion(raw: string): ParsedVersion | undefined {
  const text = raw.trim();
  let rest = text;
  let epoch: number | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const epochText = rest.slice(0, colon);
    if (!/^\d+$/.test(epochText)) return undefined;
    epoch = Number(epochText);
    rest = rest.slice(colon + 1);
  }
  let revision: string | undefined;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen > 0) {
    const tail = rest.slice(hyphen + 1);
    if (!startsWithPreRelease(tail)) {
      if (tail !== '') revision = tail;
      rest = rest.slice(0, hyphen);
    }
  }
  return parseUpstream(rest, { raw: text, ...(epoch !== undefined ? { epoch } : {}), ...(revision !== undefined ? { revision } : {}) });
}
