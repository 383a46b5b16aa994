/**
 * The Lua scripting CVEs the 7.0 line never received upstream, and where each is fixed: upstream
 * releases, and Debian 12's `redis` source package (5:7.0.15-1~deb12uN). Facts and sources:
 * docs/redis-security.md (GHSA-4789-qfc9-5f9q, the CVE records, the Debian changelog of
 * redis-server 5:7.0.15-1~deb12u10). Any client allowed to run Lua (EVAL, EVALSHA, FUNCTION) can
 * exploit each of them.
 *
 * Pure: what a running build is, in; which of these CVEs it has, out. A build the tables do not
 * cover (another distribution's package, an unreported owner) is `unknown`, never `fixed`.
 */
import { compareComponents } from './compare-versions';
import { parseUpstream } from './parsed-version';
import type { PackageManager } from '../inventory/redis-probe-rows';

export interface LuaCve {
  id: string;
  summary: string;
  /** Upstream releases with the fix, one per maintained line (empty: not established, never assumed). */
  upstreamFixed: readonly string[];
  /** N of the first Debian 12 package 5:7.0.15-1~deb12uN with the fix. */
  debian12Fixed: number;
}

export const LUA_CVES: readonly LuaCve[] = [
  { id: 'CVE-2024-31449', summary: 'Lua bit library stack overflow, possible remote code execution', upstreamFixed: ['6.2.16', '7.2.6', '7.4.1'], debian12Fixed: 2 },
  { id: 'CVE-2024-46981', summary: 'Lua garbage collector use-after-free, possible remote code execution', upstreamFixed: ['6.2.17', '7.2.7', '7.4.2'], debian12Fixed: 3 },
  { id: 'CVE-2025-49844', summary: 'Lua parser use-after-free, remote code execution (critical, CVSS 10.0)', upstreamFixed: ['6.2.20', '7.2.11', '7.4.6', '8.0.4', '8.2.2'], debian12Fixed: 6 },
  { id: 'CVE-2025-46817', summary: 'Lua unpack integer overflow, possible remote code execution', upstreamFixed: ['6.2.20', '7.2.11', '7.4.6', '8.0.4', '8.2.2'], debian12Fixed: 6 },
  { id: 'CVE-2025-46818', summary: 'a Lua script runs in the context of another user', upstreamFixed: ['6.2.20', '7.2.11', '7.4.6', '8.0.4', '8.2.2'], debian12Fixed: 6 },
  { id: 'CVE-2025-46819', summary: 'Lua out-of-bounds read', upstreamFixed: ['6.2.20', '7.2.11', '7.4.6', '8.0.4', '8.2.2'], debian12Fixed: 6 },
  { id: 'CVE-2025-67733', summary: 'RESP injection through a Lua error reply', upstreamFixed: [], debian12Fixed: 7 },
];

/** The first Debian 12 package with every fix above. */
export const DEBIAN12_LUA_FIXED = `5:7.0.15-1~deb12u${Math.max(...LUA_CVES.map((c) => c.debian12Fixed))}`;

export interface RunningBuild {
  /** INFO redis_version (or the binary's version). */
  redisVersion?: string;
  packageManager?: PackageManager;
  packageName?: string;
  packageVersion?: string;
}

export type LuaBuildAssessment =
  | { status: 'vulnerable'; cves: LuaCve[]; build: string }
  | { status: 'fixed'; build: string }
  | { status: 'unknown'; build: string; reason: string };

const DEBIAN12 = /^(?:5:)?7\.0\.15-1~deb12u(\d{1,4})$/;

export function assessLuaBuild(build: RunningBuild): LuaBuildAssessment {
  if (build.packageManager === 'dpkg') {
    const name = `${build.packageName} ${build.packageVersion}`;
    const match = DEBIAN12.exec(build.packageVersion ?? '');
    if (!match) return { status: 'unknown', build: `package ${name}`, reason: `no fix table for this package version here (known: Debian 12's 5:7.0.15-1~deb12uN); Amazon Inspector (redis.known-vulnerabilities) judges it from the vendor's advisories` };
    const n = Number(match[1]);
    const cves = LUA_CVES.filter((c) => n < c.debian12Fixed);
    return cves.length > 0 ? { status: 'vulnerable', cves, build: `Debian 12 package ${name}` } : { status: 'fixed', build: `Debian 12 package ${name}` };
  }
  if (build.packageManager === 'rpm') {
    return { status: 'unknown', build: `package ${build.packageName} ${build.packageVersion}`, reason: "no fix table for RPM packages here; Amazon Inspector (redis.known-vulnerabilities) judges it from the vendor's advisories" };
  }
  if (build.packageManager === 'none') {
    const version = build.redisVersion === undefined ? undefined : parseUpstream(build.redisVersion);
    const label = `a build from source (no package owns the executable) reporting Redis ${build.redisVersion ?? 'of unknown version'}`;
    if (!version) return { status: 'unknown', build: label, reason: 'its version cannot be read' };
    const cves = LUA_CVES.filter((c) => c.upstreamFixed.length > 0 && !upstreamHasFix(version.components, c.upstreamFixed));
    return cves.length > 0 ? { status: 'vulnerable', cves, build: label } : { status: 'fixed', build: label };
  }
  return { status: 'unknown', build: `Redis ${build.redisVersion ?? 'of unknown version'}`, reason: 'the probe did not report which package owns the running executable (package_manager), so a patched distribution package cannot be told from a vulnerable upstream build' };
}

/**
 * Whether an upstream version has a fix released on several lines: at or above the fix of its own
 * line, or on a line newer than every line fixed. A line without a fix (7.0.x) has none.
 */
function upstreamHasFix(components: readonly number[], fixedIn: readonly string[]): boolean {
  const line = components.slice(0, 2);
  const fixes = fixedIn.map((f) => f.split('.').map(Number));
  const ownLine = fixes.find((f) => compareComponents(f.slice(0, 2), line) === 0);
  if (ownLine) return compareComponents(components.slice(0, 3), ownLine) >= 0;
  return fixes.every((f) => compareComponents(line, f.slice(0, 2)) > 0);
}
