/**
 * The security groups the captured instances use, and the groups those reference (one level: what
 * reachability needs to resolve a rule that names a group).
 *
 * The groups of the instances' VPCs are read first by `vpc-id` filter at 1,000 a page: one listing
 * brings the attached groups and the groups they reference in the same VPCs, where asking by id
 * takes ceil(attached / 200) calls and then a second round for the referenced ones. Reading stops as
 * soon as every wanted group is in, or when the VPCs turn out to hold many groups the capture does
 * not want (listing-or-batches.ts). Groups still missing (not reached, or in another VPC: peered or
 * shared) are asked for by `group-id`, 200 a call, and once more for the groups those reference.
 *
 * Only the wanted groups are kept, so the snapshot holds the same groups whichever way they came.
 */
import { paginateDescribeSecurityGroups, type DescribeSecurityGroupsCommandOutput, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import type { CollectionError, SecurityGroup } from '../../core/snapshot/schema';
import { EC2_FILTER_VALUES_PER_CALL, EC2_PAGE_SIZE } from './api-limits';
import { chunk } from './chunk';
import { collectPages } from './collect-pages';
import { keepPaging, pagesWhile } from './listing-or-batches';
import { toJsonSafe } from './to-json-safe';

const PAGE_SIZE = EC2_PAGE_SIZE.DescribeSecurityGroups;

type GroupShape = Pick<SecurityGroup, 'GroupId' | 'IpPermissions' | 'IpPermissionsEgress'>;

function referencedBy(group: GroupShape): string[] {
  return [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])].flatMap((p) => (p.UserIdGroupPairs ?? []).map((pair) => pair.GroupId)).filter((g): g is string => !!g);
}

export async function collectSecurityGroups(client: EC2Client, attachedIds: readonly string[], vpcIds: readonly string[], errors: CollectionError[], into: SecurityGroup[]): Promise<void> {
  if (attachedIds.length === 0) return;
  const attached = new Set(attachedIds);
  /** Every group read, by id (the listing brings groups before the ones that reference them). */
  const seen = new Map<string, SecurityGroup>();
  const wanted = () => {
    const ids = new Set(attached);
    for (const id of attached) {
      const group = seen.get(id);
      if (group) for (const ref of referencedBy(group)) ids.add(ref);
    }
    return ids;
  };
  const remember = (groups: SecurityGroup[]) => {
    for (const group of groups) if (group.GroupId && !seen.has(group.GroupId)) seen.set(group.GroupId, group);
  };
  const describe = async (filters: Filter[], keepGoing?: (page: DescribeSecurityGroupsCommandOutput) => boolean) => {
    const pages = paginateDescribeSecurityGroups({ client, pageSize: PAGE_SIZE }, { Filters: filters, MaxResults: PAGE_SIZE });
    const received: SecurityGroup[] = [];
    const result = await collectPages(errors, 'ec2', 'DescribeSecurityGroups', keepGoing ? pagesWhile(pages, keepGoing) : pages, (page) => page.SecurityGroups, received as never[]);
    remember(received);
    return result.complete;
  };

  // 1. The VPCs' groups, while that looks cheaper than asking by id.
  let pagesRead = 0;
  let listingGoesOn = true;
  for (const batch of chunk([...vpcIds], EC2_FILTER_VALUES_PER_CALL)) {
    if (!listingGoesOn) break;
    const complete = await describe([{ Name: 'vpc-id', Values: batch }], (page) => {
      pagesRead++;
      remember(toJsonSafe(page.SecurityGroups ?? []) as SecurityGroup[]);
      const ids = wanted();
      const missing = [...ids].filter((id) => !seen.has(id));
      // By id, a missing attached group costs a second round for the groups it references.
      const secondRound = missing.some((id) => attached.has(id)) ? 1 : 0;
      listingGoesOn = keepPaging({ pagesRead, wantedTotal: ids.size, wantedFound: ids.size - missing.length, batchedCallsForRest: Math.ceil(missing.length / EC2_FILTER_VALUES_PER_CALL) + secondRound });
      return listingGoesOn;
    });
    // A failed listing is recorded; asking again by id would meet the same failure (AccessDenied).
    if (!complete) return keep(into);
  }

  // 2. By id: groups still missing, then (one more round) what newly found attached groups reference.
  const requested = new Set<string>();
  for (let round = 0; round < 2; round++) {
    const missing = [...wanted()].filter((id) => !seen.has(id) && !requested.has(id)).sort();
    if (missing.length === 0) break;
    for (const id of missing) requested.add(id);
    for (const batch of chunk(missing, EC2_FILTER_VALUES_PER_CALL)) await describe([{ Name: 'group-id', Values: batch }]);
  }

  keep(into);

  /** The wanted groups read, in id order. */
  function keep(out: SecurityGroup[]): void {
    for (const id of [...wanted()].sort()) {
      const group = seen.get(id);
      if (group) out.push(group);
    }
  }
}
