/**
 * The security posture the Redis probe reported for one instance, per running process: its
 * Custom:RedisServer posture fields and its ACL users (Custom:RedisAclUser rows), or why they are
 * missing. The rules redis.authentication, redis.scripting-exposure and redis.dangerous-commands
 * read it; docs/redis-probe.md ("Security posture") defines the fields.
 */
import type { EstateTarget } from '../estate/estate';
import { inventoryRows } from '../rules/inventory-rows';
import { redisServerRows } from './redis-probe-evidence';
import { REDIS_ACL_USER_TYPE, parseAclUserRows, type AclUserFact, type RedisProcessFact } from './redis-probe-rows';

export interface ProcessPosture {
  process: RedisProcessFact;
  /** The process's ACL users; undefined when they were not reported (see `usersMissing`). */
  users: AclUserFact[] | undefined;
  usersMissing?: string;
}

export type PostureEvidence =
  | { found: false; reason: string }
  | { found: true; processes: ProcessPosture[]; problems: string[] };

/** Per target, the posture of each instance (one weak entry per target, not one per instance). */
const posturesByTarget = new WeakMap<EstateTarget, Map<string, PostureEvidence>>();

/**
 * The posture of one instance, read once per instance and evaluation (the three rules above each
 * ask for every Redis server; they only read it), except with verdict sharing off
 * (EstateTarget.shareVerdicts), where every call reads the rows again.
 */
export function redisPosture(target: EstateTarget, instanceId: string): PostureEvidence {
  if (!target.shareVerdicts) return readRedisPosture(target, instanceId);
  let postures = posturesByTarget.get(target);
  if (!postures) posturesByTarget.set(target, (postures = new Map()));
  let posture = postures.get(instanceId);
  if (!posture) postures.set(instanceId, (posture = readRedisPosture(target, instanceId)));
  return posture;
}

function readRedisPosture(target: EstateTarget, instanceId: string): PostureEvidence {
  const rows = redisServerRows(target, instanceId);
  if (!rows.found) return rows;
  if (!rows.probe) {
    return { found: false, reason: `The Custom:RedisServer rows of ${instanceId} come from a script older than the Redis probe (no probe_version): they say nothing of authentication or ACLs.` };
  }
  const problems = [...rows.probe.problems];
  const needsUsers = rows.probe.processes.some((p) => (p.aclUsers ?? 0) > 0);
  let users: AclUserFact[] | undefined;
  let usersMissing: string | undefined;
  if (needsUsers) {
    const lookup = inventoryRows(target, instanceId, REDIS_ACL_USER_TYPE);
    if (lookup.found) {
      const parsed = parseAclUserRows(lookup.rows);
      users = parsed.facts;
      problems.push(...parsed.problems);
    } else {
      usersMissing = lookup.reason;
    }
  }
  const processes = rows.probe.processes.map((process): ProcessPosture => {
    if (process.aclUsers === undefined) {
      return { process, users: undefined, usersMissing: `the probe did not list the ACL users of ${describeProcess(process)}${process.postureError ? ` (${process.postureError})` : ''}` };
    }
    if (process.aclUsers === 0) return { process, users: [] };
    if (!users) return { process, users: undefined, usersMissing: usersMissing ?? 'no ACL user rows' };
    const own = users.filter((u) => u.seenFromPort === process.port && (u.seenFromAddress === '' || process.address === undefined || u.seenFromAddress === process.address));
    if (own.length !== process.aclUsers) {
      return { process, users: undefined, usersMissing: `${describeProcess(process)} reported ${process.aclUsers} ACL user(s) but ${own.length} ${REDIS_ACL_USER_TYPE} row(s) name it` };
    }
    return { process, users: own };
  });
  return { found: true, processes, problems };
}

/** `port 7000` or `pid 42`. */
export function describeProcess(process: RedisProcessFact): string {
  if (process.port !== undefined) return `the Redis process on port ${process.port}`;
  return process.pid !== undefined ? `Redis process pid ${process.pid}` : 'a Redis process';
}

