/**
 * The API-call lower bound for one region, computed from the estate the fake holds:
 *   ceil(N/1000) DescribeInstances + ceil(T/100) DescribeInstanceTypes
 *   + ceil(n/50) for each SSM batch call (DescribeInstanceInformation and GetInventory AWS:Application
 *     over the N instances; GetInventory Custom:RedisServer over the R Redis servers)
 *   + one page per other resource kind at full page size, where volumes (looked up by instance id,
 *     at most 200 filter values a call) count as a batch call: ceil(R/200).
 * The budget is lowerBound * 1.1 + 5. STS calls are not part of a region's budget.
 */
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';

export function apiCallLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): number {
  const instances = estate.ec2.Reservations.flatMap((r) => r.Instances ?? []);
  const n = instances.length;
  const redis = instances.filter((i) => i.Tags?.some((t) => t.Key === roleKey && t.Value === redisRole));
  const r = redis.length;
  const t = new Set(instances.map((i) => i.InstanceType)).size;
  const vpcs = new Set(instances.map((i) => i.VpcId));
  const redisSubnets = new Set([...estate.ec2.Subnets.filter((s) => vpcs.has(s.VpcId) && s.Tags?.some((x) => x.Key === roleKey && x.Value === redisRole)).map((s) => s.SubnetId), ...redis.map((i) => i.SubnetId)]);
  const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
  const attachedGroups = new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId)));
  return (
    pages(n, 1000) +
    pages(t, 100) +
    pages(n, 50) * 2 +
    (r > 0 ? pages(r, 50) : 0) +
    pages(estate.ec2.Subnets.filter((s) => vpcs.has(s.VpcId)).length, 1000) +
    pages(estate.ec2.RouteTables.filter((x) => vpcs.has(x.VpcId)).length, 100) +
    pages(estate.ec2.NetworkAcls.filter((x) => vpcs.has(x.VpcId)).length, 100) +
    pages(attachedGroups.size, 1000) +
    (r > 0 ? pages(r, 200) : 0) +
    (redisSubnets.size > 0 ? pages(estate.ec2.NetworkInterfaces.filter((x) => redisSubnets.has(x.SubnetId)).length, 1000) : 0)
  );
}

export function apiCallBudget(lowerBound: number): number {
  return lowerBound * 1.1 + 5;
}

export function sumWithoutSts(calls: Record<string, number> | undefined): number {
  return Object.entries(calls ?? {}).filter(([k]) => !k.startsWith('sts:')).reduce((sum, [, v]) => sum + v, 0);
}
