/**
 * Which AWS:Application inventory rows are a Redis SERVER install. Names are compared case-insensitively
 * and exactly (never by substring), because many packages merely mention Redis.
 *
 * Recognised:
 * - `redis-server`: the server on Debian / Ubuntu (Debian archive and packages.redis.io).
 * - `redis`: the server on RHEL / Fedora / Rocky / Alma / Amazon Linux 2 (and Debian's metapackage that
 *   pulls redis-server, same version).
 * - `redis6`, `redis7`, ... (`redis` + digits): the versioned server packages of Amazon Linux.
 * - `redis-stack-server` (packages.redis.io): its version `7.2.0-v9` starts with the Redis version it bundles.
 * - Windows uninstall entries `Redis`, `Redis Server`, `Redis on Windows` (the MSI builds; DisplayVersion
 *   is the Redis version, e.g. `3.0.504`).
 *
 * Not a server, so not recognised: `redis-tools` (redis-cli and benchmarks only), `redis-sentinel`,
 * `redis-doc`, `redis-devel`, `*-dbgsym`, client libraries (`python3-redis`, `php-redis`, `hiredis`),
 * and Redis-compatible servers with their own version lines (`memurai*`, `valkey*`, `keydb*`), whose
 * version numbers are not Redis versions.
 */
import type { InventoryRow } from './application-version';

const SERVER_PACKAGE_NAMES = new Set(['redis-server', 'redis', 'redis-stack-server', 'redis server', 'redis on windows']);
const VERSIONED_SERVER_PACKAGE = /^redis\d+$/;

export function isRedisServerPackageName(name: string): boolean {
  const normalised = name.trim().toLowerCase();
  return SERVER_PACKAGE_NAMES.has(normalised) || VERSIONED_SERVER_PACKAGE.test(normalised);
}

/** The rows of an AWS:Application inventory that install a Redis server. */
export function redisServerPackages(rows: readonly InventoryRow[]): InventoryRow[] {
  return rows.filter((row) => isRedisServerPackageName(row['Name'] ?? ''));
}
