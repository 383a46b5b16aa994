/**
 * Where the Redis servers sit: by subnet and by security group, indexed once per target, and the
 * environment / production / cluster scope of a shared resource derived from the servers using it.
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { UNTAGGED_ENVIRONMENT } from '../estate/build-estate';

interface Placement {
  bySubnet: Map<string, RedisServer[]>;
  byGroup: Map<string, RedisServer[]>;
}

const placements = new WeakMap<EstateTarget, Placement>();

function pushOnce(map: Map<string, RedisServer[]>, key: string, server: RedisServer): void {
  const list = map.get(key);
  if (!list) map.set(key, [server]);
  else if (list[list.length - 1] !== server) list.push(server);
}

function placementOf(target: EstateTarget): Placement {
  let placement = placements.get(target);
  if (placement) return placement;
  placement = { bySubnet: new Map(), byGroup: new Map() };
  for (const server of target.redisServers) {
    if (server.instance.SubnetId) pushOnce(placement.bySubnet, server.instance.SubnetId, server);
    // pushOnce skips a group this server was already added to (its pushes are consecutive), so a
    // group listed on the instance and again on an interface counts once, in first-seen order.
    for (const group of server.instance.SecurityGroups ?? []) if (group.GroupId) pushOnce(placement.byGroup, group.GroupId, server);
    for (const eni of server.instance.NetworkInterfaces ?? []) for (const group of eni.Groups ?? []) if (group.GroupId) pushOnce(placement.byGroup, group.GroupId, server);
  }
  placements.set(target, placement);
  return placement;
}

const instancesBySubnet = new WeakMap<EstateTarget, Map<string, string[]>>();

/** Every instance on record (any role, any state) in `subnetId`: its own subnet or any of its interfaces'. Indexed once per target. */
export function instancesInSubnet(target: EstateTarget, subnetId: string): readonly string[] {
  let index = instancesBySubnet.get(target);
  if (!index) {
    index = new Map();
    const add = (subnetId: string | undefined, instanceId: string) => {
      if (!subnetId) return;
      const list = index!.get(subnetId);
      if (!list) index!.set(subnetId, [instanceId]);
      else if (list[list.length - 1] !== instanceId) list.push(instanceId);
    };
    for (const [instanceId, instance] of target.instancesById) {
      add(instance.SubnetId, instanceId);
      // An interface in another subnet adds the instance there too (consecutive pushes of one id are skipped).
      for (const eni of instance.NetworkInterfaces ?? []) if (eni.SubnetId !== instance.SubnetId) add(eni.SubnetId, instanceId);
    }
    instancesBySubnet.set(target, index);
  }
  return index.get(subnetId) ?? [];
}

/** The (judged) Redis servers whose instance subnet is `subnetId`. */
export function redisServersInSubnet(target: EstateTarget, subnetId: string): readonly RedisServer[] {
  return placementOf(target).bySubnet.get(subnetId) ?? [];
}

/** Every security group on a Redis server (instance groups and any interface's groups), with its users. */
export function redisServersByGroup(target: EstateTarget): ReadonlyMap<string, RedisServer[]> {
  return placementOf(target).byGroup;
}

export interface UsageScope {
  /** The environment shared by the servers, or their distinct environments joined. */
  environment: string;
  production: boolean;
  /** The cluster when every server belongs to the same one, else null. */
  cluster: string | null;
}

export function usageScope(servers: readonly RedisServer[], fallbackEnvironment: string = UNTAGGED_ENVIRONMENT): UsageScope {
  const environments = [...new Set(servers.map((s) => s.environment))].sort();
  const clusters = new Set(servers.map((s) => s.cluster));
  return {
    environment: environments.length === 0 ? fallbackEnvironment : environments.join(', '),
    production: servers.some((s) => s.production),
    cluster: clusters.size === 1 ? [...clusters][0]! : null,
  };
}

/** "i-1, i-2, i-3 and 4 more" */
export function listIds(ids: readonly string[], max = 10): string {
  if (ids.length <= max) return ids.join(', ');
  return `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}
