/**
 * The entries of every managed prefix list that a collected security group (inbound or outbound
 * rule) or route table names, one paginated GetManagedPrefixListEntries per list (at most 100
 * entries a page: EC2 API reference). A list is kept only when all its pages were read: a partial
 * list could hide the public range that fails a group. A list that cannot be read is recorded in
 * `errors` with its id, and the rules that needed it say UNKNOWN.
 */
import { paginateGetManagedPrefixListEntries, type EC2Client } from '@aws-sdk/client-ec2';
import type { CollectionError, ManagedPrefixList, RouteTable, SecurityGroup } from '../../core/snapshot/schema';
import { EC2_PAGE_SIZE } from './api-limits';
import { collectPages } from './collect-pages';

export const GET_MANAGED_PREFIX_LIST_ENTRIES = 'GetManagedPrefixListEntries';

/** The prefix list ids the groups' rules and the route tables' routes name, sorted. */
export function referencedPrefixLists(groups: readonly SecurityGroup[], routeTables: readonly RouteTable[]): string[] {
  const ids = new Set<string>();
  for (const group of groups) {
    for (const permission of [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])]) {
      for (const list of permission.PrefixListIds ?? []) if (list.PrefixListId) ids.add(list.PrefixListId);
    }
  }
  for (const table of routeTables) for (const route of table.Routes ?? []) if (route.DestinationPrefixListId) ids.add(route.DestinationPrefixListId);
  return [...ids].sort();
}

export async function collectPrefixListEntries(client: EC2Client, prefixListIds: readonly string[], errors: CollectionError[]): Promise<ManagedPrefixList[]> {
  const lists: ManagedPrefixList[] = [];
  for (const PrefixListId of prefixListIds) {
    const failed: CollectionError[] = [];
    const pageSize = EC2_PAGE_SIZE.GetManagedPrefixListEntries;
    const { items, complete } = await collectPages(failed, 'ec2', GET_MANAGED_PREFIX_LIST_ENTRIES, paginateGetManagedPrefixListEntries({ client, pageSize }, { PrefixListId, MaxResults: pageSize }), (page) => page.Entries, []);
    for (const error of failed) errors.push({ ...error, message: `prefix list ${PrefixListId}: ${error.message}` });
    if (complete) lists.push({ PrefixListId, Entries: items.map((e) => ({ ...(e.Cidr !== undefined ? { Cidr: e.Cidr } : {}), ...(e.Description !== undefined ? { Description: e.Description } : {}) })) });
  }
  return lists;
}
