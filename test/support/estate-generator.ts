/**
 * A generator of random but AWS-shaped estates for the property-based tests. Every dimension the
 * rules read varies: accounts and regions, VPCs, subnets (role tags, public IP on launch, IPv6),
 * route tables (main and explicit, internet / NAT / peering / blackhole routes), network ACLs
 * (default and custom, allow and deny entries), security groups (CIDR and group sources, public and
 * private ranges, split internet ranges such as 0.0.0.0/1 + 128.0.0.0/1, prefix lists), instances of every role,
 * state and environment spelling (case and spaces), cluster and mode tags, instance types (known and
 * unknown), public addresses, secondary interfaces, volumes (missing records, missing sizes),
 * service-managed interfaces (Lambda, endpoints, unattached), SSM registration and inventory rows,
 * the Redis probe's process and CLUSTER NODES rows (with faults: replication links down or not
 * reported, nofailover replicas, nodes flagged failing, split and stale views, lost rows), zones
 * (subnet zones and DescribeInstances Placement), cluster bus port rules, and CloudWatch network
 * metrics (results with and without data points, not Complete, lost with a recorded failure).
 * `generateSnapshot(seed, size, { highAvailability: true })` leans the estate towards what the
 * high-availability and capacity rules read.
 *
 * An estate is a pure function of (seed, size): fast-check draws and shrinks those two numbers, so
 * a failing case prints a seed that rebuilds it exactly, and shrinking makes it smaller.
 */
import * as fc from 'fast-check';
import {
  SNAPSHOT_FORMAT,
  type Instance,
  type InstanceInformation,
  type InventoryEntity,
  type IpPermission,
  type NetworkAcl,
  type NetworkAclEntry,
  type NetworkInterface,
  type Route,
  type RouteTable,
  type SecurityGroup,
  type Snapshot,
  type SnapshotTarget,
  type Subnet,
  type Tag,
  type Volume,
} from '../../lambdas/core/snapshot/schema';
import { networkQueries, NETWORK_METRIC_PERIOD_SECONDS, NETWORK_METRIC_WINDOW_DAYS } from '../../lambdas/adapters/collectors/cloudwatch-collector';
import { clusterNodeRow, serverRow, type NodeSpec, type ServerSpec } from './cluster-probe-rows';
import { INSTANCE_TYPES } from './instance-types';
import { addPostureRows } from './posture-generator';

/** A small, fast PRNG (mulberry32): the same seed gives the same estate on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** A subset of `items` (each kept with probability p). */
  some<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export const ROLE_KEY = 'Role';
