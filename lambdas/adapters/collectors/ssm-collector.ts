/**
 * SSM collector: instance information and inventory for the instances found, in batches by
 * instance-id filter, never one call per instance.
 *
 * - DescribeInstanceInformation: `InstanceIds` filter, 50 ids a call (= its largest page).
 * - GetInventory: `AWS:InstanceInformation.InstanceId` Equal filter, 40 ids a call (an inventory
 *   filter's limit), largest page 50. `ResultAttributes` takes exactly one type, so each type is its
 *   own batch call: `AWS:Application` for every instance, `Custom:RedisServer` for Redis servers only.
 *   Rows are kept as returned (no row filtering: the rules choose what they read).
 */
import { paginateDescribeInstanceInformation, paginateGetInventory, type InventoryResultEntity, type SSMClient } from '@aws-sdk/client-ssm';
import type { CollectionError, InventoryEntity, SnapshotTarget } from '../../core/snapshot/schema';
import { SSM_INSTANCE_INFORMATION_PAGE_SIZE, SSM_INVENTORY_FILTER_VALUES_PER_CALL, SSM_INVENTORY_PAGE_SIZE } from './api-limits';
import { chunk } from './chunk';
import { collectPages } from './collect-pages';
import type { CollectedInstance } from './ec2-collector';

export const APPLICATION_INVENTORY_TYPE = 'AWS:Application';
export const REDIS_SERVER_INVENTORY_TYPE = 'Custom:RedisServer';
export const INVENTORY_INSTANCE_ID_KEY = 'AWS:InstanceInformation.InstanceId';

export type SsmSection = SnapshotTarget['ssm'];

export async function collectSsm(client: SSMClient, instances: readonly CollectedInstance[], errors: CollectionError[]): Promise<SsmSection> {
  const ssm: SsmSection = { InstanceInformationList: [], Entities: [] };
  const allIds = [...new Set(instances.map((i) => i.instanceId))].sort();
  const redisIds = [...new Set(instances.filter((i) => i.role === 'redis').map((i) => i.instanceId))].sort();

  for (const batch of chunk(allIds, SSM_INSTANCE_INFORMATION_PAGE_SIZE)) {
    const pageSize = SSM_INSTANCE_INFORMATION_PAGE_SIZE;
    await collectPages(errors, 'ssm', 'DescribeInstanceInformation', paginateDescribeInstanceInformation({ client, pageSize }, { Filters: [{ Key: 'InstanceIds', Values: batch }], MaxResults: pageSize }), (page) => page.InstanceInformationList, ssm.InstanceInformationList as never[]);
  }

  const entities = new Map<string, InventoryEntity>();
  const inventory = async (typeName: string, ids: string[]) => {
    for (const batch of chunk(ids, SSM_INVENTORY_FILTER_VALUES_PER_CALL)) {
      const pageSize = SSM_INVENTORY_PAGE_SIZE;
      const received: InventoryEntity[] = [];
      await collectPages(
        errors,
        'ssm',
        'GetInventory',
        paginateGetInventory({ client, pageSize }, { Filters: [{ Key: INVENTORY_INSTANCE_ID_KEY, Values: batch, Type: 'Equal' }], ResultAttributes: [{ TypeName: typeName }], MaxResults: pageSize }),
        (page) => page.Entities as InventoryResultEntity[] | undefined,
        received as never[],
      );
      for (const entity of received) mergeEntity(entities, entity);
    }
  };
  await inventory(APPLICATION_INVENTORY_TYPE, allIds);
  await inventory(REDIS_SERVER_INVENTORY_TYPE, redisIds);
  ssm.Entities = [...entities.values()];
  return ssm;
}

/** One entity per instance: the Data of each type's call merged under its type name. */
function mergeEntity(entities: Map<string, InventoryEntity>, entity: InventoryEntity): void {
  if (!entity.Id) return;
  const existing = entities.get(entity.Id);
  if (!existing) {
    entities.set(entity.Id, { ...entity, Data: { ...(entity.Data ?? {}) } });
    return;
  }
  existing.Data = { ...(existing.Data ?? {}), ...(entity.Data ?? {}) };
}
