/**
 * Whether one front-end can open a TCP connection to one Redis server port, hop by hop:
 * the front-end's security-group egress, its subnet's network ACL outbound, its route to the
 * server, the server subnet's ACL inbound, the server's security-group ingress, then the return
 * path (server ACL outbound and route back to the client's ephemeral ports, client ACL inbound).
 * Security groups are stateful (return traffic is implied); ACLs are not. Within one subnet
 * neither ACLs nor route tables apply. Between VPCs only peering is followed: a route to a transit
 * gateway or any other target leads where the snapshot cannot see, so the answer is 'unknown'.
 *
 * Every hop is evaluated; the verdict is 'blocked' if any hop blocks (even if another is unknown),
 * 'unknown' if any hop cannot be judged, else 'reachable'.
 */
import type { EstateTarget } from '../estate/estate';
import type { NetworkAcl, RouteTable, SecurityGroup } from '../snapshot/schema';
import type { IpAddress } from './cidr';
import type { NetworkEndpoint } from './endpoint';
import { ec2Error, notInSnapshot } from './missing-evidence';
import { evaluateNetworkAcl, type AclDirection } from './network-acl-evaluation';
import { describeTcp, singlePort, type PortRange } from './port-range';
import { describeRoute, lookupRoute } from './route-lookup';
import { evaluateSecurityGroups, type SecurityGroupDirection } from './security-group-evaluation';
import { describeError } from '../rules/rule';

export type ReachabilityVerdict = 'reachable' | 'blocked' | 'unknown';

/** Hops in path order. */
export const REACHABILITY_HOPS = [
  'source-address',
  'destination-address',
  'source-security-group-egress',
  'source-network-acl-outbound',
  'source-route',
  'destination-network-acl-inbound',
  'destination-security-group-ingress',
  'destination-network-acl-outbound-return',
  'destination-route-return',
  'source-network-acl-inbound-return',
] as const;
export type ReachabilityHop = (typeof REACHABILITY_HOPS)[number];

/** Each hop in words, for findings. */
export const HOP_NAMES: Record<ReachabilityHop, string> = {
  'source-address': "the front-end's address",
  'destination-address': "the Redis server's address",
  'source-security-group-egress': "the front-end's security groups (outbound)",
  'source-network-acl-outbound': "the front-end subnet's network ACL (outbound)",
  'source-route': "the front-end subnet's route table",
  'destination-network-acl-inbound': "the Redis subnet's network ACL (inbound)",
  'destination-security-group-ingress': "the Redis server's security groups (inbound)",
  'destination-network-acl-outbound-return': "the Redis subnet's network ACL (outbound, return traffic)",
  'destination-route-return': "the Redis subnet's route table (return route)",
  'source-network-acl-inbound-return': "the front-end subnet's network ACL (inbound, return traffic)",
};

export interface HopIssue {
  hop: ReachabilityHop;
  verdict: 'blocked' | 'unknown';
  /** A sentence naming the group / ACL / route table and rule. */
  detail: string;
  /** What to change (or check) to clear it. */
  fix: string;
}

export interface ReachabilityResult {
  verdict: ReachabilityVerdict;
  /** The first hop (in path order) that blocks, else the first that cannot be judged. */
  hop?: ReachabilityHop;
  detail: string;
  fix?: string;
  /** Every hop that blocks or cannot be judged, in path order. */
  issues: HopIssue[];
}

/** One end of the flow, with the address chosen for it and how to name it. */
export interface FlowEnd {
  endpoint: NetworkEndpoint;
  ip: IpAddress;
  /** e.g. "10.0.2.21", or "subnet-x (10.0.2.0/24)" when every address of the subnet gets the same answer. */
  label: string;
  /** The CIDR to put in a rule that admits this end: its subnet's block, else the host address. */
  ruleCidr: string;
}

export interface Flow {
  source: FlowEnd & { ephemeral: PortRange };
  destination: FlowEnd;
  port: number;
}

type HopOutcome = { ok: true; detail: string } | HopIssue;

function issue(hop: ReachabilityHop, verdict: 'blocked' | 'unknown', detail: string, fix: string): HopIssue {
  return { hop, verdict, detail, fix };
}

/** How a flow finds a security group by id: the target's groups, unless the caller stands canonical groups in for some (see reachability-analyzer.ts). */
export type GroupLookup = (groupId: string) => SecurityGroup | undefined;

