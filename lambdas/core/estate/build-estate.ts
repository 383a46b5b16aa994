/** Builds the indexed EstateTarget from one snapshot target in a single pass over each list. */
import type { ScanConfig, TagConventions } from '../config';
import { isProductionValue } from '../config';
import type { NotEvaluatedInstance } from '../model';
import type { Instance, NetworkAcl, NetworkInterface, RouteTable, SnapshotTarget, Tag, Volume } from '../snapshot/schema';
import type { EstateTarget, RedisCluster, RedisServer, Server } from './estate';
import { groupDisplayName, groupKey } from './group-key';
import { sameRecord, DuplicateRecordError } from '../snapshot/duplicate-records';
import { tagValue } from './tags';

const JUDGED_STATES = new Set(['pending', 'running']);
export const UNTAGGED_ENVIRONMENT = '(untagged)';

export interface BuiltEstate {
  target: EstateTarget;
  notEvaluated: NotEvaluatedInstance[];
}

export interface BuildEstateOptions {
  /** False turns every shared-verdict cache off (EstateTarget.shareVerdicts); default true. */
  shareVerdicts?: boolean;
}

/**
 * The grouping key of a Redis server's cluster: its cluster tag, or else its environment tag
 * (UNTAGGED_ENVIRONMENT when that is missing or blank), normalised by groupKey. Used for the
 * judged servers and for any instance met elsewhere (an interface in a Redis subnet), so both agree.
 */
export function clusterKeyOf(clusterTag: string | undefined, environmentTag: string | undefined): string {
  return groupKey(clusterNameOf(clusterTag, environmentTag));
}

/** The display name of that cluster (groupDisplayName of the same tag value). */
export function clusterNameOf(clusterTag: string | undefined, environmentTag: string | undefined): string {
  if (clusterTag !== undefined && clusterTag.trim() !== '') return groupDisplayName(clusterTag);
  if (environmentTag === undefined || environmentTag.trim() === '') return UNTAGGED_ENVIRONMENT;
  return groupDisplayName(environmentTag);
}

/** The smaller of two strings in a fixed order (code units), so a chosen display name does not depend on list order. */
function firstInOrder(a: string, b: string): string {
  return b < a ? b : a;
}

