/**
 * Route lookup in one VPC route table: the most specific route (longest prefix) whose destination
 * holds the address wins, as in AWS. A 'blackhole' route still wins the lookup and then drops the
 * traffic. A route to a managed prefix list whose entries were read is matched entry by entry, like
 * CIDR routes; one whose entries were not read cannot be matched: gateway-endpoint ones (target
 * vpce-, AWS service ranges) are ignored; any other one makes a non-local answer uncertain, because
 * it might hold a more specific entry.
 */
import type { Route, RouteTable } from '../snapshot/schema';
import { cidrContainsIp, parseCidrCached, type Cidr, type IpAddress } from './cidr';

export type RouteTargetKind =
  | 'local'
  | 'vpc-peering'
  | 'transit-gateway'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  | 'virtual-private-gateway'
  | 'vpc-endpoint'
  | 'network-interface'
  | 'instance'
  | 'local-gateway'
  | 'carrier-gateway'
  | 'core-network'
  | 'unknown';

export interface RouteTarget {
  kind: RouteTargetKind;
  /** The target's id ('local' for the local route). */
  id: string;
  /** For sentences, e.g. "transit gateway tgw-0abc". */
  description: string;
}

export interface ParsedRoute {
  route: Route;
  destination: Cidr;
  target: RouteTarget;
  blackhole: boolean;
}

export interface RouteLookup {
  match?: ParsedRoute;
  /** Prefix-list routes that might hold a more specific entry (only when the match is not local). */
  uncertainPrefixLists: string[];
}

const TARGET_KIND_NAMES: Record<RouteTargetKind, string> = {
  local: 'the local VPC route',
  'vpc-peering': 'VPC peering connection',
  'transit-gateway': 'transit gateway',
  'internet-gateway': 'internet gateway',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'nat-gateway': 'NAT gateway',
  'virtual-private-gateway': 'virtual private gateway',
  'vpc-endpoint': 'VPC endpoint',
  'network-interface': 'network interface',
  instance: 'instance',
  'local-gateway': 'local gateway',
  'carrier-gateway': 'carrier gateway',
  'core-network': 'Cloud WAN core network',
  unknown: 'unrecognised target',
};

function target(kind: RouteTargetKind, id: string): RouteTarget {
  return { kind, id, description: kind === 'local' ? TARGET_KIND_NAMES.local : `${TARGET_KIND_NAMES[kind]} ${id}` };
}

export function routeTarget(route: Route): RouteTarget {
  if (route.VpcPeeringConnectionId) return target('vpc-peering', route.VpcPeeringConnectionId);
  if (route.TransitGatewayId) return target('transit-gateway', route.TransitGatewayId);
  if (route.NatGatewayId) return target('nat-gateway', route.NatGatewayId);
  if (route.EgressOnlyInternetGatewayId) return target('egress-only-internet-gateway', route.EgressOnlyInternetGatewayId);
  if (route.LocalGatewayId) return target('local-gateway', route.LocalGatewayId);
  if (route.CarrierGatewayId) return target('carrier-gateway', route.CarrierGatewayId);
  if (route.CoreNetworkArn) return target('core-network', route.CoreNetworkArn);
  const gateway = route.GatewayId;
  if (gateway === 'local') return target('local', 'local');
  if (gateway?.startsWith('igw-')) return target('internet-gateway', gateway);
  if (gateway?.startsWith('vgw-')) return target('virtual-private-gateway', gateway);
  if (gateway?.startsWith('vpce-')) return target('vpc-endpoint', gateway);
  if (route.NetworkInterfaceId) return target('network-interface', route.NetworkInterfaceId);
  if (route.InstanceId) return target('instance', route.InstanceId);
  return target('unknown', gateway ?? '(none)');
}

interface IndexedTable {
  /** CIDR routes of each family, most specific first. */
  byFamily: Record<4 | 6, ParsedRoute[]>;
  /** Prefix-list routes whose contents might matter (not gateway endpoints). */
  opaquePrefixLists: string[];
}

/** By table, then by the prefix-list entries it was indexed with (one map per target). */
const indexCache = new WeakMap<RouteTable, WeakMap<object, IndexedTable>>();
const NO_PREFIX_LISTS: ReadonlyMap<string, readonly string[]> = new Map();

function indexTable(table: RouteTable, prefixLists: ReadonlyMap<string, readonly string[]> = NO_PREFIX_LISTS): IndexedTable {
  let byLists = indexCache.get(table);
  let indexed = byLists?.get(prefixLists);
  if (indexed) return indexed;
  indexed = { byFamily: { 4: [], 6: [] }, opaquePrefixLists: [] };
  for (const route of table.Routes ?? []) {
    const text = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
    if (!text) {
      if (!route.DestinationPrefixListId || route.GatewayId?.startsWith('vpce-')) continue;
      const entries = prefixLists.get(route.DestinationPrefixListId);
      if (!entries) {
        indexed.opaquePrefixLists.push(route.DestinationPrefixListId);
        continue;
      }
      for (const entry of entries) {
        const destination = parseCidrCached(entry);
        if (destination) indexed.byFamily[destination.family].push({ route, destination, target: routeTarget(route), blackhole: route.State === 'blackhole' });
      }
      continue;
    }
    const destination = parseCidrCached(text);
    if (!destination) continue;
    indexed.byFamily[destination.family].push({ route, destination, target: routeTarget(route), blackhole: route.State === 'blackhole' });
  }
  for (const list of Object.values(indexed.byFamily)) list.sort((a, b) => b.destination.prefix - a.destination.prefix);
  if (!byLists) indexCache.set(table, (byLists = new WeakMap()));
  byLists.set(prefixLists, indexed);
  return indexed;
}

/** The route AWS would use for traffic from a subnet using `table` to `ip` (`prefixLists`: entries read). */
export function lookupRoute(table: RouteTable, ip: IpAddress, prefixLists?: ReadonlyMap<string, readonly string[]>): RouteLookup {
  const indexed = indexTable(table, prefixLists);
  const match = indexed.byFamily[ip.family].find((r) => cidrContainsIp(r.destination, ip));
  const uncertainPrefixLists = match?.target.kind === 'local' ? [] : indexed.opaquePrefixLists;
  return match ? { match, uncertainPrefixLists } : { uncertainPrefixLists };
}

/** Every destination CIDR of the table (for deciding whether a lookup is the same for a whole subnet). */
export function routeDestinations(table: RouteTable, prefixLists?: ReadonlyMap<string, readonly string[]>): Cidr[] {
  const indexed = indexTable(table, prefixLists);
  return [...indexed.byFamily[4], ...indexed.byFamily[6]].map((r) => r.destination);
}

/** "0.0.0.0/0 -> igw-0abc" for sentences. */
export function describeRoute(route: ParsedRoute): string {
  return `${route.destination.text} -> ${route.target.id}`;
}