function securityGroupsOf(groupOf: GroupLookup, endpoint: NetworkEndpoint): { groups: SecurityGroup[]; missing: string[] } {
  const groups: SecurityGroup[] = [];
  const missing: string[] = [];
  for (const id of endpoint.groupIds) {
    const group = groupOf(id);
    if (group) groups.push(group);
    else missing.push(id);
  }
  return { groups, missing };
}

function securityGroupHop(target: EstateTarget, groupOf: GroupLookup, hop: ReachabilityHop, self: FlowEnd, peer: FlowEnd, direction: SecurityGroupDirection, port: number): HopOutcome {
  const who = hop.startsWith('source') ? 'front-end' : 'Redis server';
  if (self.endpoint.groupIds.size === 0) {
    return issue(hop, 'unknown', `The ${who} ${self.endpoint.instanceId} lists no security group on its primary network interface.`, `Check the security groups of ${self.endpoint.instanceId} and capture again.`);
  }
  const { groups, missing } = securityGroupsOf(groupOf, self.endpoint);
  const decision = evaluateSecurityGroups(groups, direction, { ip: peer.ip, groupIds: peer.endpoint.groupIds, label: peer.label }, singlePort(port), target.prefixLists);
  if (decision.verdict === 'allow') return { ok: true, detail: decision.detail };
  if (missing.length > 0) {
    const error = ec2Error(target, 'DescribeSecurityGroups');
    return issue(hop, 'unknown', `Security group ${missing.join(', ')} of the ${who} is not in the snapshot${error ? ` (${describeError(error)})` : ''}; the groups present do not allow it: ${decision.detail}`, `Make sure the collector can describe security group ${missing.join(', ')} and capture again.`);
  }
  if (decision.verdict === 'unknown') {
    return issue(hop, 'unknown', decision.detail, `Confirm the prefix list entries cover ${peer.label}, or add an explicit rule for ${describeTcp(singlePort(port))} ${direction === 'ingress' ? 'from' : 'to'} ${peer.ruleCidr} to ${groups[0]!.GroupId}.`);
  }
  const peerGroup = [...peer.endpoint.groupIds][0];
  const fix =
    direction === 'egress'
      ? `Add an outbound rule to security group ${groups[0]!.GroupId} allowing ${describeTcp(singlePort(port))} to ${peerGroup ? `security group ${peerGroup} (or ${peer.ruleCidr})` : peer.ruleCidr}.`
      : `Add an inbound rule to security group ${groups[0]!.GroupId} allowing ${describeTcp(singlePort(port))} from ${peerGroup ? `security group ${peerGroup} (or ${peer.ruleCidr})` : peer.ruleCidr}.`;
  return issue(hop, 'blocked', decision.detail, fix);
}

function aclOf(target: EstateTarget, subnetId: string): { acl?: NetworkAcl; missing?: string } {
  const acl = target.networkAclForSubnet(subnetId);
  if (acl) return { acl };
  return { missing: notInSnapshot(target, `The network ACL of subnet ${subnetId}`, 'DescribeNetworkAcls') };
}

function aclHop(target: EstateTarget, hop: ReachabilityHop, subnetId: string, direction: AclDirection, peer: FlowEnd, ports: PortRange, purpose: string): HopOutcome {
  const { acl, missing } = aclOf(target, subnetId);
  if (!acl) return issue(hop, 'unknown', missing!, `Make sure the collector can describe the network ACLs of subnet ${subnetId} and capture again.`);
  const decision = evaluateNetworkAcl(acl, direction, peer.ip, ports, peer.label);
  if (decision.verdict === 'allow') return { ok: true, detail: decision.detail };
  if (decision.verdict === 'unknown') return issue(hop, 'unknown', decision.detail, `Correct the entry of network ACL ${acl.NetworkAclId} and capture again.`);
  const toFrom = direction === 'inbound' ? 'from' : 'to';
  const below = decision.ruleNumber === '*' ? '' : ` numbered below ${decision.ruleNumber} (or change that deny rule)`;
  return issue(hop, 'blocked', `${decision.detail} (${purpose})`, `Add an ${direction} allow rule to network ACL ${acl.NetworkAclId}${below} for ${describeTcp(ports)} ${toFrom} ${peer.ruleCidr}.`);
}

