/**
 * SSM collector: instance information in batches, inventory rows per instance.
 *
 * - DescribeInstanceInformation: `InstanceIds` filter, 50 ids a call (= its largest page).
 * - ListInventoryEntries, one instance and one type a call (the only SSM read that returns the rows
 *   of AWS:Application or a custom type: GetInventory accepts only AWS:InstanceInformation and
 *   AWS:PatchSummary as result types, docs/collectors.md), for the SSM-managed instances only:
 *   - each Redis server: Custom:RedisServer (what the running server reports); Custom:RedisClusterNode
 *     when a row shows a cluster-enabled process (the cluster's own view); Custom:RedisAclUser when a
 *     row counts ACL users (acl_users); then AWS:Application
 *     filtered to Redis package names ONLY when no Custom:RedisServer row gives a redis_version
 *     (the redis.version rule judges the running version when there is one; the package would only
 *     add a note when it differs, see docs/collectors.md for that trade-off);
 *   - each front-end: AWS:Application filtered to OutSystems names.
 *   A filtered answer that is refused, or that has inventory but no row the rules recognise, is
 *   replaced by the instance's unfiltered rows. The calls run through a pool whose limit follows SSM's
 *   throttling (adaptive-concurrency.ts); a call still throttled after the SDK's attempts is made again,
 *   and at a deadline the reads not started are returned as a cursor (inventory-cursor.ts).
 * - A failed call records one error per operation for the target (application-name-filters.ts,
 *   per-instance-failures.ts); the instance's rows of that type are absent, so rules say UNKNOWN.
 *
 * `Entities` keep GetInventory's entity shape `{ Id, Data: { <TypeName>: { TypeName, SchemaVersion,
 * CaptureTime, Content } } }` (the snapshot format is unchanged), assembled from ListInventoryEntries
 * answers: `Entries` of every page become `Content` (inventory-entries.ts). Rows are kept as returned.
 */
import { paginateDescribeInstanceInformation, type SSMClient } from '@aws-sdk/client-ssm';
import type { CollectionError, InventoryEntity, SnapshotTarget } from '../../core/snapshot/schema';
import { AdaptiveConcurrency } from './adaptive-concurrency';
import { retryThrottled, runAdaptively } from './adaptive-pool';
import { SSM_INSTANCE_INFORMATION_PAGE_SIZE, SSM_INVENTORY_CONCURRENCY } from './api-limits';
import { APPLICATION_INVENTORY_TYPE, PLATFORM_SERVER_FILTER, REDIS_PACKAGE_FILTER, answersForTheRules, type ApplicationNameFilter } from './application-name-filters';
import { DeadlineReached, NO_DEADLINE, type CaptureDeadline } from './capture-deadline';
import { chunk } from './chunk';
import { collectPages } from './collect-pages';
import type { CollectedInstance } from './ec2-collector';
import type { InventoryCursor, PendingInventoryRead } from './inventory-cursor';
import { isAccessDenial, isFilterRejection, readInventoryType, type InventoryTypeData } from './inventory-entries';
import { PerInstanceFailures } from './per-instance-failures';

export { APPLICATION_INVENTORY_TYPE } from './application-name-filters';
export const REDIS_SERVER_INVENTORY_TYPE = 'Custom:RedisServer';
/** Written by inventory/redis-probe.sh for cluster-enabled processes (docs/redis-probe.md). */
export const REDIS_CLUSTER_NODE_INVENTORY_TYPE = 'Custom:RedisClusterNode';
/** Written by inventory/redis-probe.sh: one row per (process, ACL user) (docs/redis-probe.md, "Security posture"). */
export const REDIS_ACL_USER_INVENTORY_TYPE = 'Custom:RedisAclUser';
export const LIST_INVENTORY_ENTRIES = 'ListInventoryEntries';

export type SsmSection = SnapshotTarget['ssm'];

export interface SsmCollectionOptions {
  /** The most ListInventoryEntries calls in flight for this target (default SSM_INVENTORY_CONCURRENCY); throttling lowers it for a while. */
  inventoryConcurrency?: number;
}

export interface SsmCollectionRun {
  /** Limits calls in flight by the throttling seen (its middleware must be on `client`); default: a fresh one at inventoryConcurrency. */
  concurrency?: AdaptiveConcurrency;
  /** Stop starting inventory reads once this expires; default never. */
  deadline?: CaptureDeadline;
  /** Continue a capture that stopped at its deadline: its SSM section so far and its cursor (DescribeInstanceInformation is not called again). */
  resume?: { ssm: SsmSection; cursor: InventoryCursor };
}

