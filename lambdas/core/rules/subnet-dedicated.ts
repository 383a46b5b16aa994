/**
 * subnet.dedicated: a subnet holding production Redis servers holds nothing else. Every network
 * interface in it must be attached to a Redis server of the same cluster (stopped members count).
 */
import { clusterKeyOf, clusterNameOf } from '../estate/build-estate';
import type { EstateTarget } from '../estate/estate';
import { tagValue } from '../estate/tags';
import { ec2Error } from '../network/missing-evidence';
import { instancesInSubnet, listIds, redisServersInSubnet, usageScope } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { NetworkInterface } from '../snapshot/schema';
import { describeError, resourceFinding, type RuleDefinition, type Verdict } from './rule';

/** The Redis cluster (key and name) of an instance; undefined when it is not a Redis server. */
function redisClusterOf(target: EstateTarget, instanceId: string): { key: string; name: string } | undefined {
  const instance = target.instancesById.get(instanceId);
  if (!instance) return undefined;
  const tags = target.config.tags;
  if (tagValue(instance.Tags, tags.roleKey) !== tags.redisRole) return undefined;
  const clusterTag = tagValue(instance.Tags, tags.clusterKey);
  const environment = tagValue(instance.Tags, tags.environmentKey);
  return { key: clusterKeyOf(clusterTag, environment), name: clusterNameOf(clusterTag, environment) };
}

function describeInterface(target: EstateTarget, eni: NetworkInterface): string {
  const parts: string[] = [];
  const instanceId = eni.Attachment?.InstanceId;
  if (instanceId) {
    const instance = target.instancesById.get(instanceId);
    const name = instance ? tagValue(instance.Tags, 'Name') : undefined;
    const role = instance ? tagValue(instance.Tags, target.config.tags.roleKey) : undefined;
    parts.push(instance ? `attached to ${instanceId}${name ? ` (${name})` : ''}${role ? `, role ${role}` : ', no role tag'}` : `attached to ${instanceId}, which is not among this account's instances`);
  } else {
    parts.push(eni.Status === 'available' ? 'not attached (available)' : 'not attached to an instance');
  }
  if (eni.InterfaceType && eni.InterfaceType !== 'interface') parts.push(`type ${eni.InterfaceType}`);
  if (eni.RequesterManaged && eni.RequesterId) parts.push(`managed by ${eni.RequesterId}`);
  if (eni.Description) parts.push(`"${eni.Description}"`);
  return `${eni.NetworkInterfaceId} (${parts.join(', ')})`;
}