function routeTableOf(target: EstateTarget, subnetId: string): { table?: RouteTable; missing?: string } {
  const table = target.routeTableForSubnet(subnetId);
  const error = ec2Error(target, 'DescribeRouteTables');
  if (!table) return { missing: notInSnapshot(target, `The route table of subnet ${subnetId}`, 'DescribeRouteTables') };
  const explicit = (table.Associations ?? []).some((a) => a.SubnetId === subnetId);
  if (!explicit && error) return { missing: `Subnet ${subnetId} would use the main route table ${table.RouteTableId}, but an explicit association may be missing: ${describeError(error)}.` };
  return { table };
}

/**
 * The route from `subnetId` to `to`. Same VPC: the local route must win. Different VPCs: a peering
 * route must win (and, on the way back, the same peering connection as on the way out).
 */
function routeHop(target: EstateTarget, hop: ReachabilityHop, subnetId: string, to: FlowEnd, sameVpc: boolean, expectedPeering: string | undefined): HopOutcome & { peering?: string } {
  const { table, missing } = routeTableOf(target, subnetId);
  if (!table) return issue(hop, 'unknown', missing!, `Make sure the collector can describe the route tables of subnet ${subnetId} and capture again.`);
  const rtb = table.RouteTableId;
  const { match, uncertainPrefixLists } = lookupRoute(table, to.ip, target.prefixLists);
  const back = hop === 'destination-route-return' ? ' (return traffic)' : '';
  if (!match) {
    if (sameVpc) return issue(hop, 'unknown', `Route table ${rtb} has no route covering ${to.label}, not even the local route; the snapshot looks incomplete.`, `Check route table ${rtb} and capture again.`);
    return issue(hop, 'blocked', `Route table ${rtb} of subnet ${subnetId} has no route to ${to.label}${back}.`, `Add a route for ${to.ruleCidr} via the VPC peering connection to ${to.endpoint.vpcId ?? 'the other VPC'} to route table ${rtb}.`);
  }
  const routeText = `route ${describeRoute(match)} in ${rtb}`;
  if (match.blackhole) {
    return issue(hop, 'blocked', `The ${routeText} is a blackhole: its target ${match.target.id} no longer exists, so traffic to ${to.label}${back} is dropped.`, `Replace the blackhole route ${match.destination.text} in route table ${rtb} with one to a live target${sameVpc ? ', or delete it so the local route applies' : ''}.`);
  }
  if (uncertainPrefixLists.length > 0) {
    return issue(hop, 'unknown', `Route table ${rtb} routes to prefix list ${uncertainPrefixLists.join(', ')}, whose entries are not in the snapshot and may be more specific than the ${routeText} for ${to.label}${back}.`, `Confirm prefix list ${uncertainPrefixLists.join(', ')} does not cover ${to.ruleCidr}.`);
  }
  const kind = match.target.kind;
  if (sameVpc) {
    if (kind === 'local') return { ok: true, detail: `${to.label} is reached by the local route of ${rtb}.` };
    return issue(hop, 'unknown', `Traffic to ${to.label}${back} in the same VPC takes the more specific ${routeText} to ${match.target.description}, which the scanner cannot see beyond.`, `Confirm ${match.target.description} forwards TCP traffic to ${to.ruleCidr} and back, or remove the route so the local route applies.`);
  }
  if (kind === 'local') {
    return issue(hop, 'blocked', `The ${routeText} keeps traffic for ${to.label}${back} inside the local VPC, but the other end is in ${to.endpoint.vpcId ?? 'another VPC'} (overlapping address ranges).`, `Re-address one of the VPCs so their CIDR blocks do not overlap, then route ${to.ruleCidr} via a peering connection.`);
  }
  if (kind === 'vpc-peering') {
    if (expectedPeering && match.target.id !== expectedPeering) {
      return issue(hop, 'blocked', `The ${routeText} sends return traffic to ${to.label} over ${match.target.id}, not over ${expectedPeering} which carried the request.`, `Route ${to.ruleCidr} via ${expectedPeering} in route table ${rtb}.`);
    }
    return { ok: true, detail: `${to.label}${back} is reached over ${match.target.description} (${routeText}).`, peering: match.target.id };
  }
  return issue(hop, 'unknown', `Traffic to ${to.label}${back} leaves through ${match.target.description} (${routeText}); the scanner cannot see beyond it.`, `Confirm ${match.target.description} delivers ${to.ruleCidr} and its return path, or peer the VPCs.`);
}

