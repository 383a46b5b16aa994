/**
 * Typed facts from the rows inventory/redis-probe.sh writes (docs/redis-probe.md, schema 2.0):
 * `Custom:RedisServer` (one row per Redis process) and `Custom:RedisClusterNode` (one row per node
 * as each process sees the cluster). Pure: rows in, facts and the problems found out. A row that
 * breaks the schema is not turned into a fact: it is reported as a problem, so a rule never reads a
 * half-understood row as evidence.
 */
import type { InventoryRow } from '../versions/application-version';

export const REDIS_SERVER_TYPE = 'Custom:RedisServer';
export const REDIS_CLUSTER_NODE_TYPE = 'Custom:RedisClusterNode';
/** One row per (process, ACL user): the user's flags and what it may run, never a password or hash. */
export const REDIS_ACL_USER_TYPE = 'Custom:RedisAclUser';
/** The number of hash slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

/**
 * `untrusted listener`: a process the probe sent nothing to, because it is not one it may trust
 * with a password (not a root-owned executable run by root, the Redis service user or its config
 * file's owner), or a process holding an address of another Redis process's config file.
 */
export type ProbeStatus = 'ok' | 'error' | 'not_running' | 'untrusted listener';
export type ProbeRedisMode = 'standalone' | 'cluster' | 'sentinel';

/** One Redis process (or one configured port with nothing on it) as the probe saw it. */
export interface RedisProcessFact {
  status: ProbeStatus;
  pid?: number;
  /** `redis-server` or `redis-sentinel` (the executable name). */
  process?: string;
  address?: string;
  port?: number;
  /** `address:port` pairs the process listens on. */
  listen: string[];
  tls?: boolean;
  authRequired?: boolean;
  configFile?: string;
  redisVersion?: string;
  binaryVersion?: string;
  /** Where binaryVersion came from: `info`, `package` (dpkg / rpm database) or `file` (the executable read as data). */
  binaryVersionSource?: string;
  /** The running executable's path (`/proc/<pid>/exe`). */
  executable?: string;
  /** The process's user id. */
  uid?: number;
  redisMode?: ProbeRedisMode;
  role?: 'master' | 'slave';
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: string;
  clusterEnabled?: boolean;
  clusterState?: string;
  clusterSlotsAssigned?: number;
  clusterSlotsOk?: number;
  clusterSlotsPfail?: number;
  clusterSlotsFail?: number;
  clusterKnownNodes?: number;
  clusterSize?: number;
  clusterNodeId?: string;
  sentinelMasters?: number;
  maxmemory?: number;
  maxmemoryPolicy?: string;
  usedMemory?: number;
  totalSystemMemory?: number;
  protectedMode?: string;
  error?: string;
  // Security posture (docs/redis-probe.md, "Security posture"): absent when the probe did not read it.
  /** ACL GETUSER default: `on` (true) or `off` (false). */
  defaultUserEnabled?: boolean;
  /** ACL GETUSER default has the `nopass` flag: a client that never authenticates is this user. */
  defaultUserNopass?: boolean;
  /** Number of ACL users (ACL USERS), i.e. of Custom:RedisAclUser rows written for this process. */
  aclUsers?: number;
  /** CONFIG GET tls-port (0: no TLS port). */
  tlsPort?: number;
  /** CONFIG GET enable-debug-command / enable-module-command / enable-protected-configs: `yes`, `no` or `local`. */
  enableDebugCommand?: EnableSetting;
  enableModuleCommand?: EnableSetting;
  enableProtectedConfigs?: EnableSetting;
  /** `rename-command` lines of the config file: how many (from the names), and the commands renamed (never the new names). */
  renamedCommands?: number;
  renamedCommandNames?: string[];
  /** Who owns the executable: `dpkg` / `rpm` (package below), or `none` (no package owns it: a build from source). */
  packageManager?: PackageManager;
  packageName?: string;
  /** The owning package's full version (`5:7.0.15-1~deb12u10`, `7.0.15-1.amzn2023.0.3`). */
  packageVersion?: string;
  /** Why the posture (ACL, CONFIG) was not read, when it was not. */
  postureError?: string;
}

export type EnableSetting = 'yes' | 'no' | 'local';
export type PackageManager = 'dpkg' | 'rpm' | 'none';
const ENABLE_SETTINGS: readonly string[] = ['yes', 'no', 'local'];
const PACKAGE_MANAGERS: readonly string[] = ['dpkg', 'rpm', 'none'];

