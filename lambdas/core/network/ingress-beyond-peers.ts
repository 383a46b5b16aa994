/**
 * Which ingress rules of a Redis server's security groups admit, on given TCP ports, sources other
 * than its peers: the OutSystems front-ends (any environment's, in any state: they run the
 * application and are judged by their own environment's rules; a stopped one is a front-end again
 * when it starts) and the members of its cluster. Read with the
 * reachability engine's own readers of rule protocols, port ranges and CIDRs (protocol.ts,
 * port-range.ts, cidr.ts). A source counts as a peer only when it cannot hold anything else:
 *  - a CIDR that is exactly one peer's address (/32, /128); any wider block can hold other hosts;
 *  - a group of this account attached only to peers (instances and network interfaces on record);
 * another account's group and a prefix list (entries not collected) are beyond the peers.
 * Pure.
 */
import type { EstateTarget, RedisServer, Server } from '../estate/estate';
import type { Instance } from '../snapshot/schema';
import { parseCidr } from './cidr';
import { rangesIntersect, singlePort } from './port-range';
import { coversTcp, tcpPortsOf } from './protocol';

export interface IngressBeyondPeers {
  /** `10.0.0.0/16 on sg-1 (port 7000)`: each rule source that admits more than the peers. */
  beyond: string[];
  /** Groups of the server not in the snapshot (their rules are unknown). */
  unknownGroups: string[];
}

export function ingressBeyondPeers(target: EstateTarget, server: RedisServer, ports: readonly number[]): IngressBeyondPeers {
  const peers: Server[] = [...target.frontends, ...target.redisServers.filter((s) => s.clusterKey === server.clusterKey)];
  const peerIds = new Set([...target.frontendInstanceIds, ...peers.map((p) => p.instanceId)]);
  const peerAddresses = new Set(peers.flatMap((p) => addressesOf(p.instance)));
  const beyond: string[] = [];
  const unknownGroups: string[] = [];
  for (const groupId of groupsOf(server.instance)) {
    const group = target.securityGroups.get(groupId);
    if (!group) {
      unknownGroups.push(groupId);
      continue;
    }
    for (const permission of group.IpPermissions ?? []) {
      if (!coversTcp(permission.IpProtocol)) continue;
      const range = tcpPortsOf(permission.IpProtocol, permission.FromPort, permission.ToPort);
      const open = ports.filter((port) => rangesIntersect(range, singlePort(port)));
      if (open.length === 0) continue;
      const where = `on ${groupId} (port ${open.join(', ')})`;
      for (const block of [...(permission.IpRanges ?? []).map((r) => r.CidrIp), ...(permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)]) {
        if (block === undefined) continue;
        const cidr = parseCidr(block);
        const host = cidr && cidr.prefix === (cidr.family === 4 ? 32 : 128);
        if (!host || !peerAddresses.has(block.replace(/\/(32|128)$/, ''))) beyond.push(`${block} ${where}`);
      }
      for (const list of permission.PrefixListIds ?? []) beyond.push(`prefix list ${list.PrefixListId ?? '(unnamed)'} ${where}`);
      for (const pair of permission.UserIdGroupPairs ?? []) {
        if (pair.UserId !== undefined && pair.UserId !== target.accountId) {
          beyond.push(`group ${pair.GroupId ?? '(unnamed)'} of account ${pair.UserId} ${where}`);
          continue;
        }
        if (pair.GroupId === undefined) continue;
        const others = holdersOf(target, pair.GroupId).filter((holder) => !peerIds.has(holder));
        if (others.length > 0) beyond.push(`${pair.GroupId} ${where}, also attached to ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`);
      }
    }
  }
  return { beyond, unknownGroups };
}

function groupsOf(instance: Instance): string[] {
  const ids = new Set<string>();
  for (const g of instance.SecurityGroups ?? []) if (g.GroupId) ids.add(g.GroupId);
  for (const eni of instance.NetworkInterfaces ?? []) for (const g of eni.Groups ?? []) if (g.GroupId) ids.add(g.GroupId);
  return [...ids];
}

function addressesOf(instance: Instance): string[] {
  const out: string[] = [];
  if (instance.PrivateIpAddress) out.push(instance.PrivateIpAddress);
  for (const eni of instance.NetworkInterfaces ?? []) {
    for (const a of eni.PrivateIpAddresses ?? []) if (a.PrivateIpAddress) out.push(a.PrivateIpAddress);
    for (const a of eni.Ipv6Addresses ?? []) if (a.Ipv6Address) out.push(a.Ipv6Address);
  }
  return out;
}

const holdersByTarget = new WeakMap<EstateTarget, Map<string, string[]>>();

/** Instances (by id) and other network interfaces (by interface id) that carry the group. */
function holdersOf(target: EstateTarget, groupId: string): string[] {
  let byGroup = holdersByTarget.get(target);
  if (!byGroup) holdersByTarget.set(target, (byGroup = new Map()));
  let holders = byGroup.get(groupId);
  if (!holders) byGroup.set(groupId, (holders = findHolders(target, groupId)));
  return holders;
}

function findHolders(target: EstateTarget, groupId: string): string[] {
  const holders = new Set<string>();
  for (const [id, instance] of target.instancesById) if (groupsOf(instance).includes(groupId)) holders.add(id);
  for (const enis of target.networkInterfacesBySubnet.values()) {
    for (const eni of enis) {
      if (!(eni.Groups ?? []).some((g) => g.GroupId === groupId)) continue;
      const owner = eni.Attachment?.InstanceId;
      if (owner === undefined) holders.add(eni.NetworkInterfaceId ?? '(a network interface)');
      else holders.add(owner);
    }
  }
  return [...holders];
}
