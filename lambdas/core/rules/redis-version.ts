/**
 * redis.version: each Redis server runs a stable Redis 7.0.x.
 * Evidence, best first: the running server's `redis_version` (Custom:RedisServer inventory), then the
 * version of the binary a process runs when it did not answer (the Redis probe's `binary_version`),
 * then the installed Redis server package (AWS:Application inventory; names in versions/redis-packages.ts).
 * When the probe saw no Redis process running, the package alone never passes: nothing serves sessions.
 */
import type { RedisServer } from '../estate/estate';
import type { EstateTarget } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { parseApplicationVersion, type InventoryRow } from '../versions/application-version';
import { formatSemantic, parseUpstream, type ParsedVersion } from '../versions/parsed-version';
import { describeRedisVersion, isStableRedis70, redisPreRelease } from '../versions/redis-release';
import { isRedisServerPackageName, redisServerPackages } from '../versions/redis-packages';
import { processLabel, redisServerRows, type ProbeEvidence } from '../inventory/redis-probe-evidence';
import { isProbeRow } from '../inventory/redis-probe-rows';
import { APPLICATION_INVENTORY, REDIS_SERVER_INVENTORY, inventoryRows } from './inventory-rows';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'high';
const REQUIRED = 'A stable Redis Server 7.0.x release (no release candidate, beta or alpha).';
const PACKAGE_NAMES = 'redis-server, redis, redis<N>, redis-stack-server, or Redis / Redis Server / Redis on Windows on Windows';

interface Reading {
  /** What reported it: ` on port 7000` for a running process, `redis-server ` for a package. */
  port?: string;
  /** A prefix naming the source when it is neither (a process's binary). */
  label?: string;
  packageName?: string;
  raw: string;
  version: ParsedVersion | undefined;
}

export const redisVersionRule: RuleDefinition = {
  id: 'redis.version',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server runs a stable Redis 7.0.x',
  requirement: REQUIREMENT.redisVersion,
  evaluate(target) {
    // Per evidence key: the assessment (shared by every server of the key) and, for PASS, the verdict too.
    const assessments = new Map<string, { assessment: Assessment; passed?: Verdict }>();
    const serverPackageNames = new Map<string, boolean>();
    return target.redisServers.map((server) => {
      const key = target.shareVerdicts ? runningEvidenceKey(target, server.instanceId, serverPackageNames) : undefined;
      if (key === undefined) return serverFinding(redisVersionRule, server, serverVerdict(target, server));
      let known = assessments.get(key);
      if (!known) {
        const assessment = assessRunning(target, server.instanceId)!;
        known = assessment.status === 'PASS' ? { assessment, passed: verdictFor(server, assessment) } : { assessment };
        assessments.set(key, known);
      }
      return serverFinding(redisVersionRule, server, known.passed ?? verdictFor(server, known.assessment));
    });
  },
};

/**
 * When the running server reports its version, the assessment (assessRunning) reads only the
 * reported rows (redis_version, port) and the Redis package rows (for the disagreement note); the
 * server's id enters only the fix (verdictFor). This key holds exactly those rows. Undefined without a running
 * version, where the sentences name the server anyway. `serverPackageNames` memoises which
 * package names are a Redis server (every server lists the same few names).
 */
function runningEvidenceKey(target: EstateTarget, instanceId: string, serverPackageNames: Map<string, boolean>): string | undefined {
  const data = target.inventory.get(instanceId)?.Data;
  const rows = data?.[REDIS_SERVER_INVENTORY]?.Content ?? [];
  let key = '';
  if (rows.some(isProbeRow)) {
    // Probe rows: the assessment reads these attributes of every row (assessProbe).
    key = '\u0003';
    for (const row of rows) for (const field of PROBE_KEY_FIELDS) key += `${keyPart(row[field])}\u0000`;
  } else {
    for (const row of rows) {
      const version = row['redis_version'];
      if (version !== undefined && version.trim() !== '') key += `${version}\u0000${keyPart(row['tcp_port'] ?? row['port'])}\u0000`;
    }
    if (key === '') return undefined;
  }
  key += '\u0001';
  for (const row of data?.[APPLICATION_INVENTORY]?.Content ?? []) {
    const name = row['Name'] ?? '';
    let isServer = serverPackageNames.get(name);
    if (isServer === undefined) serverPackageNames.set(name, (isServer = isRedisServerPackageName(name)));
    if (isServer) key += `${keyPart(row['Name'])}\u0000${keyPart(row['Version'])}\u0000${keyPart(row['Release'])}\u0000${keyPart(row['Epoch'])}\u0000`;
  }
  return key;
}