export interface SsmCollection {
  ssm: SsmSection;
  /** Set when the deadline stopped the inventory reads: what is left to read. */
  cursor?: InventoryCursor;
}

/** The concurrency a target's inventory reads start with and return to. */
export function inventoryConcurrency(options: SsmCollectionOptions): AdaptiveConcurrency {
  const most = options.inventoryConcurrency ?? SSM_INVENTORY_CONCURRENCY;
  // Never below 2 (unless asked for 1): a lone call sleeping in the SDK's throttling backoff would leave the target idle.
  return new AdaptiveConcurrency({ initial: most, max: most, min: Math.min(2, most) });
}

export async function collectSsm(client: SSMClient, instances: readonly CollectedInstance[], errors: CollectionError[], options: SsmCollectionOptions = {}): Promise<SsmSection> {
  return (await collectSsmUntil(client, instances, errors, options)).ssm;
}

/** collectSsm that stops starting inventory reads at a deadline and says where to continue. */
export async function collectSsmUntil(client: SSMClient, instances: readonly CollectedInstance[], errors: CollectionError[], options: SsmCollectionOptions = {}, run: SsmCollectionRun = {}): Promise<SsmCollection> {
  const deadline = run.deadline ?? NO_DEADLINE;
  const concurrency = run.concurrency ?? inventoryConcurrency(options);
  let ssm: SsmSection;
  let reads: PendingInventoryRead[];
  let asked: number;
  const reader = new InventoryReader(client, deadline);
  if (run.resume) {
    ssm = run.resume.ssm;
    reads = run.resume.cursor.pending;
    asked = run.resume.cursor.asked;
    reader.restore(run.resume.cursor.reader);
  } else {
    ssm = { InstanceInformationList: [], Entities: [] };
    const byId = new Map(instances.map((i) => [i.instanceId, i]));
    const allIds = [...byId.keys()].sort();
    let informationComplete = true;
    for (const batch of chunk(allIds, SSM_INSTANCE_INFORMATION_PAGE_SIZE)) {
      const pageSize = SSM_INSTANCE_INFORMATION_PAGE_SIZE;
      const { complete } = await collectPages(errors, 'ssm', 'DescribeInstanceInformation', paginateDescribeInstanceInformation({ client, pageSize }, { Filters: [{ Key: 'InstanceIds', Values: batch }], MaxResults: pageSize }), (page) => page.InstanceInformationList, ssm.InstanceInformationList as never[]);
      informationComplete &&= complete;
    }
    // Inventory exists only on SSM-managed instances. When the managed list could not be read, every
    // instance is asked (the calls say what they can).
    const managed = new Set(ssm.InstanceInformationList.map((i) => i.InstanceId));
    const toRead = informationComplete ? allIds.filter((id) => managed.has(id)) : allIds;
    reads = toRead.map((id) => ({ id, role: byId.get(id)!.role, managed: managed.has(id) }));
    asked = toRead.length;
  }

  const { results, unfinished } = await runAdaptively(reads, concurrency, deadline, async (read): Promise<InventoryEntity | undefined> => {
    const data = read.role === 'redis' ? await reader.redisServer(read.id) : await reader.frontend(read.id);
    // Like GetInventory, an entity for every managed instance (Data empty when it has no inventory).
    return read.managed || Object.keys(data).length > 0 ? { Id: read.id, Data: data } : undefined;
  });
  for (const entity of results) if (entity) ssm.Entities.push(entity);
  // The order of one uninterrupted capture: by instance id (the reads run in that order).
  ssm.Entities.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  if (unfinished.length > 0) return { ssm, cursor: { pending: unfinished.map((i) => reads[i]!), asked, reader: reader.state() } };
  const failure = reader.failures.toError(asked);
  if (failure) errors.push(failure);
  return { ssm };
}

/** Reads one instance's inventory types, remembering for the target whether the name filter works. */
class InventoryReader {
  readonly failures = new PerInstanceFailures('ssm', LIST_INVENTORY_ENTRIES);
  private denied = false;
  /** Set once the service refused the name filter, or it evidently missed rows: read unfiltered from then on. */
  private filterUnusable = false;

  constructor(
    private readonly client: SSMClient,
    private readonly deadline: CaptureDeadline,
  ) {}

  state(): InventoryCursor['reader'] {
    return { denied: this.denied, filterUnusable: this.filterUnusable, failures: this.failures.toState() };
  }

  restore(state: InventoryCursor['reader']): void {
    this.denied ||= state.denied;
    this.filterUnusable ||= state.filterUnusable;
    this.failures.restore(state.failures);
  }

