/**
 * What the Redis probe (inventory/redis-probe.sh) reported for one instance, for the rules: its
 * Custom:RedisServer rows as typed facts, or why there are none. Rows of the legacy script (no
 * probe_version) are left to the legacy readers: `probe` is undefined when no row is a probe row.
 */
import type { EstateTarget } from '../estate/estate';
import { REDIS_SERVER_INVENTORY, inventoryRows } from '../rules/inventory-rows';
import type { InventoryRow } from '../versions/application-version';
import { isProbeRow, parseRedisServerRows, type RedisProcessFact } from './redis-probe-rows';

export interface ProbeEvidence {
  /** Processes that run (answered or not). */
  processes: RedisProcessFact[];
  /** Rows for expected ports nothing listens on, or the one row saying no Redis process runs. */
  notRunning: RedisProcessFact[];
  /** Rows or values that broke the schema (docs/redis-probe.md). */
  problems: string[];
}

export type RedisServerRows =
  | { found: false; reason: string }
  | { found: true; rows: InventoryRow[]; probe: ProbeEvidence | undefined };

export function redisServerRows(target: EstateTarget, instanceId: string): RedisServerRows {
  const lookup = inventoryRows(target, instanceId, REDIS_SERVER_INVENTORY);
  if (!lookup.found) return lookup;
  if (!lookup.rows.some(isProbeRow)) return { found: true, rows: lookup.rows, probe: undefined };
  const { facts, problems } = parseRedisServerRows(lookup.rows);
  return {
    found: true,
    rows: lookup.rows,
    probe: { processes: facts.filter((f) => f.status !== 'not_running'), notRunning: facts.filter((f) => f.status === 'not_running'), problems },
  };
}

/** `port 7000` / `pid 4242` / `the process`: how a finding names one process. */
export function processLabel(fact: RedisProcessFact): string {
  const name = fact.process === 'redis-sentinel' ? 'redis-sentinel' : 'Redis process';
  if (fact.port !== undefined) return `${name} on port ${fact.port}${fact.address && fact.address !== '127.0.0.1' && fact.address !== '::1' ? ` (${fact.address})` : ''}`;
  return fact.pid !== undefined ? `${name} pid ${fact.pid}` : name;
}