/** Every Custom:RedisServer attribute assessProbe reads (through parseRedisServerRows and processLabel). */
const PROBE_KEY_FIELDS = ['probe_version', 'status', 'redis_version', 'binary_version', 'port', 'address', 'pid', 'process', 'error'] as const;

/** A field for an evidence key: absent and every text kept apart. */
function keyPart(value: string | undefined): string {
  return value === undefined ? '\u0002' : value;
}

/** The running-server path of serverVerdict: undefined when neither the probe nor the running server reported a version. */
function assessRunning(target: EstateTarget, instanceId: string): Assessment | undefined {
  const rows = redisServerRows(target, instanceId);
  if (rows.found && rows.probe) return assessProbe(rows.probe, packageReadings(target, instanceId).readings);
  const running = runningReadings(target, instanceId);
  if (running.readings.length === 0) return undefined;
  const packages = packageReadings(target, instanceId);
  const disagreement = packageDisagreement(running.readings, packages.readings);
  return assess(running.readings, `The running Redis server reports redis_version ${list(running.readings)} (${REDIS_SERVER_INVENTORY} inventory).${disagreement}`);
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const runningAssessment = assessRunning(target, server.instanceId);
  if (runningAssessment) return verdictFor(server, runningAssessment);
  const running = runningReadings(target, server.instanceId);
  const packages = packageReadings(target, server.instanceId);
  if (packages.readings.length > 0) {
    const assessment = assess(packages.readings, `Installed package ${list(packages.readings)} (${APPLICATION_INVENTORY} inventory); the running server's version was not reported (${withoutFullStop(running.missing)}).`);
    // The package stands in for the running server only when nothing hid the running server's rows:
    // after a failed inventory read they may exist and report another version.
    const inventoryError = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
    if (assessment.status === 'PASS' && inventoryError) {
      return verdictFor(server, { ...assessment, status: 'UNKNOWN', observed: `${assessment.observed} The package alone does not decide: the running server's rows may be missing because ${describeError(inventoryError)}.` });
    }
    return verdictFor(server, assessment);
  }
  return {
    status: 'UNKNOWN',
    severity: SEVERITY,
    observed: running.missing === packages.missing ? packages.missing : `No Redis version evidence: ${running.missing} ${packages.missing}`,
    required: REQUIRED,
    remediation: `Make SSM Inventory collect ${APPLICATION_INVENTORY} on ${server.instanceId} (State Manager association with AWS-GatherSoftwareInventory) and, to report the running server, a ${REDIS_SERVER_INVENTORY} custom inventory with redis_version from INFO server; then scan again.`,
  };
}

function runningReadings(target: EstateTarget, instanceId: string): { readings: Reading[]; missing: string } {
  const lookup = inventoryRows(target, instanceId, REDIS_SERVER_INVENTORY);
  if (!lookup.found) return { readings: [], missing: lookup.reason };
  const rows = lookup.rows.filter((row) => (row['redis_version'] ?? '').trim() !== '');
  if (rows.length === 0) return { readings: [], missing: `The ${REDIS_SERVER_INVENTORY} inventory of ${instanceId} has no redis_version.` };
  return {
    readings: rows.map((row) => {
      const raw = row['redis_version']!.trim();
      const port = row['tcp_port'] ?? row['port'];
      return { ...(port ? { port } : {}), raw, version: parseUpstream(raw) };
    }),
    missing: '',
  };
}