export const ENVIRONMENT_SPELLINGS: readonly (string | undefined)[] = ['production', 'Production', 'PROD ', ' live', 'LIVE', 'Live', 'dev', 'Dev', ' qa', undefined, ''];
const CLUSTER_SPELLINGS = ['sessions', 'Sessions ', 'sessions-b', 'SESSIONS-B'];
const MODES = ['cluster', 'sentinel', 'standalone', 'Cluster'];
const KNOWN_TYPES = Object.keys(INSTANCE_TYPES) as (keyof typeof INSTANCE_TYPES)[];
const REDIS_PACKAGE_VERSIONS = ['5:7.0.15-1~deb12u1', '7.0.11-1.amzn2023.0.1', '6:7.2.4-1rl1~jammy1', '7.0.0~rc2-1', '6.2.14-1', '7.0.15'];
const REDIS_RUNNING_VERSIONS = ['7.0.15', '7.0.11', '7.2.4', '6.2.14', '6.9.240'];
const PLATFORM_SERVER_VERSIONS = ['11.23.0.40149', '11.18.1.39224', '11.25.2.41004', '11.23'];
const PUBLIC_SOURCES = ['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '8.8.0.0/16', '52.0.0.0/8', '::/0', '2000::/3', '2600:1f00::/24'];
/** Client ports, cluster bus ports (client port + 10000) and others. */
const PORT_RANGES: ReadonlyArray<[number, number] | 'all'> = [[7000, 7001], [7000, 7000], [7001, 7001], [17000, 17001], [17000, 17000], [7000, 17001], [6379, 6379], [22, 22], [0, 65535], [1024, 65535], 'all'];

/** Ids in the shapes AWS uses (prefix + 17 hex digits), unique within one generated snapshot. */
export class Ids {
  constructor(private counter = 0) {}
  next(prefix: string): string {
    return `${prefix}-${(++this.counter).toString(16).padStart(17, '0')}`;
  }
}

interface VpcPlan {
  vpcId: string;
  index: number;
  subnets: Subnet[];
  groups: SecurityGroup[];
}

function tagList(record: Record<string, string | undefined>): Tag[] {
  const out: Tag[] = [];
  for (const [Key, Value] of Object.entries(record)) if (Value !== undefined) out.push({ Key, Value });
  return out;
}

function permission(rng: Rng, vpc: VpcPlan, ids: Ids, allowPublic: boolean): IpPermission {
  const range = rng.pick(PORT_RANGES);
  const base: IpPermission = range === 'all' ? { IpProtocol: '-1' } : { IpProtocol: 'tcp', FromPort: range[0], ToPort: range[1] };
  const ipRanges: { CidrIp: string }[] = [];
  const ipv6Ranges: { CidrIpv6: string }[] = [];
  const pairs: { GroupId: string; UserId: string }[] = [];
  const prefixLists: { PrefixListId: string }[] = [];
  const sources = rng.int(1, 2);
  for (let s = 0; s < sources; s++) {
    const kind = rng.int(0, 9);
    const subnet = rng.pick(vpc.subnets);
    if (kind <= 2 && vpc.groups.length > 0) pairs.push({ GroupId: rng.pick(vpc.groups).GroupId, UserId: '111122223333' });
    else if (kind === 3) ipRanges.push({ CidrIp: subnet.CidrBlock! });
    else if (kind === 4) ipRanges.push({ CidrIp: subnet.CidrBlock!.replace(/\.0\/24$/, '.0/28') });
    else if (kind === 5) ipRanges.push({ CidrIp: subnet.CidrBlock!.replace(/\.0\/24$/, '.16/28') });
    else if (kind === 6) ipRanges.push({ CidrIp: rng.pick(['10.0.0.0/8', '172.16.0.0/12', `10.${vpc.index}.0.0/16`]) });
    else if (kind === 7 && allowPublic) {
      const source = rng.pick(PUBLIC_SOURCES);
      if (source.includes(':')) ipv6Ranges.push({ CidrIpv6: source });
      else ipRanges.push({ CidrIp: source });
    } else if (kind === 8 && rng.chance(0.2)) pairs.push({ GroupId: ids.next('sg'), UserId: '111122223333' });
    else if (kind === 9 && rng.chance(0.25)) prefixLists.push({ PrefixListId: ids.next('pl') });
    else ipRanges.push({ CidrIp: `${subnet.CidrBlock!.split('.').slice(0, 3).join('.')}.${rng.int(4, 60)}/32` });
  }
  return { ...base, IpRanges: ipRanges, Ipv6Ranges: ipv6Ranges, PrefixListIds: prefixLists, UserIdGroupPairs: pairs };
}

function aclEntries(rng: Rng, vpc: VpcPlan): NetworkAclEntry[] {
  const entries: NetworkAclEntry[] = [];
  for (const egress of [false, true]) {
    const numbers = new Set<number>();
    const count = rng.int(0, 3);
    for (let k = 0; k < count; k++) {
      let number = rng.int(1, 30) * 10;
      while (numbers.has(number)) number += 1;
      numbers.add(number);
      const ports = rng.pick(PORT_RANGES);
      const subnet = rng.pick(vpc.subnets);
      entries.push({
        RuleNumber: number,
        Protocol: ports === 'all' ? '-1' : '6',
        RuleAction: rng.chance(0.6) ? 'allow' : 'deny',
        Egress: egress,
        CidrBlock: rng.pick(['0.0.0.0/0', subnet.CidrBlock!, `10.${vpc.index}.0.0/16`, subnet.CidrBlock!.replace(/\.0\/24$/, '.0/28')]),
        ...(ports === 'all' ? {} : { PortRange: { From: ports[0], To: ports[1] } }),
      });
    }
    if (rng.chance(0.8)) entries.push({ RuleNumber: 1000, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' });
    entries.push({ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' });
  }
  return entries;
}

function defaultAcl(): NetworkAclEntry[] {
  return [true, false].flatMap((Egress) => [
    { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress, CidrBlock: '0.0.0.0/0' },
  ]);
}

function routes(rng: Rng, vpcCidr: string, ids: Ids): Route[] {
  const list: Route[] = [{ DestinationCidrBlock: vpcCidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }];
  const internet = rng.int(0, 5);
  if (internet === 0) list.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.next('igw'), State: 'active', Origin: 'CreateRoute' });
  else if (internet === 1) list.push({ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ids.next('nat'), State: 'active', Origin: 'CreateRoute' });
  else if (internet === 2) list.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.next('igw'), State: 'blackhole', Origin: 'CreateRoute' });
  if (rng.chance(0.15)) list.push({ DestinationIpv6CidrBlock: '::/0', GatewayId: ids.next('igw'), State: 'active', Origin: 'CreateRoute' });
  if (rng.chance(0.15)) list.push({ DestinationCidrBlock: '10.99.0.0/16', VpcPeeringConnectionId: ids.next('pcx'), State: 'active', Origin: 'CreateRoute' });
  return list;
}

/** One account-region target of about `size` instances. */
/**
 * `highAvailability` leans the estate towards what the high-availability and capacity rules read:
 * mostly production Redis servers grouped in clusters, nearly always with probe rows and metrics.
 */
export interface GeneratorOptions {
  highAvailability?: boolean;
}

export function generateTarget(rng: Rng, size: number, ids: Ids, accountId: string, region: string, options: GeneratorOptions = {}): SnapshotTarget {
  const focus = options.highAvailability === true;
  const target: SnapshotTarget = {
    accountId,
    region,
    ec2: { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] },
    ssm: { InstanceInformationList: [], Entities: [] },
    errors: [],
  };
  const vpcs: VpcPlan[] = [];
  const vpcCount = rng.int(1, 2);
  for (let v = 0; v < vpcCount; v++) {
    const vpcId = ids.next('vpc');
    const vpc: VpcPlan = { vpcId, index: v, subnets: [], groups: [] };
    const subnetCount = focus ? rng.int(3, 5) : rng.int(1, Math.min(5, 1 + Math.ceil(size / 2)));
    for (let j = 0; j < subnetCount; j++) {
      const ipv6 = rng.chance(0.15);
      vpc.subnets.push({
        SubnetId: ids.next('subnet'),
        VpcId: vpcId,
        CidrBlock: `10.${v}.${j}.0/24`,
        AvailabilityZone: `${region}${focus ? 'abc'[j % 3] : rng.pick(['a', 'b', 'c'])}`,
        MapPublicIpOnLaunch: rng.chance(0.15),
        AssignIpv6AddressOnCreation: ipv6 && rng.chance(0.3),
        Ipv6CidrBlockAssociationSet: ipv6 ? [{ Ipv6CidrBlock: `2600:1f18:${v}${j}::/64`, Ipv6CidrBlockState: { State: 'associated' } }] : [],
        Tags: tagList({ Name: rng.chance(0.6) ? `net-${v}-${j}` : undefined, [ROLE_KEY]: rng.chance(0.3) ? 'redis' : undefined, Environment: rng.chance(0.15) ? rng.pick(ENVIRONMENT_SPELLINGS) : undefined }),
      });
    }
    const groupCount = rng.int(1, 4);
    for (let g = 0; g < groupCount; g++) vpc.groups.push({ GroupId: ids.next('sg'), GroupName: `group-${v}-${g}`, VpcId: vpcId, OwnerId: accountId, Description: 'generated', IpPermissions: [], IpPermissionsEgress: [] });
    for (const group of vpc.groups) {
      const ingress = rng.int(0, 3);
      for (let k = 0; k < ingress; k++) group.IpPermissions!.push(permission(rng, vpc, ids, rng.chance(0.3)));
      if (rng.chance(0.85)) group.IpPermissionsEgress!.push({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
      else group.IpPermissionsEgress!.push(permission(rng, vpc, ids, false));
    }
    const vpcCidr = `10.${v}.0.0/16`;
    const main: RouteTable = { RouteTableId: ids.next('rtb'), VpcId: vpcId, Associations: [{ Main: true, RouteTableAssociationId: ids.next('rtbassoc'), AssociationState: { State: 'associated' } }], Routes: routes(rng, vpcCidr, ids) };
    main.Associations![0]!.RouteTableId = main.RouteTableId;
    target.ec2.RouteTables.push(main);
    const defaultNacl: NetworkAcl = { NetworkAclId: ids.next('acl'), VpcId: vpcId, IsDefault: true, Associations: [], Entries: defaultAcl() };
    target.ec2.NetworkAcls.push(defaultNacl);
    for (const subnet of vpc.subnets) {
      if (rng.chance(0.4)) {
        const table: RouteTable = { RouteTableId: ids.next('rtb'), VpcId: vpcId, Associations: [], Routes: routes(rng, vpcCidr, ids) };
        table.Associations!.push({ Main: false, SubnetId: subnet.SubnetId, RouteTableId: table.RouteTableId, RouteTableAssociationId: ids.next('rtbassoc'), AssociationState: { State: 'associated' } });
        target.ec2.RouteTables.push(table);
      }
      const acl = rng.chance(0.3) ? { NetworkAclId: ids.next('acl'), VpcId: vpcId, IsDefault: false, Associations: [], Entries: aclEntries(rng, vpc) } : defaultNacl;
      if (acl !== defaultNacl) target.ec2.NetworkAcls.push(acl);
      acl.Associations!.push({ NetworkAclAssociationId: ids.next('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnet.SubnetId });
    }
    target.ec2.Subnets.push(...vpc.subnets);
    target.ec2.SecurityGroups.push(...vpc.groups);
    vpcs.push(vpc);
  }

  const instanceCount = rng.int(1, Math.min(14, 2 + size * 2));
  const usedTypes = new Set<string>();
  const hostByEnd = new Map<string, number>();
  for (let n = 0; n < instanceCount; n++) {
    const role = focus ? rng.pick(['redis', 'redis', 'redis', 'redis', 'outsystems-frontend']) : rng.pick(['redis', 'redis', 'redis', 'outsystems-frontend', 'outsystems-frontend', undefined]);
    addInstance(rng, target, vpcs, ids, { role, usedTypes, hostByEnd, ...(focus ? { managed: rng.chance(0.9), ...(rng.chance(0.8) ? { environment: rng.pick(['production', 'Production', 'PRODUCTION ']) } : {}) } : {}) });
  }
  if (rng.chance(0.4)) addSharedTiers(rng, target, rng.pick(vpcs), ids, usedTypes, hostByEnd);
  if (rng.chance(focus ? 0.95 : 0.5)) addClusterProbeRows(rng, target, focus);
  addPostureRows(target);
  if (rng.chance(focus ? 0.9 : 0.5)) addNetworkMetrics(rng, target);
  for (const type of usedTypes) {
    const known = (INSTANCE_TYPES as Record<string, (typeof INSTANCE_TYPES)[keyof typeof INSTANCE_TYPES]>)[type];
    if (known && rng.chance(0.95)) target.ec2.InstanceTypes.push(structuredClone(known));
  }
  // Interfaces that belong to no instance of the estate: AWS-managed ones and spare ones.
  const extras = rng.int(0, 2);
  for (let k = 0; k < extras; k++) {
    const vpc = rng.pick(vpcs);
    const subnet = rng.pick(vpc.subnets);
    const kind = rng.pick(['lambda', 'vpc_endpoint', 'interface']);
    target.ec2.NetworkInterfaces.push({
      NetworkInterfaceId: ids.next('eni'),
      SubnetId: subnet.SubnetId,
      VpcId: vpc.vpcId,
      InterfaceType: kind,
      Description: kind === 'lambda' ? 'AWS Lambda VPC ENI-sessions-cleanup' : kind === 'vpc_endpoint' ? 'VPC Endpoint Interface' : 'spare',
      Status: kind === 'interface' ? 'available' : 'in-use',
      RequesterManaged: kind !== 'interface',
      ...(kind !== 'interface' ? { RequesterId: kind === 'lambda' ? 'AROAEXAMPLE:sessions' : 'amazon-vpce' } : {}),
      PrivateIpAddress: `${subnet.CidrBlock!.split('.').slice(0, 3).join('.')}.${200 + k}`,
      Groups: [{ GroupId: rng.pick(vpc.groups).GroupId }],
      Ipv6Addresses: [],
      TagSet: [],
    });
  }
  return target;
}

/**
 * Two or three environments sharing one front-end subnet and group (same platform) and one Redis
 * subnet and group, the Redis group admitting the front-ends by a range that cuts through their
 * subnet (a /28, or one front-end's /32): common where teams share network tiers, and where a
 * verdict cached for one environment's front-ends could be handed to another's.
 */
function addSharedTiers(rng: Rng, target: SnapshotTarget, vpc: VpcPlan, ids: Ids, usedTypes: Set<string>, hostByEnd: Map<string, number>): void {
  const frontendSubnet = rng.pick(vpc.subnets);
  const redisSubnet = rng.pick(vpc.subnets);
  const frontendGroup = rng.pick(vpc.groups).GroupId;
  const redisGroup = rng.pick(vpc.groups);
  const prefix = frontendSubnet.CidrBlock!.split('.').slice(0, 3).join('.');
  const environments = rng.some(['production', 'dev', 'qa'], 0.8);
  if (environments.length === 0) environments.push('dev');
  const windows = rng.chance(0.5);
  const frontends: string[] = [];
  for (const environment of environments) {
    addInstance(rng, target, [vpc], ids, { role: 'redis', usedTypes, hostByEnd, environment: rng.chance(0.3) ? environment.toUpperCase() : environment, cluster: undefined, subnet: redisSubnet, vpc, groups: [redisGroup.GroupId] });
    const count = rng.int(1, 2);
    for (let k = 0; k < count; k++) frontends.push(addInstance(rng, target, [vpc], ids, { role: 'outsystems-frontend', usedTypes, hostByEnd, environment, subnet: frontendSubnet, vpc, groups: [frontendGroup], windows }));
  }
  const chosen = rng.pick(frontends);
  const host = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === chosen)!.PrivateIpAddress!;
  const source = rng.pick([`${prefix}.0/28`, `${prefix}.16/28`, `${host}/32`, frontendSubnet.CidrBlock!]);
  redisGroup.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7001, IpRanges: [{ CidrIp: source }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
}

/**
 * The Redis probe's rows (docs/redis-probe.md) for the Redis servers of each cluster tag that have
 * inventory: a master per server (sometimes one more, so the count is even, or two on one server)
 * and a replica of each master, mostly on the next server, with the faults the high-availability
 * and capacity rules look for mixed in: a replica of its own server's master, a missing replica,
 * a replica whose replication link is down or not reported, a `nofailover` replica, an unscanned
 * node, unassigned slots, a process that did not answer, unbounded or nearly full memory, memory
 * figures not reported; and in the views: nodes flagged failing by some viewers, a split view (a
 * viewer missing a node), a stale view (a viewer with other facts about a node), and a member's
 * CLUSTER NODES rows lost with a recorded ListInventoryEntries failure.
 */
function addClusterProbeRows(rng: Rng, target: SnapshotTarget, focus: boolean): void {
  const entities = new Map(target.ssm.Entities.map((e) => [e.Id, e]));
  const byCluster = new Map<string, Instance[]>();
  for (const r of target.ec2.Reservations) {
    for (const i of r.Instances ?? []) {
      const tags = new Map((i.Tags ?? []).map((t) => [t.Key, t.Value ?? '']));
      if (tags.get(ROLE_KEY) !== 'redis' || !entities.has(i.InstanceId)) continue;
      const key = (tags.get('RedisCluster') ?? tags.get('Environment') ?? '').trim().toLowerCase();
      byCluster.set(key, [...(byCluster.get(key) ?? []), i]);
    }
  }
  const GIB = 1024 ** 3;
  for (const servers of byCluster.values()) {
    if (!rng.chance(focus ? 0.9 : 0.7)) continue;
    // With the high-availability lean, half of the clusters are laid out without a fault (so verdicts can pass).
    const faulty = !focus || rng.chance(0.5);
    const fault = (p: number) => faulty && rng.chance(p);
    const n = servers.length;
    const nodes: NodeSpec[] = [];
    const ports = new Map<number, number>();
    const port = (server: number) => {
      const next = ports.get(server) ?? 7000;
      ports.set(server, next + 1);
      return next;
    };
    const masters = n + (fault(0.25) ? 1 : 0);
    const share = Math.floor(16384 / masters);
    for (let k = 0; k < masters; k++) {
      const server = k < n && !fault(0.1) ? k : rng.int(0, n - 1);
      const last = k === masters - 1 ? (fault(0.1) ? 16000 : 16383) : (k + 1) * share - 1;
      nodes.push({ server, port: port(server), slots: `${k * share}-${last}` });
    }
    for (let k = 0; k < masters; k++) {
      if (fault(0.1)) continue;
      const home = nodes[k]!.server;
      const server = fault(0.15) ? home : (home + 1) % n;
      nodes.push({
        server,
        port: port(server),
        replicaOf: k,
        linkStatus: faulty ? rng.pick(['up', 'up', 'up', 'up', 'up', 'up', 'up', 'down', '']) : 'up',
        ...(fault(0.05) ? { flags: ['nofailover'] } : {}),
        ...(fault(0.1) ? { maxmemory: 0 } : {}),
      });
    }
    // A node on a machine nobody probed: no line of its own, so only its viewers say what it is.
    // Sometimes the viewers disagree about just that node (a stale view of a node with no line of its own).
    const staleStranger = fault(0.25);
    const stranger = staleStranger || fault(0.1) ? nodes.push({ server: -1, port: 7000, replicaOf: 0, announce: '10.55.0.9', linkStatus: '' }) - 1 : -1;
    for (const node of nodes) {
      const maxmemory = node.maxmemory ?? 3 * GIB;
      const fill = faulty ? rng.pick([0.3, 0.3, 0.3, 0.8, 0.81, 1.1]) : rng.pick([0.3, 0.8]);
      node.usedMemory = maxmemory > 0 ? Math.round(fill * maxmemory) : rng.pick([GIB, 7 * GIB]);
    }
    const specs: ServerSpec[] = servers.map((i) => ({ instanceId: i.InstanceId, ip: i.PrivateIpAddress ?? '', totalSystemMemory: rng.pick([8, 16, 4]) * GIB }));
    // View faults: a viewer server missing a node (split), or giving other facts about it (stale).
    const splitViewer = fault(0.1) ? rng.int(0, n - 1) : -1;
    const staleViewer = staleStranger || fault(0.15) ? rng.int(0, n - 1) : -1;
    const faultyNode = staleStranger ? stranger : rng.int(0, nodes.length - 1);
    const failing = new Set(nodes.map((_, i) => i).filter(() => fault(0.04)));
    const stale = (node: NodeSpec): NodeSpec => (node.replicaOf !== undefined ? (rng.chance(0.5) ? { ...node, replicaOf: undefined, slots: '' } : { ...node, replicaOf: rng.int(0, masters - 1) }) : { ...node, replicaOf: rng.int(0, masters - 1), slots: undefined });
    specs.forEach((server, k) => {
      const entity = entities.get(server.instanceId)!;
      entity.Data ??= {};
      const local = nodes.map((node, index) => [node, index] as const).filter(([node]) => node.server === k);
      const rows = local.map(([node, index]) => serverRow(node, index, server));
      if (rows[0] && fault(0.1)) Object.assign(rows[0], { status: 'error', error: 'NOAUTH Authentication required.', redis_version: '' });
      for (const row of rows) {
        if (fault(0.05)) delete row.used_memory;
        if (fault(0.05)) row.total_system_memory = '';
      }
      entity.Data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: rows };
      const view: Record<string, string>[] = [];
      for (const [viewer, v] of local) {
        nodes.forEach((node, index) => {
          const self = index === v;
          if (!self && k === splitViewer && index === faultyNode) return;
          let seen = !self && k === staleViewer && index === faultyNode ? stale(node) : node;
          if (!self && failing.has(index)) seen = { ...seen, flags: [...(seen.flags ?? []), rng.pick(['fail', 'fail?'])] };
          view.push(clusterNodeRow(viewer, server.ip, seen, index, specs, self));
        });
      }
      entity.Data['Custom:RedisClusterNode'] = { TypeName: 'Custom:RedisClusterNode', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: view };
    });
    if (fault(0.05)) {
      delete entities.get(rng.pick(specs).instanceId)!.Data!['Custom:RedisClusterNode'];
      if (!target.errors.some((e) => e.operation === 'ListInventoryEntries')) target.errors.push({ service: 'ssm', operation: 'ListInventoryEntries', code: 'ThrottlingException', message: 'Rate exceeded' });
    }
  }
}

/**
 * Fourteen days of NetworkIn / NetworkOut (a few 5-minute sums each) for some Redis servers, as the
 * CloudWatch collector records them: results with and without data points, sometimes not Complete,
 * sometimes missing with a recorded GetMetricData failure.
 */
function addNetworkMetrics(rng: Rng, target: SnapshotTarget): void {
  const redis = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === ROLE_KEY && t.Value === 'redis'));
  const ids = rng.some(redis.map((i) => i.InstanceId), 0.8).sort();
  if (ids.length === 0) return;
  const periodMs = NETWORK_METRIC_PERIOD_SECONDS * 1000;
  const end = Date.parse('2026-11-25T02:00:00Z');
  const queries = networkQueries(ids);
  const results = queries.map((query) => {
    const values = Array.from({ length: rng.int(0, 3) }, () => Math.round((rng.pick([50e6, 400e6, 900e6, 2e9]) / 8) * NETWORK_METRIC_PERIOD_SECONDS * rng.next()));
    return { Id: query.Id, Label: query.MetricStat!.Metric.MetricName, StatusCode: rng.chance(0.05) ? 'PartialData' : 'Complete', Timestamps: values.map((_, k) => new Date(end - (k + 1) * periodMs).toISOString()), Values: values };
  });
  const kept = rng.chance(0.1) ? rng.some(results, 0.7) : results;
  if (kept.length < results.length) target.errors.push({ service: 'cloudwatch', operation: 'GetMetricData', code: 'Throttling', message: 'Rate exceeded' });
  target.cloudwatch = { StartTime: new Date(end - NETWORK_METRIC_WINDOW_DAYS * 86_400_000).toISOString(), EndTime: new Date(end).toISOString(), MetricDataQueries: queries, MetricDataResults: kept };
}

interface InstanceOptions {
  windows?: boolean;
  role: string | undefined;
  usedTypes: Set<string>;
  hostByEnd: Map<string, number>;
  environment?: string | undefined;
  cluster?: string | undefined;
  subnet?: Subnet;
  vpc?: VpcPlan;
  groups?: string[];
  /** Registered with SSM and holding inventory (else drawn at random). */
  managed?: boolean;
}

function nextHost(hostByEnd: Map<string, number>, subnet: Subnet): string {
  const host = (hostByEnd.get(subnet.SubnetId) ?? 9) + 1;
  hostByEnd.set(subnet.SubnetId, host);
  return `${subnet.CidrBlock!.split('.').slice(0, 3).join('.')}.${host}`;
}

function addInstance(rng: Rng, target: SnapshotTarget, vpcs: VpcPlan[], ids: Ids, options: InstanceOptions): string {
  const vpc = options.vpc ?? rng.pick(vpcs);
  const subnet = options.subnet ?? rng.pick(vpc.subnets);
  const instanceId = ids.next('i');
  const { role } = options;
  const environment = 'environment' in options ? options.environment : rng.pick(ENVIRONMENT_SPELLINGS);
  const type = rng.chance(0.05) ? 'x9.unknown' : rng.pick(KNOWN_TYPES);
  options.usedTypes.add(type);
  const state = rng.chance(0.85) ? 'running' : rng.pick(['pending', 'stopped']);
  const privateIp = nextHost(options.hostByEnd, subnet);
  const ipv6Block = subnet.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock;
  const ipv6 = ipv6Block && rng.chance(0.5) ? `${ipv6Block.replace('::/64', '')}::${privateIp.split('.')[3]}` : undefined;
  const groups = (options.groups ?? rng.some(vpc.groups, 0.5).map((g) => g.GroupId)).map((GroupId) => ({ GroupId, GroupName: GroupId }));
  if (groups.length === 0) groups.push({ GroupId: vpc.groups[0]!.GroupId, GroupName: vpc.groups[0]!.GroupId });
  // DescribeInstances lists an instance's groups in no fixed order: members of one class may list the same groups differently.
  if (groups.length > 1 && rng.chance(0.3)) groups.reverse();
  const publicIp = rng.chance(0.08) ? `54.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` : undefined;
  const association = publicIp ? { PublicIp: publicIp, IpOwnerId: rng.chance(0.5) ? 'amazon' : target.accountId } : undefined;
  const windows = options.windows ?? (role === 'outsystems-frontend' && rng.chance(0.6));
  const eniId = ids.next('eni');
  const interfaces = [
    {
      NetworkInterfaceId: eniId,
      SubnetId: subnet.SubnetId,
      VpcId: vpc.vpcId,
      PrivateIpAddress: privateIp,
      ...(association ? { Association: association } : {}),
      PrivateIpAddresses: [{ PrivateIpAddress: privateIp, Primary: true, ...(association ? { Association: association } : {}) }],
      Ipv6Addresses: ipv6 ? [{ Ipv6Address: ipv6, IsPrimaryIpv6: false }] : [],
      Groups: groups,
      Attachment: { AttachmentId: ids.next('eni-attach'), DeviceIndex: 0, NetworkCardIndex: 0, Status: 'attached' },
      InterfaceType: 'interface',
    },
  ];
  if (rng.chance(0.1)) {
    const other = rng.pick(vpc.subnets);
    const otherIp = nextHost(options.hostByEnd, other);
    interfaces.push({
      NetworkInterfaceId: ids.next('eni'),
      SubnetId: other.SubnetId,
      VpcId: vpc.vpcId,
      PrivateIpAddress: otherIp,
      PrivateIpAddresses: [{ PrivateIpAddress: otherIp, Primary: true }],
      Ipv6Addresses: [],
      Groups: [{ GroupId: rng.pick(vpc.groups).GroupId, GroupName: 'secondary' }],
      Attachment: { AttachmentId: ids.next('eni-attach'), DeviceIndex: 1, NetworkCardIndex: 0, Status: 'attached' },
      InterfaceType: 'interface',
    });
  }
  const volumes: Volume[] = [];
  const volumeCount = rng.int(0, 2) || (rng.chance(0.9) ? 1 : 0);
  for (let k = 0; k < volumeCount; k++) {
    const volumeId = ids.next('vol');
    const sized = rng.chance(0.95);
    volumes.push({
      VolumeId: volumeId,
      ...(sized ? { Size: rng.pick([4, 8, 9, 10, 20, 30, 100]) } : {}),
      VolumeType: 'gp3',
      State: 'in-use',
      Attachments: [{ InstanceId: instanceId, Device: k === 0 ? '/dev/xvda' : `/dev/xvd${String.fromCharCode(98 + k)}`, State: 'attached', VolumeId: volumeId }],
    });
  }
  const instanceTags: Record<string, string | undefined> = { Name: rng.chance(0.7) ? `host-${instanceId.slice(-4)}` : undefined, [ROLE_KEY]: role, Environment: environment };
  if (role === 'redis') {
    if ('cluster' in options ? options.cluster !== undefined : rng.chance(0.3)) instanceTags.RedisCluster = options.cluster ?? rng.pick(CLUSTER_SPELLINGS);
    if (rng.chance(0.2)) instanceTags.RedisMode = rng.pick(MODES);
  }
  const instance: Instance = {
    InstanceId: instanceId,
    InstanceType: type,
    State: { Code: state === 'running' ? 16 : state === 'pending' ? 0 : 80, Name: state },
    SubnetId: subnet.SubnetId,
    VpcId: vpc.vpcId,
    PrivateIpAddress: privateIp,
    ...(publicIp ? { PublicIpAddress: publicIp } : {}),
    ...(ipv6 ? { Ipv6Address: ipv6 } : {}),
    ...(windows ? { Platform: 'windows', PlatformDetails: 'Windows' } : { PlatformDetails: 'Linux/UNIX' }),
    Tags: tagList(instanceTags),
    SecurityGroups: groups,
    BlockDeviceMappings: volumes.map((v) => ({ DeviceName: v.Attachments![0]!.Device, Ebs: { VolumeId: v.VolumeId, Status: 'attached' } })),
    NetworkInterfaces: interfaces,
    ...(rng.chance(0.1) ? { CpuOptions: { CoreCount: 1, ThreadsPerCore: rng.pick([1, 2]) } } : {}),
    // DescribeInstances places an instance in its subnet's zone; the rules fall back to the subnet when it is absent.
    ...(rng.chance(0.5) && subnet.AvailabilityZone ? { Placement: { AvailabilityZone: subnet.AvailabilityZone, Tenancy: 'default' } } : {}),
  };
  target.ec2.Reservations.push({ ReservationId: ids.next('r'), OwnerId: target.accountId, Instances: [instance] });
  // A volume record can be missing from the listing (the mapping then names a volume without a record).
  for (const volume of volumes) if (rng.chance(0.95)) target.ec2.Volumes.push(volume);
  for (const eni of interfaces) {
    const record: NetworkInterface = {
      NetworkInterfaceId: eni.NetworkInterfaceId,
      SubnetId: eni.SubnetId,
      VpcId: eni.VpcId,
      InterfaceType: 'interface',
      Description: eni.Attachment.DeviceIndex === 0 ? 'Primary network interface' : 'secondary',
      Status: 'in-use',
      RequesterManaged: false,
      PrivateIpAddress: eni.PrivateIpAddress,
      ...('Association' in eni && eni.Association ? { Association: eni.Association } : {}),
      Attachment: { InstanceId: instanceId, InstanceOwnerId: target.accountId, DeviceIndex: eni.Attachment.DeviceIndex, Status: 'attached' },
      Groups: eni.Groups,
      Ipv6Addresses: eni.Ipv6Addresses.map((a) => ({ Ipv6Address: a.Ipv6Address })),
      TagSet: [],
    };
    target.ec2.NetworkInterfaces.push(record);
  }
  if (options.managed ?? rng.chance(0.85)) {
    const info: InstanceInformation = {
      InstanceId: instanceId,
      PingStatus: rng.chance(0.9) ? 'Online' : 'ConnectionLost',
      LastPingDateTime: '2026-11-25T01:55:00Z',
      AgentVersion: '3.3.1142.0',
      PlatformType: windows ? 'Windows' : 'Linux',
      PlatformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Debian GNU/Linux',
      PlatformVersion: windows ? '10.0.20348' : '12',
      ResourceType: 'EC2Instance',
      ComputerName: `${instanceId}.internal`,
    };
    target.ssm.InstanceInformationList.push(info);
    if (options.managed ?? rng.chance(0.85)) target.ssm.Entities.push(inventoryOf(rng, instanceId, role));
  }
  return instanceId;
}

function inventoryOf(rng: Rng, instanceId: string, role: string | undefined): InventoryEntity {
  const data: NonNullable<InventoryEntity['Data']> = {};
  const applications: Record<string, string>[] = [];
  if (role === 'redis' && rng.chance(0.8)) {
    const version = rng.pick(REDIS_PACKAGE_VERSIONS);
    applications.push({ Name: rng.pick(['redis-server', 'redis', 'redis7']), Version: version, Publisher: 'Debian Redis Maintainers', ApplicationType: 'database', Architecture: 'amd64' });
  }
  if (role === 'outsystems-frontend' && rng.chance(0.85)) {
    applications.push({ Name: 'OutSystems Platform Server', Version: rng.pick(PLATFORM_SERVER_VERSIONS), Publisher: 'OutSystems', ApplicationType: '', Architecture: 'x86_64' });
  }
  applications.push({ Name: 'openssl', Version: '3.0.15-1~deb12u1', Publisher: 'Debian', ApplicationType: 'utils', Architecture: 'amd64' });
  data['AWS:Application'] = { TypeName: 'AWS:Application', SchemaVersion: '1.1', CaptureTime: '2026-11-25T01:30:00Z', Content: applications };
  if (role === 'redis' && rng.chance(0.7)) {
    const rows: Record<string, string>[] = [];
    const processes = rng.int(1, 2);
    for (let p = 0; p < processes; p++) {
      const mode = rng.pick(['cluster', 'cluster', 'standalone', 'sentinel']);
      rows.push({
        port: String(mode === 'sentinel' ? 26379 : 7000 + p),
        redis_version: rng.pick(REDIS_RUNNING_VERSIONS),
        redis_mode: mode,
        cluster_enabled: mode === 'cluster' ? '1' : '0',
        ...(mode === 'cluster' ? { cluster_state: rng.chance(0.85) ? 'ok' : 'fail', cluster_slots_assigned: rng.chance(0.85) ? '16384' : '0' } : {}),
      });
    }
    data['Custom:RedisServer'] = { TypeName: 'Custom:RedisServer', SchemaVersion: '1.0', CaptureTime: '2026-11-25T01:30:00Z', Content: rows };
  }
  return { Id: instanceId, Data: data };
}

/** A whole snapshot: one or two account-region targets. */
export function generateSnapshot(seed: number, size: number, options: GeneratorOptions = {}): Snapshot {
  const rng = new Rng(seed);
  const ids = new Ids();
  const targets: SnapshotTarget[] = [generateTarget(rng, size, ids, '111122223333', 'eu-west-1', options)];
  if (size > 2 && rng.chance(0.4)) targets.push(generateTarget(rng, size, ids, rng.pick(['111122223333', '444455556666']), 'us-east-1', options));
  return { format: SNAPSHOT_FORMAT, capturedAt: '2026-11-25T02:00:00Z', targets };
}

/**
 * Adds to `target` an environment that shares nothing the rules read with the others: its Redis
 * servers in a new subnet with their own group, its front-ends among existing front-ends (same
 * subnets and groups, which must not matter), an environment and cluster name no other uses.
 */
export function addUnrelatedEnvironment(rng: Rng, target: SnapshotTarget, ids: Ids, environment: string): void {
  const vpcId = target.ec2.Subnets[0]?.VpcId ?? ids.next('vpc');
  const vpcIndex = 7;
  const subnet: Subnet = { SubnetId: ids.next('subnet'), VpcId: vpcId, CidrBlock: `10.${vpcIndex}.${rng.int(0, 200)}.0/24`, AvailabilityZone: `${target.region}a`, MapPublicIpOnLaunch: false, AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], Tags: tagList({ Name: `unrelated-${environment}` }) };
  const frontendInstances = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === ROLE_KEY && t.Value === 'outsystems-frontend'));
  const redisSubnets = new Set<string>();
  for (const r of target.ec2.Reservations) for (const i of r.Instances ?? []) if (i.Tags?.some((t) => t.Key === ROLE_KEY && t.Value === 'redis')) for (const eni of i.NetworkInterfaces ?? []) if (eni.SubnetId) redisSubnets.add(eni.SubnetId);
  for (const s of target.ec2.Subnets) if (s.Tags?.some((t) => t.Key === ROLE_KEY && t.Value === 'redis')) redisSubnets.add(s.SubnetId);
  const frontendSubnets = [...new Set(frontendInstances.map((i) => i.SubnetId!))].filter((s) => !redisSubnets.has(s));
  const frontendGroups = [...new Set(frontendInstances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId!)))];
  const redisGroup: SecurityGroup = { GroupId: ids.next('sg'), GroupName: `redis-${environment}`, VpcId: vpcId, OwnerId: target.accountId, Description: 'unrelated', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }] };
  const frontendSubnet = frontendSubnets.length > 0 ? target.ec2.Subnets.find((s) => s.SubnetId === rng.pick(frontendSubnets))! : undefined;
  // The new Redis group admits the new front-ends by address range (a /28 of their subnet, or all of it).
  if (frontendSubnet) {
    const cidr = rng.chance(0.5) ? frontendSubnet.CidrBlock! : frontendSubnet.CidrBlock!.replace(/\.0\/24$/, '.0/28');
    redisGroup.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7001, IpRanges: [{ CidrIp: cidr }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
  }
  if (frontendGroups.length > 0 && rng.chance(0.5)) redisGroup.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7001, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: rng.pick(frontendGroups), UserId: target.accountId }] });
  target.ec2.Subnets.push(subnet);
  target.ec2.SecurityGroups.push(redisGroup);
  const acl = target.ec2.NetworkAcls.find((a) => a.VpcId === vpcId && a.IsDefault);
  acl?.Associations?.push({ NetworkAclAssociationId: ids.next('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnet.SubnetId });
  const vpc: VpcPlan = { vpcId, index: vpcIndex, subnets: [subnet], groups: [redisGroup] };
  // Types the estate already uses keep their records as they are (present or missing).
  const before = new Set<string>([...target.ec2.InstanceTypes.map((t) => t.InstanceType), ...target.ec2.Reservations.flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceType ?? ''))]);
  const usedTypes = new Set<string>(before);
  const hostByEnd = new Map<string, number>();
  // Hosts in the front-end subnets continue after the addresses already taken there.
  for (const i of frontendInstances) for (const eni of i.NetworkInterfaces ?? []) {
    const last = Number(eni.PrivateIpAddress?.split('.')[3] ?? 0);
    if (eni.SubnetId && last > (hostByEnd.get(eni.SubnetId) ?? 0)) hostByEnd.set(eni.SubnetId, Math.max(last, 150));
  }
  for (const s of frontendSubnets) hostByEnd.set(s, Math.max(hostByEnd.get(s) ?? 0, 150));
  const redisCount = rng.int(1, 3);
  for (let k = 0; k < redisCount; k++) addInstance(rng, target, [vpc], ids, { role: 'redis', usedTypes, hostByEnd, environment, cluster: undefined, subnet, vpc, groups: [redisGroup.GroupId] });
  if (frontendSubnet) {
    const vpcOfFrontend: VpcPlan = { vpcId: frontendSubnet.VpcId!, index: 0, subnets: [frontendSubnet], groups: target.ec2.SecurityGroups.filter((g) => g.VpcId === frontendSubnet.VpcId) };
    const groups = frontendGroups.length > 0 && rng.chance(0.7) ? [rng.pick(frontendGroups)] : undefined;
    const count = rng.int(1, 2);
    for (let k = 0; k < count; k++) addInstance(rng, target, [vpcOfFrontend], ids, { role: 'outsystems-frontend', usedTypes, hostByEnd, environment, subnet: frontendSubnet, vpc: vpcOfFrontend, ...(groups ? { groups } : {}) });
  }
  for (const type of usedTypes) {
    if (before.has(type)) continue;
    const known = (INSTANCE_TYPES as Record<string, (typeof INSTANCE_TYPES)[keyof typeof INSTANCE_TYPES]>)[type];
    if (known) target.ec2.InstanceTypes.push(structuredClone(known));
  }
}


/** fast-check arbitrary of the two numbers an estate is built from (printed on failure; shrinking makes the estate smaller). */
export function estateSeedArbitrary(maxSize = 6): fc.Arbitrary<{ seed: number; size: number }> {
  return fc.record({ seed: fc.integer({ min: 0, max: 0x7fffffff }), size: fc.integer({ min: 1, max: maxSize }) });
}

/** A random inbound rule for a group of `target`'s VPC `vpcId` (sources from that VPC's subnets and groups, sometimes public). */
export function randomPermission(rng: Rng, target: SnapshotTarget, vpcId: string | undefined, allowPublic: boolean): IpPermission {
  const subnets = target.ec2.Subnets.filter((s) => s.VpcId === vpcId && s.CidrBlock);
  const vpc: VpcPlan = { vpcId: vpcId ?? '', index: 0, subnets: subnets.length > 0 ? subnets : [{ SubnetId: 'subnet-none', CidrBlock: '10.0.0.0/24' }], groups: target.ec2.SecurityGroups.filter((g) => g.VpcId === vpcId) };
  return permission(rng, vpc, new Ids(0xe00000), allowPublic);
}