  async redisServer(instanceId: string): Promise<NonNullable<InventoryEntity['Data']>> {
    const data: NonNullable<InventoryEntity['Data']> = {};
    const running = await this.read(instanceId, REDIS_SERVER_INVENTORY_TYPE);
    if (running) data[REDIS_SERVER_INVENTORY_TYPE] = running;
    // The cluster's own view (CLUSTER NODES, one row per node as each process sees it) exists only
    // where the probe found a cluster-enabled process: cluster.failover / cluster.membership read it.
    if (runsClusterEnabledProcess(running)) {
      const nodes = await this.read(instanceId, REDIS_CLUSTER_NODE_INVENTORY_TYPE);
      if (nodes) data[REDIS_CLUSTER_NODE_INVENTORY_TYPE] = nodes;
    }
    // The ACL users exist only where a process reported some (acl_users): the posture rules read them.
    if (reportsAclUsers(running)) {
      const users = await this.read(instanceId, REDIS_ACL_USER_INVENTORY_TYPE);
      if (users) data[REDIS_ACL_USER_INVENTORY_TYPE] = users;
    }
    if (reportsRedisVersion(running)) return data;
    const packages = await this.applications(instanceId, REDIS_PACKAGE_FILTER);
    if (packages) data[APPLICATION_INVENTORY_TYPE] = packages;
    return data;
  }

  async frontend(instanceId: string): Promise<NonNullable<InventoryEntity['Data']>> {
    const applications = await this.applications(instanceId, PLATFORM_SERVER_FILTER);
    return applications ? { [APPLICATION_INVENTORY_TYPE]: applications } : {};
  }

  /** AWS:Application rows: filtered while the filter works, unfiltered when it cannot stand for the rows. */
  private async applications(instanceId: string, filter: ApplicationNameFilter): Promise<InventoryTypeData | undefined> {
    if (!this.filterUnusable && !this.denied) {
      try {
        const filtered = await this.call(instanceId, APPLICATION_INVENTORY_TYPE, filter);
        if (answersForTheRules(filter, filtered)) return filtered;
      } catch (error) {
        if (error instanceof DeadlineReached) throw error;
        if (!isFilterRejection(error)) return this.fail(instanceId, APPLICATION_INVENTORY_TYPE, error);
        this.filterUnusable = true;
      }
      const all = await this.read(instanceId, APPLICATION_INVENTORY_TYPE);
      // The unfiltered rows hold what the filter should have brought: it does not match as assumed.
      if (all && filter.recognised(all.Content ?? [])) this.filterUnusable = true;
      return all;
    }
    return this.read(instanceId, APPLICATION_INVENTORY_TYPE);
  }

  private async read(instanceId: string, typeName: string): Promise<InventoryTypeData | undefined> {
    if (this.denied) {
      this.failures.skip(instanceId);
      return undefined;
    }
    try {
      return await this.call(instanceId, typeName);
    } catch (error) {
      if (error instanceof DeadlineReached) throw error;
      return this.fail(instanceId, typeName, error);
    }
  }

  /** One type's rows; a call still throttled after the SDK's retries is retried here, not lost. */
  private call(instanceId: string, typeName: string, filter?: ApplicationNameFilter): Promise<InventoryTypeData | undefined> {
    return retryThrottled(() => readInventoryType(this.client, instanceId, typeName, filter?.filters), this.deadline);
  }

  private fail(instanceId: string, typeName: string, error: unknown): undefined {
    this.failures.record(instanceId, typeName, error);
    if (isAccessDenial(error)) this.denied = true;
    return undefined;
  }
}

/** A Custom:RedisServer row of a cluster-enabled process (the probe then writes Custom:RedisClusterNode rows). */
export function runsClusterEnabledProcess(data: InventoryTypeData | undefined): boolean {
  return (data?.Content ?? []).some((row) => row['cluster_enabled'] === '1' || (row['redis_mode'] ?? '').trim().toLowerCase() === 'cluster');
}

/** A Custom:RedisServer row that counts ACL users (the probe then writes Custom:RedisAclUser rows). */
export function reportsAclUsers(data: InventoryTypeData | undefined): boolean {
  return (data?.Content ?? []).some((row) => /^[1-9]\d*$/.test((row['acl_users'] ?? '').trim()));
}

/** Mirrors redis.version: a Custom:RedisServer row with a non-empty redis_version is the running server's version. */
function reportsRedisVersion(data: InventoryTypeData | undefined): boolean {
  return (data?.Content ?? []).some((row) => (row['redis_version'] ?? '').trim() !== '');
}
