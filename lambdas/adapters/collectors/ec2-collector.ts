/**
 * EC2 collector: finds the Redis servers and OutSystems front-ends by server-side tag filters, then
 * describes only what they reference. Every list call is paginated at its largest page size, and id
 * lists are sent as filters in batches of the most values a filter may carry (see api-limits.ts).
 * Filters (not `GroupIds`/`SubnetIds` parameters) are used on purpose: an unknown id in a filter
 * matches nothing instead of failing the whole request. Security groups and Redis volumes are read
 * from the wider listing (the VPCs' groups, the region's volumes) while that costs fewer calls than
 * id batches (listing-or-batches.ts).
 */
import {
  paginateDescribeInstances,
  paginateDescribeInstanceTypes,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  type _InstanceType,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { TagConventions } from '../../core/config';
import { tagValue } from '../../core/estate/tags';
import type { CollectionError, Instance, ManagedPrefixList, SnapshotTarget } from '../../core/snapshot/schema';
import { collectPrefixListEntries, referencedPrefixLists } from './prefix-list-collection';
import { EC2_FILTER_VALUES_PER_CALL, EC2_PAGE_SIZE, INSTANCE_TYPES_PER_CALL } from './api-limits';
import { chunk } from './chunk';
import { collectPages } from './collect-pages';
import { collectSecurityGroups } from './security-group-collection';
import { collectRedisVolumes } from './volume-collection';

/** States the scan reads: everything but shutting-down and terminated. */
export const COLLECTED_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;

export type Ec2Section = SnapshotTarget['ec2'];

export interface CollectedInstance {
  instanceId: string;
  role: 'redis' | 'frontend';
}

export interface Ec2Collection {
  ec2: Ec2Section;
  instances: CollectedInstance[];
  /** Entries of the prefix lists the groups and route tables name (absent when none names one). */
  managedPrefixLists?: ManagedPrefixList[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export async function collectEc2(client: EC2Client, tags: TagConventions, errors: CollectionError[]): Promise<Ec2Collection> {
  const ec2: Ec2Section = { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] };
  const describe = async <Page, Item>(operation: keyof typeof EC2_PAGE_SIZE, pages: (pageSize: number) => AsyncIterable<Page>, itemsOf: (page: Page) => readonly Item[] | undefined, into: unknown[]) =>
    collectPages(errors, 'ec2', operation, pages(EC2_PAGE_SIZE[operation]), itemsOf, into as never[]);
  /** One filtered, paginated describe per batch of filter values. */
  const describeByFilter = async <Page, Item>(operation: keyof typeof EC2_PAGE_SIZE, filterName: string, values: string[], pages: (filters: Filter[], pageSize: number) => AsyncIterable<Page>, itemsOf: (page: Page) => readonly Item[] | undefined, into: unknown[]) => {
    for (const batch of chunk(values, EC2_FILTER_VALUES_PER_CALL)) {
      await describe(operation, (pageSize) => pages([{ Name: filterName, Values: batch }], pageSize), itemsOf, into);
    }
  };

  // 1. The tagged instances.
  await describe(
    'DescribeInstances',
    (pageSize) =>
      paginateDescribeInstances(
        { client, pageSize },
        {
          Filters: [
            { Name: `tag:${tags.roleKey}`, Values: [tags.redisRole, tags.frontendRole] },
            { Name: 'instance-state-name', Values: [...COLLECTED_INSTANCE_STATES] },
          ],
          MaxResults: pageSize,
        },
      ),
    (page) => page.Reservations,
    ec2.Reservations,
  );
  const all: Instance[] = ec2.Reservations.flatMap((r) => r.Instances ?? []);
  const instances: CollectedInstance[] = [];
  for (const instance of all) {
    const role = tagValue(instance.Tags, tags.roleKey);
    if (role === tags.redisRole) instances.push({ instanceId: instance.InstanceId, role: 'redis' });
    else if (role === tags.frontendRole) instances.push({ instanceId: instance.InstanceId, role: 'frontend' });
  }
  const redisIds = new Set(instances.filter((i) => i.role === 'redis').map((i) => i.instanceId));
  const redisInstances = all.filter((i) => redisIds.has(i.InstanceId));

  // 2. Instance types seen (up to 100 names a call).
  const types = sorted(all.map((i) => i.InstanceType).filter((t): t is string => !!t));
  for (const batch of chunk(types, INSTANCE_TYPES_PER_CALL)) {
    await describe('DescribeInstanceTypes', (pageSize) => paginateDescribeInstanceTypes({ client, pageSize }, { InstanceTypes: batch as _InstanceType[], MaxResults: pageSize }), (page) => page.InstanceTypes, ec2.InstanceTypes);
  }

  // 3. Subnets, route tables and network ACLs of every VPC the instances are in: by VPC, so one
  //    call each brings the instances' subnets, the subnets tagged for Redis beside them and the
  //    main route table. (A Redis-tagged subnet in a VPC with no Redis server or front-end hosts
  //    nothing the requirements speak of, and is not looked for.)
  const vpcs = sorted(all.flatMap((i) => [i.VpcId, ...(i.NetworkInterfaces ?? []).map((n) => n.VpcId)]).filter((v): v is string => !!v));
  await describeByFilter('DescribeSubnets', 'vpc-id', vpcs, (Filters, pageSize) => paginateDescribeSubnets({ client, pageSize }, { Filters, MaxResults: pageSize }), (page) => page.Subnets, ec2.Subnets);
  await describeByFilter('DescribeRouteTables', 'vpc-id', vpcs, (Filters, pageSize) => paginateDescribeRouteTables({ client, pageSize }, { Filters, MaxResults: pageSize }), (page) => page.RouteTables, ec2.RouteTables);
  await describeByFilter('DescribeNetworkAcls', 'vpc-id', vpcs, (Filters, pageSize) => paginateDescribeNetworkAcls({ client, pageSize }, { Filters, MaxResults: pageSize }), (page) => page.NetworkAcls, ec2.NetworkAcls);

  // 4. Security groups attached and those they reference (security-group-collection.ts).
  const attached = sorted(all.flatMap((i) => [...(i.SecurityGroups ?? []), ...(i.NetworkInterfaces ?? []).flatMap((n) => n.Groups ?? [])].map((g) => g.GroupId)).filter((g): g is string => !!g));
  await collectSecurityGroups(client, attached, vpcs, errors, ec2.SecurityGroups);

  // 5. Volumes of the Redis servers (disk size is a Redis server requirement only; volume-collection.ts).
  await collectRedisVolumes(client, redisInstances, errors, ec2.Volumes);

  // 6. Network interfaces in Redis subnets (tagged, or hosting a Redis server): who else lives there.
  const redisSubnets = sorted([...ec2.Subnets.filter((s) => tagValue(s.Tags, tags.roleKey) === tags.redisRole).map((s) => s.SubnetId), ...redisInstances.map((i) => i.SubnetId).filter((s): s is string => !!s)]);
  await describeByFilter('DescribeNetworkInterfaces', 'subnet-id', redisSubnets, (Filters, pageSize) => paginateDescribeNetworkInterfaces({ client, pageSize }, { Filters, MaxResults: pageSize }), (page) => page.NetworkInterfaces, ec2.NetworkInterfaces);

  // 7. Entries of the managed prefix lists those groups and route tables name (prefix-list-collection.ts).
  const prefixListIds = referencedPrefixLists(ec2.SecurityGroups, ec2.RouteTables);
  if (prefixListIds.length === 0) return { ec2, instances };
  return { ec2, instances, managedPrefixLists: await collectPrefixListEntries(client, prefixListIds, errors) };
}