function packageReadings(target: EstateTarget, instanceId: string): { readings: Reading[]; missing: string } {
  const lookup = inventoryRows(target, instanceId, APPLICATION_INVENTORY);
  if (!lookup.found) return { readings: [], missing: lookup.reason };
  const rows = redisServerPackages(lookup.rows);
  if (rows.length === 0) return { readings: [], missing: `The ${APPLICATION_INVENTORY} inventory of ${instanceId} lists ${lookup.rows.length} applications, none a Redis server package (looked for ${PACKAGE_NAMES}).` };
  return { readings: rows.map((row) => packageReading(row)), missing: '' };
}

function packageReading(row: InventoryRow): Reading {
  const version = parseApplicationVersion(row);
  return { packageName: row['Name'] ?? '', raw: version?.raw ?? row['Version'] ?? '', version };
}

/** `"7.0.15" on port 7000 = Redis 7.0.15`, `redis-server "5:7.0.15-1~deb12u1" = Redis 7.0.15`: the raw string and what it means. */
function list(readings: readonly Reading[]): string {
  return readings
    .map((r) => `${r.label ? `${r.label} ` : ''}${r.packageName ? `${r.packageName} ` : ''}"${r.raw}"${r.port ? ` on port ${r.port}` : ''} = ${r.version ? `Redis ${describeRedisVersion(r.version)}` : 'not a readable version'}`)
    .join(', ');
}

function withoutFullStop(text: string): string {
  return text.replace(/\.$/, '');
}

/** Mentions installed packages whose version differs from what runs (an upgrade without a restart, or a server outside the package). */
function packageDisagreement(running: readonly Reading[], packages: readonly Reading[]): string {
  const runningVersions = new Set(running.map((r) => (r.version ? formatSemantic(r.version) : r.raw)));
  const differing = packages.filter((p) => p.version && !runningVersions.has(formatSemantic(p.version)));
  if (differing.length === 0) return '';
  return ` The installed package differs: ${list(differing)}; the running server is what is judged (a restart would run the installed version).`;
}

/**
 * The probe's view: the version each running process reports; for a process that did not answer,
 * the version of the binary it runs; no process at all is a failure whatever the package says.
 */
function assessProbe(probe: ProbeEvidence, packages: readonly Reading[]): Assessment {
  const installed = packages.length > 0 ? ` Installed package: ${list(packages)} (${APPLICATION_INVENTORY} inventory).` : '';
  const problems = probe.problems.length > 0 ? ` Rows not understood: ${probe.problems.join('; ')}.` : '';
  if (probe.processes.length === 0) {
    const reasons = [...new Set(probe.notRunning.map((f) => f.error ?? 'no Redis process is running'))].join('; ');
    if (probe.problems.length > 0) return { status: 'UNKNOWN', observed: `The Redis probe reported no readable running process: ${reasons}.${problems}${installed}`, preRelease: false };
    return { status: 'FAIL', observed: `The Redis probe found no Redis process running on the server: ${reasons} (${REDIS_SERVER_INVENTORY} inventory). Nothing on it serves sessions, whatever is installed.${installed}`, preRelease: false, notRunning: true };
  }
  const running: Reading[] = [];
  const binaries: Reading[] = [];
  const silent: string[] = [];
  for (const fact of probe.processes) {
    if (fact.status === 'ok' && fact.redisVersion !== undefined) {
      running.push({ ...(fact.port !== undefined ? { port: String(fact.port) } : {}), raw: fact.redisVersion, version: parseUpstream(fact.redisVersion) });
    } else if (fact.binaryVersion !== undefined) {
      binaries.push({ label: `${processLabel(fact)}, which did not answer (${fact.error ?? 'no INFO'}), runs a binary reporting`, raw: fact.binaryVersion, version: parseUpstream(fact.binaryVersion) });
    } else {
      silent.push(`${processLabel(fact)} did not answer (${fact.error ?? 'no INFO'}) and its binary's version is unknown`);
    }
  }
  const parts: string[] = [];
  if (running.length > 0) parts.push(`The running Redis server reports redis_version ${list(running)} (${REDIS_SERVER_INVENTORY} inventory from the Redis probe).`);
  if (binaries.length > 0) parts.push(`${list(binaries)} (${REDIS_SERVER_INVENTORY} binary_version).`);
  if (silent.length > 0) parts.push(`${silent.join('; ')}.`);
  const readings = [...running, ...binaries];
  const observed = `${parts.join(' ')}${packageDisagreement(readings, packages)}${problems}`;
  const assessment = assess(readings, observed);
  // A process whose version is unknown, or a row not understood, could be the one that fails.
  if (assessment.status === 'PASS' && (silent.length > 0 || probe.problems.length > 0)) return { ...assessment, status: 'UNKNOWN', unanswered: silent.length > 0 };
  if (readings.length === 0) return { status: 'UNKNOWN', observed, preRelease: false, unanswered: silent.length > 0 };
  return assessment;
}