/** What an ACL user may run, as ACL DRYRUN answered (`may_<capability>`: 1 allowed, 0 denied). */
export const ACL_CAPABILITIES = ['eval', 'config', 'debug', 'module', 'flushall', 'flushdb', 'keys'] as const;
export type AclCapability = (typeof ACL_CAPABILITIES)[number];

/** One ACL user of one process (Custom:RedisAclUser). */
export interface AclUserFact {
  seenFromAddress: string;
  seenFromPort: number;
  user: string;
  enabled: boolean;
  nopass: boolean;
  /** The user's command rules as ACL GETUSER reports them (`+@all -@scripting`). */
  commands?: string;
  /** ACL DRYRUN results; a capability left out was not tested. */
  may: Partial<Record<AclCapability, boolean>>;
  /** The command rules grant the whole @dangerous category (`+@all` / `allcommands` / `+@dangerous`, not taken back). */
  dangerousCategory?: boolean;
}

/** One node of a Redis Cluster as one process (`seenFrom`) sees it in CLUSTER NODES. */
export interface ClusterNodeFact {
  seenFromAddress: string;
  seenFromPort: number;
  nodeId: string;
  /** Announced client address (`ip` of `ip:port`), empty for a `noaddr` node. */
  host: string;
  port: number;
  busPort: number;
  hostname?: string;
  flags: string[];
  /** The master's node id for a replica; undefined for a master. */
  masterId?: string;
  linkState: string;
  configEpoch: number;
  /** Inclusive slot ranges served. */
  slots: Array<[number, number]>;
  slotCount: number;
}

export interface Parsed<T> {
  facts: T[];
  /** One sentence per rejected row or value, naming the row (1-based) and the attribute. */
  problems: string[];
}

/** True when the row was written by the probe (schema 2.0), not the legacy script. */
export function isProbeRow(row: InventoryRow): boolean {
  return row['probe_version'] !== undefined && row['probe_version'].trim() !== '';
}

const NODE_ID = /^[0-9a-f]{40}$/;
const STATUSES: readonly string[] = ['ok', 'error', 'not_running', 'untrusted listener'];
const MODES: readonly string[] = ['standalone', 'cluster', 'sentinel'];

class RowReader {
  readonly problems: string[] = [];
  constructor(
    private readonly row: InventoryRow,
    private readonly where: string,
  ) {}

  text(name: string): string | undefined {
    const value = this.row[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  integer(name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,16}$/.test(value) || Number(value) > max) {
      this.problems.push(`${this.where}: ${name} "${value.slice(0, 40)}" is not a whole number${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}`);
      return undefined;
    }
    return Number(value);
  }

