/**
 * The API-call lower bound for one region: what a collector that asks for exactly what the rules
 * need, at the largest page size, cannot go below. For EC2 and DescribeInstanceInformation:
 *   ceil(N/1000) DescribeInstances + ceil(T/100) DescribeInstanceTypes + ceil(N/50) DescribeInstanceInformation
 *   + one full page per other resource kind: subnets /1000, route tables /100, network ACLs /100,
 *     security groups (attached and referenced) /1000, Redis volumes /1000, Redis-subnet ENIs /1000.
 * Inventory: a batched formula would count ceil(N/50) GetInventory calls per type, which assumes
 * batched reads of AWS:Application and Custom:* rows. GetInventory refuses those result types (it returns only
 * AWS:InstanceInformation and AWS:PatchSummary); ListInventoryEntries, the one API that returns
 * them, takes one instance and one type a call. So the bound counts, over the SSM-managed
 * instances, one call per instance and type the rules need (inventoryCallLowerBound): R + F, plus
 * one per Redis server whose running version is not reported, plus pages beyond the first only where
 * an instance has more than 50 matching rows.
 * CloudWatch: ceil(2R/500) GetMetricData calls for R Redis servers (NetworkIn and
 * NetworkOut each, 500 queries a call), plus a page per 100,800 data points a call's answer holds
 * (metricCallLowerBound; the synthetic estates hold none, so ceil(2R/500)).
 * Managed prefix lists: one GetManagedPrefixListEntries page per 100 entries of each list a route of
 * these VPCs or a rule of these groups names (none when no list is named).
 * Amazon Inspector: 2 x ceil(R/10) calls (ListCoverage and ListFindings, 10 instance ids a call).
 * (test/support/aws-fakes/api-call-lower-bound.ts is the collectors' test variant: it counts attached
 * groups only.)
 */
import type { SnapshotTarget } from '../lambdas/core/snapshot/schema';
import { inspectorCallLowerBound, inventoryCallLowerBound, metricCallLowerBound } from '../test/support/aws-fakes/api-call-lower-bound';

export interface LowerBound {
  total: number;
  byOperation: Record<string, number>;
  /** What a batched formula would count for inventory: ceil(N/50) GetInventory calls for each of the two types (a read AWS does not offer). */
  batchedInventoryCalls: number;
}

function pages(items: number, size: number): number {
  return Math.max(1, Math.ceil(items / size));
}

export function issueLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): LowerBound {
  const instances = estate.ec2.Reservations.flatMap((r) => r.Instances ?? []);
  const isRedis = (tags: Array<{ Key?: string; Value?: string }> | undefined) => (tags ?? []).some((t) => t.Key === roleKey && t.Value === redisRole);
  const redis = instances.filter((i) => isRedis(i.Tags));
  const redisIds = new Set(redis.map((i) => i.InstanceId));
  const vpcs = new Set(instances.map((i) => i.VpcId));
  const subnets = new Set([...instances.map((i) => i.SubnetId), ...estate.ec2.Subnets.filter((s) => isRedis(s.Tags)).map((s) => s.SubnetId)]);
  const redisSubnets = new Set([...redis.map((i) => i.SubnetId), ...estate.ec2.Subnets.filter((s) => isRedis(s.Tags)).map((s) => s.SubnetId)]);
  const attached = new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId)));
  const groups = new Set(attached);
  for (const group of estate.ec2.SecurityGroups) {
    if (!attached.has(group.GroupId)) continue;
    for (const permission of [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])]) for (const pair of permission.UserIdGroupPairs ?? []) if (pair.GroupId) groups.add(pair.GroupId);
  }
  const byOperation: Record<string, number> = {
    'ec2:DescribeInstances': pages(instances.length, 1000),
    'ec2:DescribeInstanceTypes': pages(new Set(instances.map((i) => i.InstanceType)).size, 100),
    'ec2:DescribeSubnets': pages(subnets.size, 1000),
    'ec2:DescribeRouteTables': pages(estate.ec2.RouteTables.filter((t) => vpcs.has(t.VpcId)).length, 100),
    'ec2:DescribeNetworkAcls': pages(estate.ec2.NetworkAcls.filter((a) => vpcs.has(a.VpcId)).length, 100),
    'ec2:DescribeSecurityGroups': pages(groups.size, 1000),
    'ec2:DescribeVolumes': pages(estate.ec2.Volumes.filter((v) => (v.Attachments ?? []).some((a) => a.InstanceId && redisIds.has(a.InstanceId))).length, 1000),
    'ec2:DescribeNetworkInterfaces': pages(estate.ec2.NetworkInterfaces.filter((n) => redisSubnets.has(n.SubnetId)).length, 1000),
    'ssm:DescribeInstanceInformation': pages(instances.length, 50),
    'ssm:ListInventoryEntries': inventoryCallLowerBound(estate, roleKey, redisRole),
    'cloudwatch:GetMetricData': metricCallLowerBound(estate, roleKey, redisRole),
    // Managed prefix lists named by a route of these VPCs or a rule of these groups: one read each, 100 entries a page.
    'ec2:GetManagedPrefixListEntries': prefixListCalls(estate, vpcs, groups),
    // Amazon Inspector (redis.known-vulnerabilities): ListCoverage and ListFindings, 10 Redis servers a call each.
    'inspector2:ListCoverage': inspectorCallLowerBound(estate, roleKey, redisRole) / 2,
    'inspector2:ListFindings': inspectorCallLowerBound(estate, roleKey, redisRole) / 2,
  };
  return { total: Object.values(byOperation).reduce((s, n) => s + n, 0), byOperation, batchedInventoryCalls: pages(instances.length, 50) * 2 };
}

function prefixListCalls(estate: SnapshotTarget, vpcs: ReadonlySet<string | undefined>, groups: ReadonlySet<string | undefined>): number {
  const named = new Set<string>();
  for (const table of estate.ec2.RouteTables) if (vpcs.has(table.VpcId)) for (const route of table.Routes ?? []) if (route.DestinationPrefixListId) named.add(route.DestinationPrefixListId);
  for (const group of estate.ec2.SecurityGroups) {
    if (!groups.has(group.GroupId)) continue;
    for (const permission of [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])]) for (const list of permission.PrefixListIds ?? []) if (list.PrefixListId) named.add(list.PrefixListId);
  }
  let calls = 0;
  for (const id of named) calls += pages((estate.managedPrefixLists ?? []).find((l) => l.PrefixListId === id)?.Entries.length ?? 0, 100);
  return calls;
}