/** What the readings say, whichever server reported them: everything but the fix, which names the server. */
interface Assessment {
  status: 'PASS' | 'FAIL' | 'UNKNOWN';
  observed: string;
  preRelease: boolean;
  /** The probe saw no Redis process running. */
  notRunning?: boolean;
  /** A running process did not answer the probe and its version is unknown. */
  unanswered?: boolean;
}

function assess(readings: readonly Reading[], observed: string): Assessment {
  const unreadable = readings.filter((r) => !r.version);
  const failing = readings.filter((r) => r.version && !isStableRedis70(r.version));
  if (failing.length > 0) return { status: 'FAIL', observed, preRelease: failing.some((r) => redisPreRelease(r.version!) !== undefined) };
  if (unreadable.length > 0) {
    return { status: 'UNKNOWN', observed: `${observed} The version ${unreadable.map((r) => `"${r.raw}"`).join(', ')} cannot be read as a Redis version.`, preRelease: false };
  }
  return { status: 'PASS', observed, preRelease: false };
}

function verdictFor(server: RedisServer, assessment: Assessment): Verdict {
  const { status, observed } = assessment;
  return { status, severity: SEVERITY, observed, required: REQUIRED, remediation: remediationFor(server, assessment) };
}

/** The fix, by what the assessment found: nothing running, a wrong version, processes that did not answer, unreadable evidence. */
function remediationFor(server: RedisServer, assessment: Assessment): string {
  if (assessment.status === 'FAIL' && assessment.notRunning) {
    return (
      `Start the Redis 7.0.x processes on ${server.instanceId} (the master and replica of the documented layout, ports 7000 and 7001, each from its own config file with cluster-enabled yes), ` +
      'or, if this server no longer serves sessions, remove its Redis role tag; then run the inventory association again and scan.'
    );
  }
  if (assessment.status === 'FAIL') {
    return (
      `Install the latest stable Redis 7.0.x on ${server.instanceId}${assessment.preRelease ? ' in place of the pre-release' : ''} ` +
      '(for example from packages.redis.io pinned with `apt-get install redis-server=6:7.0.*` or the distribution\'s Redis 7.0 package), ' +
      'then restart each Redis process, one node at a time with a replica failover in a Redis Cluster.'
    );
  }
  if (assessment.status === 'UNKNOWN' && assessment.unanswered) {
    return (
      `Let the Redis probe read every Redis process on ${server.instanceId}: keep requirepass / masterauth (and the TLS files) in each process's own config file, ` +
      "or name a SecureString parameter in the inventory document's PasswordParameter; then run the inventory association again and scan (docs/redis-probe.md)."
    );
  }
  if (assessment.status === 'UNKNOWN') return `Check the Redis version on ${server.instanceId} (redis-cli INFO server) and correct the inventory data it reports; then scan again.`;
  return 'None needed. Stay on the 7.0 line when patching: pin the package to 7.0.x.';
}
