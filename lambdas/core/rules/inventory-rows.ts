/** Reads the rows of one SSM inventory type for one instance, or says why they are missing. */
import type { EstateTarget } from '../estate/estate';
import type { InventoryRow } from '../versions/application-version';
import { describeError } from './rule';

export const APPLICATION_INVENTORY = 'AWS:Application';
/** Custom inventory written on Redis servers by the Redis probe (inventory/redis-probe.sh; rows in docs/redis-probe.md, typed by inventory/redis-probe-rows.ts). */
export const REDIS_SERVER_INVENTORY = 'Custom:RedisServer';

export type InventoryLookup = { found: true; rows: InventoryRow[] } | { found: false; reason: string };

export function inventoryRows(target: EstateTarget, instanceId: string, typeName: string): InventoryLookup {
  const entity = target.inventory.get(instanceId);
  const data = entity?.Data?.[typeName];
  if (data) return { found: true, rows: data.Content ?? [] };
  // Missing rows only: the reason names the failed read, if any.
  const error = target.errorFor('ssm:GetInventory', 'ssm:ListInventoryEntries');
  const because = error ? ` ${describeError(error)}.` : '';
  if (!entity) return { found: false, reason: `SSM inventory has no entry for ${instanceId}${because ? `.${because}` : ': ListInventoryEntries returned no inventory (the instance is not managed by SSM, or no inventory association runs on it).'}` };
  return { found: false, reason: `The SSM inventory of ${instanceId} has no ${typeName} data.${because}` };
}
