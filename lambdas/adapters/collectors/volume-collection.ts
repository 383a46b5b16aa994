/**
 * The EBS volumes of the Redis servers (disk size is a Redis-server requirement only).
 *
 * Two ways (listing-or-batches.ts decides): by `attachment.instance-id` filter, 200 servers a call,
 * ceil(R / 200) calls; or the region's volumes unfiltered at 1,000 a page, keeping those attached to
 * a Redis server and stopping once every volume the servers' BlockDeviceMappings name is in. With
 * 10,000 Redis servers in an account of their own that is about 16 pages instead of 50 batches. The
 * servers whose volumes the listing did not reach are then asked for by instance id.
 *
 * Either way the result is the same set of volumes: every volume attached to a Redis server. (One
 * difference in a race: a volume attached after DescribeInstances ran, so absent from the
 * BlockDeviceMappings read, is found by the instance-id filter but only by the listing if its page
 * is read. The instance-disk rule compares the mappings with the volumes, so either way it judges
 * the volumes the instance record names.)
 */
import { paginateDescribeVolumes, type EC2Client, type DescribeVolumesCommandOutput } from '@aws-sdk/client-ec2';
import type { CollectionError, Instance, Volume } from '../../core/snapshot/schema';
import { EC2_FILTER_VALUES_PER_CALL, EC2_PAGE_SIZE } from './api-limits';
import { chunk } from './chunk';
import { collectPages } from './collect-pages';
import { keepPaging, pagesWhile, worthListing } from './listing-or-batches';

const PAGE_SIZE = EC2_PAGE_SIZE.DescribeVolumes;

function attachedTo(volume: { Attachments?: Array<{ InstanceId?: string }> }, instanceIds: ReadonlySet<string>): boolean {
  return (volume.Attachments ?? []).some((a) => !!a.InstanceId && instanceIds.has(a.InstanceId));
}

export async function collectRedisVolumes(client: EC2Client, redisInstances: readonly Instance[], errors: CollectionError[], into: Volume[]): Promise<void> {
  const redisIds = new Set(redisInstances.map((i) => i.InstanceId).filter((id): id is string => !!id));
  if (redisIds.size === 0) return;
  /** Volume ids each server's BlockDeviceMappings name. */
  const mapped = new Map<string, string[]>();
  for (const instance of redisInstances) {
    if (!instance.InstanceId) continue;
    mapped.set(instance.InstanceId, (instance.BlockDeviceMappings ?? []).map((m) => m.Ebs?.VolumeId).filter((v): v is string => !!v));
  }
  const wanted = new Set([...mapped.values()].flat());
  const found = new Set<string>();
  const unseenServers = () => [...mapped.entries()].filter(([, volumes]) => volumes.some((v) => !found.has(v))).map(([id]) => id);
  const batchedCalls = (servers: number) => Math.ceil(servers / EC2_FILTER_VALUES_PER_CALL);

  let rest = [...redisIds].sort();
  if (worthListing(wanted.size, PAGE_SIZE, batchedCalls(redisIds.size))) {
    let pagesRead = 0;
    const listed: Volume[] = [];
    const listing = pagesWhile(paginateDescribeVolumes({ client, pageSize: PAGE_SIZE }, { MaxResults: PAGE_SIZE }), (page: DescribeVolumesCommandOutput) => {
      pagesRead++;
      for (const volume of page.Volumes ?? []) if (volume.VolumeId && wanted.has(volume.VolumeId)) found.add(volume.VolumeId);
      return keepPaging({ pagesRead, wantedTotal: wanted.size, wantedFound: found.size, batchedCallsForRest: batchedCalls(unseenServers().length) });
    });
    const { complete } = await collectPages(errors, 'ec2', 'DescribeVolumes', listing, (page) => page.Volumes?.filter((v) => attachedTo(v, redisIds)), listed as never[]);
    into.push(...listed);
    // A failed listing is recorded; asking again by id would meet the same failure.
    if (!complete) return;
    // Servers with no EBS mapping are complete once listed: the filter would find nothing for them.
    rest = unseenServers().sort();
  }
  const have = new Set(into.map((v) => v.VolumeId));
  for (const batch of chunk(rest, EC2_FILTER_VALUES_PER_CALL)) {
    const received: Volume[] = [];
    await collectPages(errors, 'ec2', 'DescribeVolumes', paginateDescribeVolumes({ client, pageSize: PAGE_SIZE }, { Filters: [{ Name: 'attachment.instance-id', Values: batch }], MaxResults: PAGE_SIZE }), (page) => page.Volumes, received as never[]);
    for (const volume of received) {
      if (have.has(volume.VolumeId)) continue;
      have.add(volume.VolumeId);
      into.push(volume);
    }
  }
}
