/**
 * The network identity of a server as the traffic analysis needs it: the primary network
 * interface's subnet, its IPv4 primary private address and IPv6 address, and the security groups
 * on that interface. Resolved once per instance.
 */
import type { Instance, InstanceNetworkInterface } from '../snapshot/schema';
import { parseIp, type IpAddress } from './cidr';

export interface NetworkEndpoint {
  instanceId: string;
  subnetId: string | undefined;
  vpcId: string | undefined;
  ipv4: IpAddress | undefined;
  ipv6: IpAddress | undefined;
  /** Groups of the primary interface (the instance's SecurityGroups when the interface lists none). */
  groupIds: ReadonlySet<string>;
  /**
   * The group ids joined in interface order: equal lists, equal keys. Not sorted: the order is
   * the order the security-group evaluation reads the groups in and the findings list them in, so
   * endpoints whose groups differ only in order may not share a verdict.
   */
  groupKey: string;
}

/** The interface at device index 0 on network card 0, else the first one listed. */
export function primaryInterface(instance: Instance): InstanceNetworkInterface | undefined {
  const interfaces = instance.NetworkInterfaces ?? [];
  return (
    interfaces.find((eni) => eni.Attachment?.DeviceIndex === 0 && (eni.Attachment.NetworkCardIndex ?? 0) === 0) ??
    interfaces[0]
  );
}

export function resolveEndpoint(instance: Instance): NetworkEndpoint {
  const eni = primaryInterface(instance);
  const ipv4Text = instance.PrivateIpAddress ?? eni?.PrivateIpAddress ?? eni?.PrivateIpAddresses?.find((a) => a.Primary)?.PrivateIpAddress;
  const ipv6Addresses = eni?.Ipv6Addresses ?? [];
  const ipv6Text = ipv6Addresses.find((a) => a.IsPrimaryIpv6)?.Ipv6Address ?? ipv6Addresses[0]?.Ipv6Address ?? instance.Ipv6Address;
  // The ids in order, each once, and their comma-joined key, in one pass (an endpoint is resolved per server and rule that asks).
  const groupIds = new Set<string>();
  let groupKey = '';
  for (const group of eni?.Groups?.length ? eni.Groups : (instance.SecurityGroups ?? [])) {
    const id = group.GroupId;
    if (!id || groupIds.has(id)) continue;
    groupKey = groupIds.size === 0 ? id : `${groupKey},${id}`;
    groupIds.add(id);
  }
  return {
    instanceId: instance.InstanceId,
    subnetId: eni?.SubnetId ?? instance.SubnetId,
    vpcId: eni?.VpcId ?? instance.VpcId,
    ipv4: ipv4Text ? parseIp(ipv4Text) : undefined,
    ipv6: ipv6Text ? parseIp(ipv6Text) : undefined,
    groupIds,
    groupKey,
  };
}
