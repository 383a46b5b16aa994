/** Builds the indexed EstateTarget from one snapshot target in a single pass over each list. */
import type { ScanConfig } from '../config';
import { isProductionValue } from '../config';
import type { NotEvaluatedInstance } from '../model';
import type { Instance, NetworkAcl, NetworkInterface, RouteTable, SnapshotTarget, Volume } from '../snapshot/schema';
import type { EstateTarget, RedisCluster, RedisServer, Server } from './estate';
import { tagValue } from './tags';

const JUDGED_STATES = new Set(['pending', 'running']);
export const UNTAGGED_ENVIRONMENT = '(untagged)';

export interface BuiltEstate {
  target: EstateTarget;
  notEvaluated: NotEvaluatedInstance[];
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildEstate(snapshotTarget: SnapshotTarget, config: ScanConfig): BuiltEstate {
  const { accountId, region, ec2, ssm } = snapshotTarget;
  const tags = config.tags;
  const notEvaluated: NotEvaluatedInstance[] = [];
  const instancesById = new Map<string, Instance>();
  const redisServers: RedisServer[] = [];
  const frontends: Server[] = [];

  for (const reservation of ec2.Reservations) {
    for (const instance of reservation.Instances ?? []) {
      instancesById.set(instance.InstanceId, instance);
      const roleValue = tagValue(instance.Tags, tags.roleKey);
      const role = roleValue === tags.redisRole ? 'redis' : roleValue === tags.frontendRole ? 'frontend' : undefined;
      if (!role) continue;
      const state = instance.State?.Name ?? 'unknown';
      if (!JUDGED_STATES.has(state)) {
        notEvaluated.push({ accountId, region, instanceId: instance.InstanceId, role, state, reason: `instance is ${state}: only pending or running instances are judged` });
        continue;
      }
      const envValue = tagValue(instance.Tags, tags.environmentKey);
      const environmentTagMissing = envValue === undefined || envValue.trim() === '';
      const environment = environmentTagMissing ? UNTAGGED_ENVIRONMENT : envValue!;
      const environmentKey = environmentTagMissing ? '' : envValue!.trim().toLowerCase();
      const base: Server = {
        role,
        instance,
        instanceId: instance.InstanceId,
        name: tagValue(instance.Tags, 'Name'),
        accountId,
        region,
        environment,
        environmentKey,
        environmentTagMissing,
        production: environmentTagMissing ? role === 'redis' : isProductionValue(envValue!, tags),
      };
      if (role === 'redis') {
        const clusterTag = tagValue(instance.Tags, tags.clusterKey)?.trim();
        redisServers.push({ ...base, role: 'redis', cluster: clusterTag || environment });
      } else {
        frontends.push(base);
      }
    }
  }

  const clustersByName = new Map<string, RedisCluster>();
  for (const server of redisServers) {
    let cluster = clustersByName.get(server.cluster);
    if (!cluster) {
      cluster = { id: `${accountId}/${region}/${server.cluster}`, name: server.cluster, accountId, region, environment: server.environment, production: server.production, servers: [] };
      clustersByName.set(server.cluster, cluster);
    }
    cluster.servers.push(server);
    // A cluster is judged by the strictest environment among its members.
    if (server.production) cluster.production = true;
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
      if (attachment.InstanceId && attachment.State !== 'detached' && attachment.State !== 'detaching') pushTo(volumesByInstance, attachment.InstanceId, volume);
    }
  }

  const networkInterfacesBySubnet = new Map<string, NetworkInterface[]>();
  for (const eni of ec2.NetworkInterfaces) if (eni.SubnetId) pushTo(networkInterfacesBySubnet, eni.SubnetId, eni);

  const errors = snapshotTarget.errors;
  const target: EstateTarget = {
    accountId,
    region,
    config,
    errors,
    redisServers,
    frontends,
    clusters: [...clustersByName.values()],
    instancesById,
    instanceTypes: new Map(ec2.InstanceTypes.map((t) => [t.InstanceType, t] as const)),
    subnets,
    redisSubnetIds,
    securityGroups: new Map(ec2.SecurityGroups.map((g) => [g.GroupId, g] as const)),
    routeTables,
    networkAcls,
    volumesByInstance,
    networkInterfacesBySubnet,
    frontendsByEnvironment,
    ssmInformation: new Map(ssm.InstanceInformationList.map((i) => [i.InstanceId, i] as const)),
    inventory: new Map(ssm.Entities.map((e) => [e.Id, e] as const)),
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