function isIssue(outcome: HopOutcome): outcome is HopIssue {
  return !('ok' in outcome);
}

/** The hop-by-hop verdict for one flow. Pure; callers cache it (see reachability-analyzer.ts). */
export function evaluateFlow(target: EstateTarget, flow: Flow, groupOf: GroupLookup = (id) => target.securityGroups.get(id)): ReachabilityResult {
  const { source, destination, port } = flow;
  const portRange = singlePort(port);
  const outcomes: HopOutcome[] = [];
  outcomes.push(securityGroupHop(target, groupOf, 'source-security-group-egress', source, destination, 'egress', port));
  const srcSubnet = source.endpoint.subnetId;
  const dstSubnet = destination.endpoint.subnetId;
  if (!srcSubnet || !dstSubnet) {
    const which = !srcSubnet ? 'source-address' : 'destination-address';
    const end = !srcSubnet ? source : destination;
    outcomes.push(issue(which, 'unknown', `Instance ${end.endpoint.instanceId} has no subnet in the snapshot.`, `Check instance ${end.endpoint.instanceId} and capture again.`));
  } else if (srcSubnet !== dstSubnet) {
    const srcVpc = source.endpoint.vpcId ?? target.subnets.get(srcSubnet)?.VpcId;
    const dstVpc = destination.endpoint.vpcId ?? target.subnets.get(dstSubnet)?.VpcId;
    const vpcsKnown = srcVpc !== undefined && dstVpc !== undefined;
    const sameVpc = vpcsKnown && srcVpc === dstVpc;
    const returnTraffic = "return traffic to the front-end's ephemeral ports";
    outcomes.push(aclHop(target, 'source-network-acl-outbound', srcSubnet, 'outbound', destination, portRange, 'request to the Redis server'));
    let peering: string | undefined;
    if (vpcsKnown) {
      const forward = routeHop(target, 'source-route', srcSubnet, destination, sameVpc, undefined);
      outcomes.push(forward);
      if ('ok' in forward) peering = forward.peering;
    } else {
      const which = srcVpc === undefined ? srcSubnet : dstSubnet;
      outcomes.push(issue('source-route', 'unknown', notInSnapshot(target, `The VPC of subnet ${which}`, 'DescribeSubnets'), `Make sure the collector can describe subnet ${which} and capture again.`));
    }
    outcomes.push(aclHop(target, 'destination-network-acl-inbound', dstSubnet, 'inbound', source, portRange, 'request from the front-end'));
    outcomes.push(securityGroupHop(target, groupOf, 'destination-security-group-ingress', destination, source, 'ingress', port));
    outcomes.push(aclHop(target, 'destination-network-acl-outbound-return', dstSubnet, 'outbound', source, source.ephemeral, returnTraffic));
    if (vpcsKnown) outcomes.push(routeHop(target, 'destination-route-return', dstSubnet, source, sameVpc, peering));
    outcomes.push(aclHop(target, 'source-network-acl-inbound-return', srcSubnet, 'inbound', destination, source.ephemeral, returnTraffic));
  }
  if (!srcSubnet || !dstSubnet || srcSubnet === dstSubnet) {
    outcomes.push(securityGroupHop(target, groupOf, 'destination-security-group-ingress', destination, source, 'ingress', port));
  }
  return combine(outcomes, flow);
}

function combine(outcomes: HopOutcome[], flow: Flow): ReachabilityResult {
  const issues = outcomes.filter(isIssue).sort((a, b) => REACHABILITY_HOPS.indexOf(a.hop) - REACHABILITY_HOPS.indexOf(b.hop));
  const decisive = issues.find((i) => i.verdict === 'blocked') ?? issues[0];
  if (decisive) return { verdict: decisive.verdict, hop: decisive.hop, detail: decisive.detail, fix: decisive.fix, issues };
  const passed = outcomes.map((o) => ('ok' in o ? o.detail : '')).filter(Boolean);
  return { verdict: 'reachable', detail: `${describeTcp(singlePort(flow.port))} from ${flow.source.label} to ${flow.destination.label} is allowed: ${passed.join(' ')}`, issues: [] };
}