export const subnetDedicatedRule: RuleDefinition = {
  id: 'subnet.dedicated',
  resourceType: 'AWS::EC2::Subnet',
  title: 'Production Redis cluster has its subnet to itself',
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    return [...target.redisSubnetIds].map((subnetId) => {
      const subnet = target.subnets.get(subnetId);
      const servers = redisServersInSubnet(target, subnetId);
      const scope = usageScope(servers);
      const finding = (verdict: Verdict) =>
        resourceFinding(subnetDedicatedRule, { resourceType: 'AWS::EC2::Subnet', resourceId: subnetId, resourceName: subnet ? tagValue(subnet.Tags, 'Name') : undefined, accountId: target.accountId, region: target.region, ...scope }, verdict);
      const production = servers.filter((redisServer) => redisServer.production);
      const required = 'Every network interface in the subnet belongs to a Redis server of the one cluster that lives there.';
      if (production.length === 0) {
        return finding({
          status: 'NOT_APPLICABLE',
          severity: 'info',
          observed: servers.length === 0 ? `No running Redis server is in subnet ${subnetId}.` : `Subnet ${subnetId} holds only non-production Redis servers (${listIds(servers.map((redisServer) => redisServer.instanceId))}); a dedicated subnet is asked of production clusters.`,
          required,
          remediation: 'None needed.',
        });
      }
      const eniError = ec2Error(target, 'DescribeNetworkInterfaces');
      const interfaces = target.networkInterfacesBySubnet.get(subnetId) ?? [];
      const instancesError = ec2Error(target, 'DescribeInstances');
      const clusters = new Map(production.map((redisServer) => [redisServer.clusterKey, redisServer.cluster] as const));
      const foreign: NetworkInterface[] = [];
      const unresolved: NetworkInterface[] = [];
      const otherClusters = new Map<string, { name: string; ids: string[] }>();
      const addOther = (cluster: { key: string; name: string }, instanceId: string) => {
        const entry = otherClusters.get(cluster.key);
        if (!entry) otherClusters.set(cluster.key, { name: cluster.name, ids: [instanceId] });
        else if (!entry.ids.includes(instanceId)) entry.ids.push(instanceId);
      };
      const seenInstances = eniError ? new Set<string>() : undefined;
      for (const eni of interfaces) {
        const instanceId = eni.Attachment?.InstanceId;
        if (instanceId) seenInstances?.add(instanceId);
        if (instanceId && instancesError && !target.instancesById.has(instanceId)) {
          unresolved.push(eni);
          continue;
        }
        const cluster = instanceId ? redisClusterOf(target, instanceId) : undefined;
        if (cluster === undefined) foreign.push(eni);
        else if (!clusters.has(cluster.key)) addOther(cluster, instanceId!);
      }
      // When the interface listing failed, the instances on record in the subnet are evidence too.
      const foreignInstances: string[] = [];
      for (const instanceId of seenInstances ? instancesInSubnet(target, subnetId) : []) {
        if (seenInstances!.has(instanceId)) continue;
        // A terminated instance stays listed for a short while with the records it had, but holds no
        // address in the subnet any more (EC2 User Guide, "Terminate Amazon EC2 instances",
        // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html, and "How
        // instance termination works": its IP addresses are lost, its resources gradually disassociated).
        if (target.instancesById.get(instanceId)?.State?.Name === 'terminated') continue;
        const cluster = redisClusterOf(target, instanceId);
        if (cluster === undefined) foreignInstances.push(instanceId);
        else if (!clusters.has(cluster.key)) addOther(cluster, instanceId);
      }
      const problems: string[] = [];
      const clusterNames = [...clusters.values()].sort();
      if (clusters.size > 1) problems.push(`production Redis clusters ${clusterNames.join(' and ')} share the subnet`);
      for (const { name, ids } of [...otherClusters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) problems.push(`Redis server(s) ${listIds(ids)} of another cluster (${name}) are in it`);
      if (foreign.length > 0) problems.push(`${foreign.length} network interface(s) belong to something other than a Redis server: ${foreign.slice(0, 20).map((e) => describeInterface(target, e)).join('; ')}${foreign.length > 20 ? `; and ${foreign.length - 20} more` : ''}`);
      if (foreignInstances.length > 0) problems.push(`instance(s) ${listIds(foreignInstances)} that are not Redis servers run in it`);
      if (problems.length > 0) {
        return finding({
          status: 'FAIL',
          severity: 'medium',
          observed: `Subnet ${subnetId} is not dedicated to Redis cluster ${clusterNames.join(', ')}: ${problems.join('; ')}.${eniError ? ` (Its interface listing is incomplete: ${describeError(eniError)}; what is on record already decides.)` : ''}`,
          required,
          remediation: `Move the other workloads (and any other cluster) out of subnet ${subnetId} into their own subnets, delete unused interfaces, and keep VPC endpoints, NAT gateways and Lambda functions in other subnets.`,
        });
      }
      if (eniError) {
        return finding({ status: 'UNKNOWN', severity: 'medium', observed: `The network interfaces of subnet ${subnetId} cannot be listed: ${describeError(eniError)}.`, required, remediation: 'Make sure the collector can call ec2:DescribeNetworkInterfaces and scan again.' });
      }
      if (interfaces.length === 0) {
        return finding({ status: 'UNKNOWN', severity: 'medium', observed: `No network interface of subnet ${subnetId} is in the snapshot, although Redis server(s) ${listIds(servers.map((redisServer) => redisServer.instanceId))} run there; the capture looks incomplete.`, required, remediation: 'Capture ec2:DescribeNetworkInterfaces for the subnet and scan again.' });
      }
      if (unresolved.length > 0) {
        return finding({ status: 'UNKNOWN', severity: 'medium', observed: `Interface(s) ${listIds(unresolved.map((e) => e.NetworkInterfaceId))} are attached to instances the snapshot lacks (${describeError(instancesError!)}), so their role is unknown.`, required, remediation: 'Make sure the collector can call ec2:DescribeInstances and scan again.' });
      }
      return finding({
        status: 'PASS',
        severity: 'medium',
        observed: `All ${interfaces.length} network interface(s) in subnet ${subnetId} belong to Redis servers of cluster ${clusterNames[0]}.`,
        required,
        remediation: `None needed. Keep other workloads, endpoints and gateways out of subnet ${subnetId}.`,
      });
    });
  },
};
