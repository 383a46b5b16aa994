/**
 * The API-call lower bound for one region, computed from the estate the fake holds:
 *   ceil(N/1000) DescribeInstances + ceil(T/100) DescribeInstanceTypes + ceil(N/50) DescribeInstanceInformation
 *   + the ListInventoryEntries calls no collector can avoid (inventoryCallLowerBound below)
 *   + one page per other resource kind at full page size (the Redis servers' volumes included:
 *     ceil(their volumes/1000)).
 *   + the CloudWatch GetMetricData calls (metricCallLowerBound below): ceil(2R/500) for R Redis servers
 *     while each call's answer fits 100,800 data points.
 * The budget is lowerBound * 1.1 + 5. STS calls are not part of a region's budget.
 *
 * No batched read of AWS:Application and Custom:* rows exists: GetInventory returns only
 * AWS:InstanceInformation and AWS:PatchSummary. The only API that returns those rows,
 * ListInventoryEntries, takes one instance and one type a call, so the bound counts those calls.
 */
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { platformServerRows } from '../../../lambdas/core/versions/platform-server-package';
import { redisServerPackages } from '../../../lambdas/core/versions/redis-packages';

const pageCount = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * ListInventoryEntries calls the rules' evidence cannot be had with fewer of, over the SSM-managed
 * instances (inventory exists only there), one page per 50 rows of what is asked:
 *   each Redis server:  Custom:RedisServer (its rows' pages)
 *                       + Custom:RedisClusterNode, when a Custom:RedisServer row is a cluster-enabled process
 *                       + AWS:Application Redis packages, only when no Custom:RedisServer row gives redis_version
 *   each front-end:     AWS:Application OutSystems Platform Server rows
 * Pages beyond the first only when an instance has more than 50 matching rows.
 */
export function inventoryCallLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): number {
  const managed = new Set(estate.ssm.InstanceInformationList.map((i) => i.InstanceId));
  const entity = new Map(estate.ssm.Entities.map((e) => [e.Id, e]));
  let calls = 0;
  for (const instance of estate.ec2.Reservations.flatMap((r) => r.Instances ?? [])) {
    if (!managed.has(instance.InstanceId)) continue;
    const data = entity.get(instance.InstanceId)?.Data ?? {};
    const applications = data['AWS:Application']?.Content ?? [];
    if (instance.Tags?.some((t) => t.Key === roleKey && t.Value === redisRole)) {
      const running = data['Custom:RedisServer']?.Content ?? [];
      calls += pageCount(running.length, 50);
      if (running.some((row) => row['cluster_enabled'] === '1' || (row['redis_mode'] ?? '').trim().toLowerCase() === 'cluster')) calls += pageCount((data['Custom:RedisClusterNode']?.Content ?? []).length, 50);
      if (!running.some((row) => (row['redis_version'] ?? '').trim() !== '')) calls += pageCount(redisServerPackages(applications).length, 50);
    } else {
      calls += pageCount(platformServerRows(applications).length, 50);
    }
  }
  return calls;
}

/**
 * GetMetricData calls for NetworkIn + NetworkOut of every Redis server: 2R queries, at most 500 a
 * call (ceil(2R/500) calls), and a call pages again for every 100,800 data points its answer holds
 * (CloudWatch API reference, GetMetricData). The fake's estates hold few points, so this is
 * ceil(2R/500) for them; 14 days of 5-minute points (4,032 a metric) would need a page per 25 metrics.
 */
export function metricCallLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): number {
  const redisIds = estate.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === roleKey && t.Value === redisRole)).map((i) => i.InstanceId).sort();
  if (redisIds.length === 0) return 0;
  const section = estate.cloudwatch;
  const pointsOf = new Map<string, number>();
  if (section) {
    const results = new Map(section.MetricDataResults.map((r) => [r.Id, r.Values.length] as const));
    for (const q of section.MetricDataQueries) {
      const id = q.MetricStat?.Metric.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
      if (id) pointsOf.set(id, (pointsOf.get(id) ?? 0) + (results.get(q.Id) ?? 0));
    }
  }
  let calls = 0;
  // Two queries a server, 250 servers a call.
  for (let i = 0; i < redisIds.length; i += 250) {
    const points = redisIds.slice(i, i + 250).reduce((n, id) => n + (pointsOf.get(id) ?? 0), 0);
    calls += Math.max(1, Math.ceil(points / 100_800));
  }
  return calls;
}

export function apiCallLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): number {
  const instances = estate.ec2.Reservations.flatMap((r) => r.Instances ?? []);
  const n = instances.length;
  const redis = instances.filter((i) => i.Tags?.some((t) => t.Key === roleKey && t.Value === redisRole));
  const r = redis.length;
  const redisIds = new Set(redis.map((i) => i.InstanceId));
  const t = new Set(instances.map((i) => i.InstanceType)).size;
  const vpcs = new Set(instances.map((i) => i.VpcId));
  const redisSubnets = new Set([...estate.ec2.Subnets.filter((s) => vpcs.has(s.VpcId) && s.Tags?.some((x) => x.Key === roleKey && x.Value === redisRole)).map((s) => s.SubnetId), ...redis.map((i) => i.SubnetId)]);
  const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
  const attachedGroups = new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId)));
  return (
    pages(n, 1000) +
    pages(t, 100) +
    pages(n, 50) +
    inventoryCallLowerBound(estate, roleKey, redisRole) +
    metricCallLowerBound(estate, roleKey, redisRole) +
    inspectorCallLowerBound(estate, roleKey, redisRole) +
    pages(estate.ec2.Subnets.filter((s) => vpcs.has(s.VpcId)).length, 1000) +
    pages(estate.ec2.RouteTables.filter((x) => vpcs.has(x.VpcId)).length, 100) +
    pages(estate.ec2.NetworkAcls.filter((x) => vpcs.has(x.VpcId)).length, 100) +
    pages(attachedGroups.size, 1000) +
    (r > 0 ? pages(estate.ec2.Volumes.filter((v) => (v.Attachments ?? []).some((a) => redisIds.has(a.InstanceId ?? ''))).length, 1000) : 0) +
    (redisSubnets.size > 0 ? pages(estate.ec2.NetworkInterfaces.filter((x) => redisSubnets.has(x.SubnetId)).length, 1000) : 0)
  );
}

/**
 * Inspector ListCoverage + ListFindings for R Redis servers at 10 instance ids a call (the collector's
 * filter size; a larger filter list, if the API takes one, would lower this), one page each.
 */
export function inspectorCallLowerBound(estate: SnapshotTarget, roleKey = 'Role', redisRole = 'redis'): number {
  const r = estate.ec2.Reservations.flatMap((x) => x.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === roleKey && t.Value === redisRole)).length;
  return r > 0 ? 2 * Math.ceil(r / 10) : 0;
}

export function apiCallBudget(lowerBound: number): number {
  return lowerBound * 1.1 + 5;
}

export function sumWithoutSts(calls: Record<string, number> | undefined): number {
  return Object.entries(calls ?? {}).filter(([k]) => !k.startsWith('sts:')).reduce((sum, [, v]) => sum + v, 0);
}