  flag(name: string): boolean | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (value === '1' || value === '0') return value === '1';
    this.problems.push(`${this.where}: ${name} "${value.slice(0, 40)}" is not 0 or 1`);
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly string[]): T | undefined {
    const value = this.text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (allowed.includes(value)) return value as T;
    this.problems.push(`${this.where}: ${name} "${value.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
    return undefined;
  }
}

/** Assigns only defined values, so facts carry no `undefined` properties. */
function defined<T extends object>(fact: T): T {
  for (const key of Object.keys(fact) as Array<keyof T>) if (fact[key] === undefined) delete fact[key];
  return fact;
}

/** Parses the Custom:RedisServer rows written by the probe; legacy rows (no probe_version) are skipped. */
export function parseRedisServerRows(rows: readonly InventoryRow[]): Parsed<RedisProcessFact> {
  const facts: RedisProcessFact[] = [];
  const problems: string[] = [];
  rows.forEach((row, index) => {
    if (!isProbeRow(row)) return;
    const r = new RowReader(row, `${REDIS_SERVER_TYPE} row ${index + 1}`);
    const status = r.oneOf<ProbeStatus>('status', STATUSES);
    if (status === undefined) {
      problems.push(...r.problems, ...(r.text('status') === undefined ? [`${REDIS_SERVER_TYPE} row ${index + 1}: no status`] : []));
      return;
    }
    const nodeId = r.text('cluster_node_id');
    if (nodeId !== undefined && !NODE_ID.test(nodeId)) r.problems.push(`${REDIS_SERVER_TYPE} row ${index + 1}: cluster_node_id "${nodeId.slice(0, 50)}" is not 40 hex characters`);
    const role = r.oneOf<'master' | 'slave'>('role', ['master', 'slave']);
    const fact = defined<RedisProcessFact>({
      status,
      pid: r.integer('pid'),
      process: r.text('process'),
      address: r.text('address'),
      port: r.integer('port', 65535),
      listen: (r.text('listen') ?? '').split(/\s+/).filter((s) => s !== ''),
      tls: r.flag('tls'),
      authRequired: r.flag('auth_required'),
      configFile: r.text('config_file'),
      redisVersion: r.text('redis_version'),
      binaryVersion: r.text('binary_version'),
      binaryVersionSource: r.text('binary_version_source'),
      executable: r.text('executable'),
      uid: r.integer('uid'),
      redisMode: r.oneOf<ProbeRedisMode>('redis_mode', MODES),
      role,
      masterHost: r.text('master_host'),
      masterPort: r.integer('master_port', 65535),
      masterLinkStatus: r.text('master_link_status'),
      clusterEnabled: r.flag('cluster_enabled'),
      clusterState: r.text('cluster_state'),
      clusterSlotsAssigned: r.integer('cluster_slots_assigned', CLUSTER_SLOTS),
      clusterSlotsOk: r.integer('cluster_slots_ok', CLUSTER_SLOTS),
      clusterSlotsPfail: r.integer('cluster_slots_pfail', CLUSTER_SLOTS),
      clusterSlotsFail: r.integer('cluster_slots_fail', CLUSTER_SLOTS),
      clusterKnownNodes: r.integer('cluster_known_nodes'),
      clusterSize: r.integer('cluster_size'),
      clusterNodeId: nodeId !== undefined && NODE_ID.test(nodeId) ? nodeId : undefined,
      sentinelMasters: r.integer('sentinel_masters'),
      maxmemory: r.integer('maxmemory'),
      maxmemoryPolicy: r.text('maxmemory_policy'),
      usedMemory: r.integer('used_memory'),
      totalSystemMemory: r.integer('total_system_memory'),
      protectedMode: r.text('protected_mode'),
      error: r.text('error'),
      defaultUserEnabled: r.flag('default_user_enabled'),
      defaultUserNopass: r.flag('default_user_nopass'),
      aclUsers: r.integer('acl_users'),
      tlsPort: r.integer('tls_port', 65535),
      enableDebugCommand: r.oneOf<EnableSetting>('enable_debug_command', ENABLE_SETTINGS),
      enableModuleCommand: r.oneOf<EnableSetting>('enable_module_command', ENABLE_SETTINGS),
      enableProtectedConfigs: r.oneOf<EnableSetting>('enable_protected_configs', ENABLE_SETTINGS),
      renamedCommandNames: words(r.text('renamed_command_names')),
      packageManager: r.oneOf<PackageManager>('package_manager', PACKAGE_MANAGERS),
      packageName: r.text('package_name'),
      packageVersion: r.text('package_version'),
      postureError: r.text('posture_error'),
    });
    if (fact.renamedCommandNames !== undefined) fact.renamedCommands = fact.renamedCommandNames.length;
    if (fact.packageManager !== undefined && fact.packageManager !== 'none' && (fact.packageName === undefined || fact.packageVersion === undefined)) {
      r.problems.push(`${REDIS_SERVER_TYPE} row ${index + 1}: package_manager ${fact.packageManager} without package_name and package_version`);
      delete fact.packageManager;
    }
    if (status === 'ok' && fact.redisVersion === undefined) r.problems.push(`${REDIS_SERVER_TYPE} row ${index + 1}: status ok without redis_version`);
    problems.push(...r.problems);
    facts.push(fact);
  });
  return { facts, problems };
}

/** `0-5460 5461 5463-5470` into inclusive ranges; undefined when a part is not a slot range. */
export function parseSlotRanges(text: string): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = [];
  for (const part of text.split(/\s+/)) {
    if (part === '') continue;
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to || to >= CLUSTER_SLOTS) return undefined;
    ranges.push([from, to]);
  }
  return ranges;
}

/** Parses the Custom:RedisClusterNode rows; a row with a bad node id, address or slot list is a problem, not a fact. */
export function parseClusterNodeRows(rows: readonly InventoryRow[]): Parsed<ClusterNodeFact> {
  const facts: ClusterNodeFact[] = [];
  const problems: string[] = [];
  rows.forEach((row, index) => {
    const where = `${REDIS_CLUSTER_NODE_TYPE} row ${index + 1}`;
    const r = new RowReader(row, where);
    const nodeId = r.text('node_id');
    const seenFromPort = r.integer('seen_from_port', 65535);
    const busPort = r.integer('bus_port', 65535);
    const address = r.text('address') ?? '';
    const colon = address.lastIndexOf(':');
    const port = colon >= 0 && /^\d{1,5}$/.test(address.slice(colon + 1)) ? Number(address.slice(colon + 1)) : undefined;
    const slotsText = r.text('slots') ?? '';
    const slots = parseSlotRanges(slotsText);
    const slotCount = r.integer('slot_count', CLUSTER_SLOTS);
    const bad: string[] = [];
    if (nodeId === undefined || !NODE_ID.test(nodeId)) bad.push(`node_id "${(nodeId ?? '').slice(0, 50)}" is not 40 hex characters`);
    if (seenFromPort === undefined) bad.push('no seen_from_port');
    if (port === undefined || port > 65535) bad.push(`address "${address.slice(0, 80)}" is not ip:port`);
    if (busPort === undefined) bad.push('no bus_port');
    if (slots === undefined) bad.push(`slots "${slotsText.slice(0, 80)}" is not a list of slot ranges`);
    const counted = slots?.reduce((n, [from, to]) => n + to - from + 1, 0);
    if (slotCount !== undefined && counted !== undefined && slotCount !== counted) bad.push(`slot_count ${slotCount} differs from the ${counted} slots listed`);
    if (bad.length > 0 || r.problems.length > 0) {
      problems.push(...r.problems, ...bad.map((b) => `${where}: ${b}`));
      return;
    }
    const masterId = r.text('master_id');
    facts.push(
      defined<ClusterNodeFact>({
        seenFromAddress: r.text('seen_from_address') ?? '',
        seenFromPort: seenFromPort!,
        nodeId: nodeId!,
        host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
        port: port!,
        busPort: busPort!,
        hostname: r.text('hostname'),
        flags: (r.text('flags') ?? '').split(',').filter((f) => f !== '' && f !== 'noflags'),
        masterId: masterId === undefined || masterId === '-' ? undefined : masterId,
        linkState: r.text('link_state') ?? '',
        configEpoch: r.integer('config_epoch') ?? 0,
        slots: slots!,
        slotCount: counted!,
      }),
    );
  });
  return { facts, problems };
}

function words(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

/**
 * Whether ACL command rules, applied in order, leave the whole @dangerous category allowed:
 * `+@all`, `allcommands` and `+@dangerous` grant it, `-@all`, `nocommands` and `-@dangerous` take it back.
 */
export function grantsDangerousCategory(commands: string): boolean {
  let granted = false;
  for (const rule of commands.toLowerCase().split(/\s+/)) {
    if (rule === '+@all' || rule === 'allcommands' || rule === '+@dangerous') granted = true;
    else if (rule === '-@all' || rule === 'nocommands' || rule === '-@dangerous') granted = false;
  }
  return granted;
}

/** Parses the Custom:RedisAclUser rows; a row without a user, its process or its flags is a problem, not a fact. */
export function parseAclUserRows(rows: readonly InventoryRow[]): Parsed<AclUserFact> {
  const facts: AclUserFact[] = [];
  const problems: string[] = [];
  rows.forEach((row, index) => {
    const where = `${REDIS_ACL_USER_TYPE} row ${index + 1}`;
    const r = new RowReader(row, where);
    const user = row['user'];
    const seenFromPort = r.integer('seen_from_port', 65535);
    const enabled = r.flag('enabled');
    const nopass = r.flag('nopass');
    const may: Partial<Record<AclCapability, boolean>> = {};
    for (const capability of ACL_CAPABILITIES) {
      const allowed = r.flag(`may_${capability}`);
      if (allowed !== undefined) may[capability] = allowed;
    }
    const bad: string[] = [];
    if (user === undefined || user === '') bad.push('no user');
    if (seenFromPort === undefined) bad.push('no seen_from_port');
    if (enabled === undefined) bad.push('no enabled flag');
    if (nopass === undefined) bad.push('no nopass flag');
    if (bad.length > 0 || r.problems.length > 0) {
      problems.push(...r.problems, ...bad.map((b) => `${where}: ${b}`));
      return;
    }
    const commands = r.text('commands');
    facts.push(
      defined<AclUserFact>({
        seenFromAddress: r.text('seen_from_address') ?? '',
        seenFromPort: seenFromPort!,
        user: user!,
        enabled: enabled!,
        nopass: nopass!,
        commands,
        may,
        dangerousCategory: commands === undefined ? undefined : grantsDangerousCategory(commands),
      }),
    );
  });
  return { facts, problems };
}