/** A map of `items` by `keyOf` (the last item of a key wins, as `new Map(pairs)`), without a pair array per item. */
function indexBy<K, V>(items: readonly V[], keyOf: (item: V) => K): Map<K, V> {
  const map = new Map<K, V>();
  for (const item of items) map.set(keyOf(item), item);
  return map;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The tags buildEstate reads, found in one pass (first tag of each key, as tagValue). */
interface ServerTags {
  role: string | undefined;
  environment: string | undefined;
  name: string | undefined;
  cluster: string | undefined;
}

function serverTags(list: ReadonlyArray<Tag> | undefined, tags: TagConventions): ServerTags {
  const found: ServerTags = { role: undefined, environment: undefined, name: undefined, cluster: undefined };
  for (const tag of list ?? []) {
    const value = tag.Value ?? '';
    if (tag.Key === tags.roleKey && found.role === undefined) found.role = value;
    if (tag.Key === tags.environmentKey && found.environment === undefined) found.environment = value;
    if (tag.Key === 'Name' && found.name === undefined) found.name = value;
    if (tag.Key === tags.clusterKey && found.cluster === undefined) found.cluster = value;
  }
  return found;
}

interface EnvironmentValue {
  /** As found, or UNTAGGED_ENVIRONMENT. */
  value: string;
  /** Trimmed and lower case; '' when untagged. */
  key: string;
  tagMissing: boolean;
  /** Whether the value is a production value (a missing tag is decided by role). */
  production: boolean;
}

/** Each distinct environment tag value read once: estates have a handful of values across all servers. */
class EnvironmentValues {
  private readonly byValue = new Map<string, EnvironmentValue>();
  private readonly untagged: EnvironmentValue = { value: UNTAGGED_ENVIRONMENT, key: '', tagMissing: true, production: false };

  constructor(private readonly tags: TagConventions) {}

  of(tagValue: string | undefined): EnvironmentValue {
    if (tagValue === undefined) return this.untagged;
    let known = this.byValue.get(tagValue);
    if (!known) {
      const tagMissing = tagValue.trim() === '';
      known = tagMissing ? this.untagged : { value: tagValue, key: groupKey(tagValue), tagMissing, production: isProductionValue(tagValue, this.tags) };
      this.byValue.set(tagValue, known);
    }
    return known;
  }
}

export function buildEstate(snapshotTarget: SnapshotTarget, config: ScanConfig, options: BuildEstateOptions = {}): BuiltEstate {
  const { accountId, region, ec2, ssm } = snapshotTarget;
  const tags = config.tags;
  const notEvaluated: NotEvaluatedInstance[] = [];
  const instancesById = new Map<string, Instance>();
  const redisServers: RedisServer[] = [];
  const frontends: Server[] = [];
  const frontendInstanceIds = new Set<string>();

  const environments = new EnvironmentValues(tags);
  for (let r = 0; r < ec2.Reservations.length; r++) {
    const instances = ec2.Reservations[r]!.Instances ?? [];
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[i]!;
      // A record met twice (a merged or re-paged capture) is one instance; two different records
      // of one id cannot both be true (validateSnapshot rejects them before evaluation).
      const seen = instancesById.get(instance.InstanceId);
      if (seen) {
        if (!sameRecord(seen, instance)) throw new DuplicateRecordError(`ec2.Reservations[${r}].Instances[${i}]`, `instance ${instance.InstanceId} is recorded twice with different contents`);
        continue;
      }
      instancesById.set(instance.InstanceId, instance);
      const found = serverTags(instance.Tags, tags);
      const role = found.role === tags.redisRole ? 'redis' : found.role === tags.frontendRole ? 'frontend' : undefined;
      if (!role) continue;
      if (role === 'frontend') frontendInstanceIds.add(instance.InstanceId);
      const state = instance.State?.Name ?? 'unknown';
      if (!JUDGED_STATES.has(state)) {
        notEvaluated.push({ accountId, region, instanceId: instance.InstanceId, role, state, reason: `instance is ${state}: only pending or running instances are judged` });
        continue;
      }
      const environment = environments.of(found.environment);
      const production = environment.tagMissing ? role === 'redis' : environment.production;
      if (role === 'redis') {
        redisServers.push({
          role: 'redis',
          instance,
          instanceId: instance.InstanceId,
          name: found.name,
          accountId,
          region,
          environment: environment.value,
          environmentKey: environment.key,
          environmentTagMissing: environment.tagMissing,
          production,
          cluster: clusterNameOf(found.cluster, found.environment),
          clusterKey: clusterKeyOf(found.cluster, found.environment),
        });
      } else {
        frontends.push({
          role,
          instance,
          instanceId: instance.InstanceId,
          name: found.name,
          accountId,
          region,
          environment: environment.value,
          environmentKey: environment.key,
          environmentTagMissing: environment.tagMissing,
          production,
        });
      }
    }
  }

  const clustersByKey = new Map<string, RedisCluster>();
  for (const server of redisServers) {
    let cluster = clustersByKey.get(server.clusterKey);
    if (!cluster) {
      cluster = { id: '', name: server.cluster, key: server.clusterKey, accountId, region, environment: server.environment, production: server.production, servers: [] };
      clustersByKey.set(server.clusterKey, cluster);
    } else {
      // Members may spell the name and environment differently ("LIVE", "Live"): one fixed choice.
      cluster.name = firstInOrder(cluster.name, server.cluster);
      cluster.environment = firstInOrder(cluster.environment, server.environment);
    }
    cluster.servers.push(server);
    // A cluster is judged by the strictest environment among its members.
    if (server.production) cluster.production = true;
  }
  for (const cluster of clustersByKey.values()) {
    // Keyed by the normalised value, so the id stays the same whichever member's spelling names it.
    cluster.id = `${accountId}/${region}/${cluster.key}`;
    for (const server of cluster.servers) server.cluster = cluster.name;
  }

  const frontendsByEnvironment = new Map<string, Server[]>();
  for (const frontend of frontends) pushTo(frontendsByEnvironment, frontend.environmentKey, frontend);

  const subnets = new Map(ec2.Subnets.map((s) => [s.SubnetId, s] as const));
  const redisSubnetIds = new Set<string>();
  for (const subnet of ec2.Subnets) if (tagValue(subnet.Tags, tags.roleKey) === tags.redisRole) redisSubnetIds.add(subnet.SubnetId);
  for (const server of redisServers) if (server.instance.SubnetId) redisSubnetIds.add(server.instance.SubnetId);

  const routeTables = new Map<string, RouteTable>();
  const routeTableBySubnet = new Map<string, RouteTable>();
  const mainRouteTableByVpc = new Map<string, RouteTable>();
  for (const table of ec2.RouteTables) {
    routeTables.set(table.RouteTableId, table);
    for (const association of table.Associations ?? []) {
      const state = association.AssociationState?.State;
      if (state && state !== 'associated') continue;
      if (association.SubnetId) routeTableBySubnet.set(association.SubnetId, table);
      if (association.Main && table.VpcId) mainRouteTableByVpc.set(table.VpcId, table);
    }
  }

  const networkAcls = new Map<string, NetworkAcl>();
  const networkAclBySubnet = new Map<string, NetworkAcl>();
  for (const acl of ec2.NetworkAcls) {
    networkAcls.set(acl.NetworkAclId, acl);
    for (const association of acl.Associations ?? []) if (association.SubnetId) networkAclBySubnet.set(association.SubnetId, acl);
  }

  const volumesByInstance = new Map<string, Volume[]>();
  for (const volume of ec2.Volumes) {
    for (const attachment of volume.Attachments ?? []) {
      if (!attachment.InstanceId || attachment.State === 'detached' || attachment.State === 'detaching') continue;
      // A volume met twice counts once (an instance has a few volumes: the check is a short scan).
      const list = volumesByInstance.get(attachment.InstanceId);
      if (!list) volumesByInstance.set(attachment.InstanceId, [volume]);
      else if (!list.some((v) => v.VolumeId === volume.VolumeId)) list.push(volume);
    }
  }

  const networkInterfacesBySubnet = new Map<string, NetworkInterface[]>();
  const interfaceIds = new Set<string>();
  for (const eni of ec2.NetworkInterfaces) {
    if (interfaceIds.has(eni.NetworkInterfaceId)) continue;
    interfaceIds.add(eni.NetworkInterfaceId);
    if (eni.SubnetId) pushTo(networkInterfacesBySubnet, eni.SubnetId, eni);
  }

  const errors = snapshotTarget.errors;
  const target: EstateTarget = {
    accountId,
    region,
    config,
    shareVerdicts: options.shareVerdicts ?? true,
    errors,
    redisServers,
    frontends,
    frontendInstanceIds,
    clusters: [...clustersByKey.values()],
    instancesById,
    instanceTypes: new Map(ec2.InstanceTypes.map((t) => [t.InstanceType, t] as const)),
    subnets,
    redisSubnetIds,
    securityGroups: new Map(ec2.SecurityGroups.map((g) => [g.GroupId, g] as const)),
    prefixLists: new Map((snapshotTarget.managedPrefixLists ?? []).map((l) => [l.PrefixListId, l.Entries.map((e) => e.Cidr).filter((c): c is string => !!c)] as const)),
    routeTables,
    networkAcls,
    volumesByInstance,
    networkInterfacesBySubnet,
    frontendsByEnvironment,
    ssmInformation: indexBy(ssm.InstanceInformationList, (i) => i.InstanceId),
    inventory: indexBy(ssm.Entities, (e) => e.Id),
    cloudwatch: snapshotTarget.cloudwatch,
    inspector: snapshotTarget.inspector,
    routeTableForSubnet(subnetId) {
      const explicit = routeTableBySubnet.get(subnetId);
      if (explicit) return explicit;
      const vpcId = subnets.get(subnetId)?.VpcId;
      return vpcId ? mainRouteTableByVpc.get(vpcId) : undefined;
    },
    networkAclForSubnet(subnetId) {
      return networkAclBySubnet.get(subnetId);
    },
    errorFor(...operations) {
      return errors.find((e) => operations.includes(`${e.service}:${e.operation}`) || operations.includes(e.operation));
    },
  };
  return { target, notEvaluated };
}
