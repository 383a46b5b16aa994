/**
 * Network ACL evaluation for TCP traffic in one direction. ACLs are stateless: entries of that
 * direction are read in ascending RuleNumber and the first entry that matches a packet decides
 * (so a lower-numbered deny beats a higher allow, and vice versa). A packet no entry matches
 * meets the implicit deny (`*`, rule 32767). A port *range* (e.g. the client's ephemeral ports for
 * return traffic) is allowed only when every port of it is allowed.
 */
import type { NetworkAcl, NetworkAclEntry } from '../snapshot/schema';
import { cidrContainsIp, parseCidrCached, type IpAddress } from './cidr';
import { describeTcpRanges, intersection, subtract, type PortRange } from './port-range';
import { coversTcp, tcpPortsOf } from './protocol';
import type { RuleVerdict } from './security-group-evaluation';

export type AclDirection = 'inbound' | 'outbound';

export interface NetworkAclDecision {
  verdict: RuleVerdict;
  /** The deciding rule number ('*' for the implicit deny), when one decided. */
  ruleNumber?: number | '*';
  detail: string;
}

const DEFAULT_RULE_NUMBER = 32767;
const sortedEntriesCache = new WeakMap<NetworkAcl, { inbound: NetworkAclEntry[]; outbound: NetworkAclEntry[] }>();

function sortedEntries(acl: NetworkAcl, direction: AclDirection): NetworkAclEntry[] {
  let sorted = sortedEntriesCache.get(acl);
  if (!sorted) {
    const byNumber = (a: NetworkAclEntry, b: NetworkAclEntry) => (a.RuleNumber ?? DEFAULT_RULE_NUMBER) - (b.RuleNumber ?? DEFAULT_RULE_NUMBER);
    const entries = acl.Entries ?? [];
    sorted = {
      inbound: entries.filter((e) => e.Egress !== true).sort(byNumber),
      outbound: entries.filter((e) => e.Egress === true).sort(byNumber),
    };
    sortedEntriesCache.set(acl, sorted);
  }
  return sorted[direction];
}

function ruleName(entry: NetworkAclEntry): string {
  const n = entry.RuleNumber ?? DEFAULT_RULE_NUMBER;
  return n >= DEFAULT_RULE_NUMBER ? '*' : String(n);
}

/**
 * @param peerIp the remote address: the source for inbound traffic, the destination for outbound.
 * @param peerLabel how to name that address in the sentence.
 */
export function evaluateNetworkAcl(acl: NetworkAcl, direction: AclDirection, peerIp: IpAddress, ports: PortRange, peerLabel: string = peerIp.text): NetworkAclDecision {
  const toFrom = direction === 'inbound' ? 'from' : 'to';
  const where = `network ACL ${acl.NetworkAclId} ${direction}`;
  let remaining: PortRange[] = [ports];
  const allowedBy: string[] = [];
  for (const entry of sortedEntries(acl, direction)) {
    if (!coversTcp(entry.Protocol)) continue;
    const cidrText = peerIp.family === 4 ? entry.CidrBlock : entry.Ipv6CidrBlock;
    if (!cidrText) continue;
    const opened = tcpPortsOf(entry.Protocol, entry.PortRange?.From, entry.PortRange?.To);
    const hit = intersection(remaining, opened);
    if (hit.length === 0) continue;
    const cidr = parseCidrCached(cidrText);
    if (!cidr) {
      return { verdict: 'unknown', detail: `${where} rule ${ruleName(entry)} has an unreadable CIDR "${cidrText}", so ${describeTcpRanges(hit)} ${toFrom} ${peerLabel} cannot be judged.` };
    }
    if (!cidrContainsIp(cidr, peerIp)) continue;
    const action = (entry.RuleAction ?? '').toLowerCase();
    if (action !== 'allow') {
      const n = entry.RuleNumber ?? DEFAULT_RULE_NUMBER;
      return {
        verdict: 'deny',
        ruleNumber: n >= DEFAULT_RULE_NUMBER ? '*' : n,
        detail: `${where} rule ${ruleName(entry)} (${action || 'no action'} ${cidrText}) denies ${describeTcpRanges(hit)} ${toFrom} ${peerLabel}${allowedBy.length ? ` before any allow covers it` : ''}.`,
      };
    }
    allowedBy.push(ruleName(entry));
    remaining = subtract(remaining, opened);
    if (remaining.length === 0) {
      const n = entry.RuleNumber ?? DEFAULT_RULE_NUMBER;
      return { verdict: 'allow', ruleNumber: n, detail: `${where} rule${allowedBy.length > 1 ? 's' : ''} ${allowedBy.join(', ')} allow${allowedBy.length > 1 ? '' : 's'} ${toFrom} ${peerLabel}.` };
    }
  }
  return { verdict: 'deny', ruleNumber: '*', detail: `${where} rule * (implicit deny) blocks ${describeTcpRanges(remaining)} ${toFrom} ${peerLabel}: no entry allows it.` };
}