/** The default user as the ACL rows or the process row describe it. */
export function defaultUser(posture: ProcessPosture): { enabled?: boolean; nopass?: boolean } {
  const row = posture.users?.find((u) => u.user === 'default');
  if (row) return { enabled: row.enabled, nopass: row.nopass };
  const out: { enabled?: boolean; nopass?: boolean } = {};
  if (posture.process.defaultUserEnabled !== undefined) out.enabled = posture.process.defaultUserEnabled;
  if (posture.process.defaultUserNopass !== undefined) out.nopass = posture.process.defaultUserNopass;
  return out;
}

/**
 * Whether a client that never authenticates may run commands: the probe's unauthenticated PING
 * (`auth_required`) decides; without it, the default user being on with `nopass`.
 */
export function acceptsUnauthenticated(posture: ProcessPosture): boolean | undefined {
  if (posture.process.authRequired !== undefined) return !posture.process.authRequired;
  const user = defaultUser(posture);
  if (user.enabled === false || user.nopass === false) return false;
  if (user.enabled === true && user.nopass === true) return true;
  return undefined;
}

/** The addresses a process listens on for clients (its client and TLS ports; every address when none matches). */
export function clientAddresses(process: RedisProcessFact): string[] {
  const entries = process.listen.map((entry) => {
    const colon = entry.lastIndexOf(':');
    return { address: entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(entry.slice(colon + 1)) };
  });
  const ports = new Set([process.port, process.tlsPort].filter((p): p is number => p !== undefined && p !== 0));
  const client = entries.filter((e) => ports.has(e.port));
  return [...new Set((client.length > 0 ? client : entries).map((e) => e.address))];
}

/** Loopback: 127.0.0.0/8, ::1 and IPv4-mapped loopback. A wildcard (0.0.0.0, ::) is every address, not loopback. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** What a client that never authenticates can do with a process, from outside the host. */
export type Exposure =
  | { kind: 'open'; addresses: string[] }
  | { kind: 'protected'; addresses: string[] }
  | { kind: 'loopback-only' }
  | { kind: 'closed' }
  | { kind: 'unknown'; reason: string };

/**
 * `open`: commands without authentication on a non-loopback address. `protected`: the same, but
 * protected mode refuses non-loopback clients while the default user has no password (Redis 7:
 * `protected_mode && DefaultUser nopass` and a non-local peer gives `-DENIED`; the `protected-mode`
 * comment of redis.conf). `closed`: authentication required.
 */
export function unauthenticatedExposure(posture: ProcessPosture): Exposure {
  const accepts = acceptsUnauthenticated(posture);
  if (accepts === false) return { kind: 'closed' };
  if (accepts === undefined) {
    const why = posture.process.error ?? posture.process.postureError;
    return { kind: 'unknown', reason: `whether ${describeProcess(posture.process)} requires authentication was not reported${why ? ` (${why})` : ''}` };
  }
  const addresses = clientAddresses(posture.process);
  if (addresses.length === 0) return { kind: 'unknown', reason: `${describeProcess(posture.process)} answers without authentication, but its listening addresses were not reported` };
  const outside = addresses.filter((a) => !isLoopback(a));
  if (outside.length === 0) return { kind: 'loopback-only' };
  if (posture.process.protectedMode === 'yes') return { kind: 'protected', addresses: outside };
  if (posture.process.protectedMode === 'no') return { kind: 'open', addresses: outside };
  return { kind: 'unknown', reason: `${describeProcess(posture.process)} answers without authentication on ${outside.join(', ')}, and its protected-mode setting was not reported` };
}

/** A Sentinel process runs no scripts and serves no sessions: the scripting and command rules leave it out. */
export function isSentinel(posture: ProcessPosture): boolean {
  return posture.process.redisMode === 'sentinel' || posture.process.process === 'redis-sentinel';
}
