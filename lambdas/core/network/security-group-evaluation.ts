/**
 * Security-group evaluation for one TCP flow. Groups are stateful allow-lists: a flow is allowed
 * when the union of the rules of every group on the interface covers it (return traffic is
 * implied). A rule matches the peer by CIDR (IpRanges / Ipv6Ranges), or by group reference
 * (UserIdGroupPairs: the peer's interface carries that group), or by a managed prefix list whose
 * entries were read (judged like CIDR ranges). A prefix list whose entries were not read cannot be
 * judged: when only it could allow a flow, the answer is 'unknown', never 'allow'.
 */
import type { IpPermission, SecurityGroup } from '../snapshot/schema';
import { cidrContainsIp, parseCidrCached, type IpAddress } from './cidr';
import { describeTcp, intersection, subtract, type PortRange } from './port-range';
import { coversTcp, tcpPortsOf } from './protocol';

export type SecurityGroupDirection = 'ingress' | 'egress';
export type RuleVerdict = 'allow' | 'deny' | 'unknown';

/** The other end of the flow: its address and the groups its interface carries. */
export interface TrafficPeer {
  ip: IpAddress;
  groupIds: ReadonlySet<string>;
  /** How to name the peer in a sentence, e.g. "10.0.2.21" or "subnet-x (10.0.2.0/24)". */
  label: string;
}

export interface SecurityGroupDecision {
  verdict: RuleVerdict;
  /** A sentence naming the group(s) and rule that decided. */
  detail: string;
}

function groupLabel(group: SecurityGroup): string {
  return group.GroupName && group.GroupName !== group.GroupId ? `${group.GroupId} (${group.GroupName})` : group.GroupId;
}

/** What in `permission` matches the peer: a sentence fragment, 'prefix-list' when only a prefix list might, or undefined. */
function matchPeer(permission: IpPermission, peer: TrafficPeer, prefixLists: ReadonlyMap<string, readonly string[]>): { match: string } | { unknown: string } | undefined {
  for (const pair of permission.UserIdGroupPairs ?? []) {
    if (pair.GroupId && peer.groupIds.has(pair.GroupId)) return { match: `group ${pair.GroupId}` };
  }
  const ranges = peer.ip.family === 4 ? (permission.IpRanges ?? []).map((r) => r.CidrIp) : (permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6);
  const malformed: string[] = [];
  for (const text of ranges) {
    if (!text) continue;
    const cidr = parseCidrCached(text);
    if (!cidr) malformed.push(text);
    else if (cidrContainsIp(cidr, peer.ip)) return { match: text };
  }
  const unread: string[] = [];
  for (const id of (permission.PrefixListIds ?? []).map((p) => p.PrefixListId).filter((x): x is string => !!x)) {
    const entries = prefixLists.get(id);
    if (!entries) {
      unread.push(id);
      continue;
    }
    for (const text of entries) {
      const cidr = parseCidrCached(text);
      if (!cidr) malformed.push(`${text} (in ${id})`);
      else if (cidr.family === peer.ip.family && cidrContainsIp(cidr, peer.ip)) return { match: `prefix list ${id} (${text})` };
    }
  }
  if (unread.length > 0) return { unknown: `prefix list ${unread.join(', ')} (its entries were not read)` };
  if (malformed.length > 0) return { unknown: `unreadable CIDR ${malformed.join(', ')}` };
  return undefined;
}

export function evaluateSecurityGroups(groups: readonly SecurityGroup[], direction: SecurityGroupDirection, peer: TrafficPeer, ports: PortRange, prefixLists: ReadonlyMap<string, readonly string[]> = new Map()): SecurityGroupDecision {
  const toFrom = direction === 'ingress' ? 'from' : 'to';
  const inOut = direction === 'ingress' ? 'inbound' : 'outbound';
  let remaining: PortRange[] = [ports];
  const allowedBy: string[] = [];
  const undecidable: string[] = [];
  for (const group of groups) {
    const permissions = direction === 'ingress' ? group.IpPermissions : group.IpPermissionsEgress;
    for (const permission of permissions ?? []) {
      if (!coversTcp(permission.IpProtocol)) continue;
      const opened = tcpPortsOf(permission.IpProtocol, permission.FromPort, permission.ToPort);
      if (intersection(remaining, opened).length === 0) continue;
      const match = matchPeer(permission, peer, prefixLists);
      if (!match) continue;
      if ('unknown' in match) {
        undecidable.push(`${groupLabel(group)} ${inOut} rule for ${describeTcp(opened)} ${toFrom} ${match.unknown}`);
        continue;
      }
      remaining = subtract(remaining, opened);
      allowedBy.push(`${groupLabel(group)} allows ${describeTcp(opened)} ${toFrom} ${match.match}`);
      if (remaining.length === 0) {
        return { verdict: 'allow', detail: `${allowedBy.join('; ')}.` };
      }
    }
  }
  const flow = `${describeTcp(ports)} ${toFrom} ${peer.label}${peer.groupIds.size > 0 ? ` (groups ${[...peer.groupIds].join(', ')})` : ''}`;
  const names = groups.map(groupLabel).join(', ') || '(none)';
  if (undecidable.length > 0) {
    return { verdict: 'unknown', detail: `No ${inOut} rule of security group ${names} provably allows ${flow}; it depends on ${undecidable.join('; ')}.` };
  }
  return { verdict: 'deny', detail: `No ${inOut} rule of security group ${names} allows ${flow}.` };
}
