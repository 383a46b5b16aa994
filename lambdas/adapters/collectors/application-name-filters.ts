/**
 * The AWS:Application rows the rules read, as ListInventoryEntries filters, and how to tell that an
 * answer holds what the rules look for.
 *
 * - Redis servers: names beginning with `redis` (covers `redis-server`, `redis`, `redis6`, `redis7`,
 *   `redis-stack-server`; also brings `redis-tools` and the like, which the rules skip) and `Redis`
 *   (the Windows entries `Redis`, `Redis Server`, `Redis on Windows`).
 * - Front-ends: names beginning with `OutSystems` (the Platform Server entry and other OutSystems
 *   products, which the rules skip).
 *
 * Neither the filter key for an AWS:Application attribute nor whether BeginWith compares case is
 * documented for ListInventoryEntries (docs/collectors.md, "Application filters"). So the values list
 * the case variants the rules accept (a case-insensitive service returns the same rows), the key is
 * the `<TypeName>.<Attribute>` form every documented inventory filter key uses, and the collector
 * reads the instance's rows unfiltered when a filtered answer is refused or holds no row the rules
 * recognise.
 */
import type { InventoryFilter } from '@aws-sdk/client-ssm';
import { isRedisServerPackageName } from '../../core/versions/redis-packages';
import { isPlatformServerRow } from '../../core/versions/platform-server-package';
import type { InventoryTypeData } from './inventory-entries';

export const APPLICATION_INVENTORY_TYPE = 'AWS:Application';
export const APPLICATION_NAME_FILTER_KEY = `${APPLICATION_INVENTORY_TYPE}.Name`;

export interface ApplicationNameFilter {
  /** What the rows are for, in error and doc text. */
  purpose: string;
  filters: InventoryFilter[];
  /** True when the rows hold one the rules judge (so no unfiltered read is needed). */
  recognised(rows: ReadonlyArray<Record<string, string>>): boolean;
}

export const REDIS_PACKAGE_FILTER: ApplicationNameFilter = {
  purpose: 'Redis server packages',
  filters: [{ Key: APPLICATION_NAME_FILTER_KEY, Type: 'BeginWith', Values: ['redis', 'Redis', 'REDIS'] }],
  recognised: (rows) => rows.some((row) => isRedisServerPackageName(row['Name'] ?? '')),
};

export const PLATFORM_SERVER_FILTER: ApplicationNameFilter = {
  purpose: 'OutSystems Platform Server',
  filters: [{ Key: APPLICATION_NAME_FILTER_KEY, Type: 'BeginWith', Values: ['OutSystems', 'Outsystems', 'OUTSYSTEMS', 'outsystems'] }],
  recognised: (rows) => rows.some(isPlatformServerRow),
};

/** Whether a filtered answer can stand for the instance's rows: no inventory at all, or a row the rules recognise. */
export function answersForTheRules(filter: ApplicationNameFilter, data: InventoryTypeData | undefined): boolean {
  return data === undefined || filter.recognised(data.Content ?? []);
}
