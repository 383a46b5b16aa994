/**
 * Builds snapshot targets in the exact shapes the AWS APIs return, for tests.
 *
 * `compliantEstate()` gives a baseline where every rule passes: a production Redis Cluster of three
 * m5.xlarge servers in their own private subnet, two front-ends in another subnet, security groups
 * that open 7000-7001 from the front-ends' group only, default network ACLs, SSM online with
 * Redis 7.0.15 and Platform Server 11.23 in inventory. A test changes one thing and asserts one rule.
 * The high-availability and capacity rules (cluster.failover, cluster.membership, cluster.zone-spread,
 * capacity.*) and the Redis posture rules (redis.authentication, redis.scripting-exposure,
 * redis.dangerous-commands) need more evidence than this baseline has (one zone, no probe rows, no
 * metrics): use highlyAvailableEstate() (highly-available-estate.ts) where every rule must pass.
 * Amazon Inspector scans the Redis servers and reports nothing (redis.known-vulnerabilities passes).
 */
import { SNAPSHOT_FORMAT, type CollectionError, type Instance, type InstanceInformation, type InventoryEntity, type IpPermission, type NetworkAcl, type NetworkAclEntry, type NetworkInterface, type Route, type RouteTable, type SecurityGroup, type Snapshot, type SnapshotTarget, type Subnet, type Tag, type Volume } from '../../lambdas/core/snapshot/schema';
import { INSTANCE_TYPES, type KnownInstanceType } from './instance-types';
import { INSPECTOR_REDIS_PACKAGES } from '../../lambdas/adapters/collectors/inspector-collector';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const VPC = 'vpc-0a1b2c3d4e5f60001';

export interface InstanceSpec {
  id: string;
  type?: KnownInstanceType | string;
  subnetId: string;
  privateIp: string;
  tags?: Record<string, string>;
  state?: string;
  securityGroupIds?: string[];
  publicIp?: string;
  ipv6?: string[];
  /** EBS volume sizes in GiB; default one 20 GiB root volume. */
  volumeSizes?: number[];
  platform?: 'windows';
}

export function tags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** TCP permission for a port range from CIDRs / groups, as DescribeSecurityGroups returns it. */
export function tcpPermission(fromPort: number, toPort: number, sources: { cidrs?: string[]; ipv6Cidrs?: string[]; groupIds?: string[]; prefixListIds?: string[] }): IpPermission {
  return {
    IpProtocol: 'tcp',
    FromPort: fromPort,
    ToPort: toPort,
    IpRanges: (sources.cidrs ?? []).map((CidrIp) => ({ CidrIp })),
    Ipv6Ranges: (sources.ipv6Cidrs ?? []).map((CidrIpv6) => ({ CidrIpv6 })),
    PrefixListIds: (sources.prefixListIds ?? []).map((PrefixListId) => ({ PrefixListId })),
    UserIdGroupPairs: (sources.groupIds ?? []).map((GroupId) => ({ GroupId, UserId: ACCOUNT })),
  };
}

/** The "all traffic to anywhere" egress rule every new security group has. */
export const ALLOW_ALL_EGRESS: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };

/** The entries of a default network ACL: allow all (100) then the implicit deny (*), both ways. */
export function defaultAclEntries(): NetworkAclEntry[] {
  return [
    { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
  ];
}

export class EstateBuilder {
  readonly target: SnapshotTarget;
  private eniCounter = 0;
  private volumeCounter = 0;

  constructor(accountId = ACCOUNT, region = REGION) {
    this.target = {
      accountId,
      region,
      ec2: { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] },
      ssm: { InstanceInformationList: [], Entities: [] },
      errors: [],
    };
  }

  subnet(id: string, cidr: string, options: { tags?: Record<string, string>; mapPublicIpOnLaunch?: boolean; vpcId?: string; ipv6Cidr?: string } = {}): this {
    const subnet: Subnet = {
      SubnetId: id,
      VpcId: options.vpcId ?? VPC,
      CidrBlock: cidr,
      AvailabilityZone: `${this.target.region}a`,
      MapPublicIpOnLaunch: options.mapPublicIpOnLaunch ?? false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: options.ipv6Cidr ? [{ Ipv6CidrBlock: options.ipv6Cidr, Ipv6CidrBlockState: { State: 'associated' } }] : [],
      Tags: tags(options.tags ?? {}),
    };
    this.target.ec2.Subnets.push(subnet);
    return this;
  }

  /** A route table; `main: true` makes it the VPC's main table. Routes get State active. */
  routeTable(id: string, options: { subnetIds?: string[]; main?: boolean; routes?: Route[]; vpcId?: string; vpcCidr?: string } = {}): this {
    const vpcId = options.vpcId ?? VPC;
    const table: RouteTable = {
      RouteTableId: id,
      VpcId: vpcId,
      Associations: [
        ...(options.main ? [{ Main: true, RouteTableId: id, RouteTableAssociationId: `rtbassoc-main-${id}`, AssociationState: { State: 'associated' } }] : []),
        ...(options.subnetIds ?? []).map((SubnetId) => ({ Main: false, SubnetId, RouteTableId: id, RouteTableAssociationId: `rtbassoc-${SubnetId}`, AssociationState: { State: 'associated' } })),
      ],
      Routes: [
        { DestinationCidrBlock: options.vpcCidr ?? '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
        ...(options.routes ?? []).map((r) => ({ Origin: 'CreateRoute', State: 'active', ...r })),
      ],
      Tags: [],
    };
    this.target.ec2.RouteTables.push(table);
    return this;
  }

  networkAcl(id: string, options: { subnetIds: string[]; entries?: NetworkAclEntry[]; isDefault?: boolean; vpcId?: string }): this {
    const acl: NetworkAcl = {
      NetworkAclId: id,
      VpcId: options.vpcId ?? VPC,
      IsDefault: options.isDefault ?? false,
      Associations: options.subnetIds.map((SubnetId) => ({ NetworkAclAssociationId: `aclassoc-${SubnetId}`, NetworkAclId: id, SubnetId })),
      Entries: options.entries ?? defaultAclEntries(),
      Tags: [],
    };
    this.target.ec2.NetworkAcls.push(acl);
    return this;
  }

  securityGroup(id: string, options: { ingress?: IpPermission[]; egress?: IpPermission[]; name?: string; vpcId?: string } = {}): this {
    const group: SecurityGroup = {
      GroupId: id,
      GroupName: options.name ?? id,
      Description: `test group ${id}`,
      VpcId: options.vpcId ?? VPC,
      OwnerId: this.target.accountId,
      IpPermissions: options.ingress ?? [],
      IpPermissionsEgress: options.egress ?? [ALLOW_ALL_EGRESS],
      Tags: [],
    };
    this.target.ec2.SecurityGroups.push(group);
    return this;
  }

  /** Adds the instance (in its own reservation), its type record, its primary ENI and its volumes. */
  instance(spec: InstanceSpec): this {
    const type = spec.type ?? 'm5.xlarge';
    const subnet = this.target.ec2.Subnets.find((s) => s.SubnetId === spec.subnetId);
    const vpcId = subnet?.VpcId ?? VPC;
    const eniId = `eni-${String(++this.eniCounter).padStart(17, '0')}`;
    const groups = (spec.securityGroupIds ?? []).map((GroupId) => ({ GroupId, GroupName: GroupId }));
    const association = spec.publicIp ? { PublicIp: spec.publicIp, IpOwnerId: 'amazon', PublicDnsName: `ec2-${spec.publicIp.replaceAll('.', '-')}.compute.amazonaws.com` } : undefined;
    const volumes: Volume[] = (spec.volumeSizes ?? [20]).map((Size, index) => ({
      VolumeId: `vol-${String(++this.volumeCounter).padStart(17, '0')}`,
      Size,
      VolumeType: 'gp3',
      State: 'in-use',
      Attachments: [{ InstanceId: spec.id, Device: index === 0 ? '/dev/xvda' : `/dev/xvd${String.fromCharCode(98 + index)}`, State: 'attached', VolumeId: '' }],
    }));
    for (const v of volumes) v.Attachments![0]!.VolumeId = v.VolumeId;
    const instance: Instance = {
      InstanceId: spec.id,
      InstanceType: type,
      State: { Code: spec.state === 'stopped' ? 80 : 16, Name: spec.state ?? 'running' },
      SubnetId: spec.subnetId,
      VpcId: vpcId,
      PrivateIpAddress: spec.privateIp,
      ...(spec.publicIp ? { PublicIpAddress: spec.publicIp } : {}),
      ...(spec.ipv6?.[0] ? { Ipv6Address: spec.ipv6[0] } : {}),
      ...(spec.platform ? { Platform: spec.platform, PlatformDetails: 'Windows' } : { PlatformDetails: 'Linux/UNIX' }),
      Tags: tags(spec.tags ?? {}),
      SecurityGroups: groups,
      BlockDeviceMappings: volumes.map((v) => ({ DeviceName: v.Attachments![0]!.Device, Ebs: { VolumeId: v.VolumeId, Status: 'attached' } })),
      NetworkInterfaces: [
        {
          NetworkInterfaceId: eniId,
          SubnetId: spec.subnetId,
          VpcId: vpcId,
          PrivateIpAddress: spec.privateIp,
          ...(association ? { Association: association } : {}),
          PrivateIpAddresses: [{ PrivateIpAddress: spec.privateIp, Primary: true, ...(association ? { Association: association } : {}) }],
          Ipv6Addresses: (spec.ipv6 ?? []).map((Ipv6Address) => ({ Ipv6Address })),
          Groups: groups,
          Attachment: { AttachmentId: `eni-attach-${eniId.slice(4)}`, DeviceIndex: 0, NetworkCardIndex: 0, Status: 'attached' },
          InterfaceType: 'interface',
        },
      ],
    };
    this.target.ec2.Reservations.push({ ReservationId: `r-${spec.id.slice(2)}`, OwnerId: this.target.accountId, Instances: [instance] });
    const known = (INSTANCE_TYPES as Record<string, (typeof INSTANCE_TYPES)[KnownInstanceType]>)[type];
    if (known && !this.target.ec2.InstanceTypes.some((t) => t.InstanceType === type)) this.target.ec2.InstanceTypes.push(structuredClone(known));
    this.target.ec2.Volumes.push(...volumes);
    const eni: NetworkInterface = {
      NetworkInterfaceId: eniId,
      SubnetId: spec.subnetId,
      VpcId: vpcId,
      InterfaceType: 'interface',
      Description: 'Primary network interface',
      Status: 'in-use',
      RequesterManaged: false,
      PrivateIpAddress: spec.privateIp,
      ...(association ? { Association: association } : {}),
      Attachment: { InstanceId: spec.id, InstanceOwnerId: this.target.accountId, DeviceIndex: 0, Status: 'attached' },
      Groups: groups,
      Ipv6Addresses: (spec.ipv6 ?? []).map((Ipv6Address) => ({ Ipv6Address })),
      TagSet: [],
    };
    this.target.ec2.NetworkInterfaces.push(eni);
    return this;
  }

  /** A network interface that belongs to no instance of ours (a NAT gateway, a Lambda, an RDS). */
  foreignNetworkInterface(eni: Partial<NetworkInterface> & { NetworkInterfaceId: string; SubnetId: string }): this {
    this.target.ec2.NetworkInterfaces.push({ VpcId: VPC, Status: 'in-use', InterfaceType: 'interface', ...eni });
    return this;
  }

  ssmOnline(instanceId: string, information: Partial<InstanceInformation> = {}): this {
    this.target.ssm.InstanceInformationList.push({
      InstanceId: instanceId,
      PingStatus: 'Online',
      LastPingDateTime: '2026-11-25T01:58:12.000Z',
      AgentVersion: '3.3.1142.0',
      PlatformType: 'Linux',
      PlatformName: 'Debian GNU/Linux',
      PlatformVersion: '12',
      ResourceType: 'EC2Instance',
      ComputerName: `${instanceId}.eu-west-1.compute.internal`,
      ...information,
    });
    return this;
  }

  /** Inventory entity (GetInventory's shape) with AWS:Application rows (and Custom:RedisServer rows when given). */
  inventory(instanceId: string, applications: Array<Record<string, string>>, redisServer?: Record<string, string>): this {
    const entity: InventoryEntity = {
      Id: instanceId,
      Data: {
        'AWS:Application': { TypeName: 'AWS:Application', SchemaVersion: '1.1', CaptureTime: '2026-11-25T01:30:00Z', Content: applications },
        ...(redisServer ? { 'Custom:RedisServer': { TypeName: 'Custom:RedisServer', SchemaVersion: '1.0', CaptureTime: '2026-11-25T01:30:00Z', Content: [redisServer] } } : {}),
      },
    };
    this.target.ssm.Entities.push(entity);
    return this;
  }

  error(error: CollectionError): this {
    this.target.errors.push(error);
    return this;
  }

  /** Applies any direct change to the raw target (e.g. delete a record) and keeps chaining. */
  mutate(change: (target: SnapshotTarget) => void): this {
    change(this.target);
    return this;
  }

  snapshot(): Snapshot {
    return { format: SNAPSHOT_FORMAT, capturedAt: '2026-11-25T02:00:00.000Z', targets: [this.target] };
  }
}

/** A Debian Redis package row as AWS:Application inventory reports it. */
export function redisPackage(version = '5:7.0.15-1~deb12u1'): Record<string, string> {
  return { Name: 'redis-server', Version: version, Publisher: 'Debian Redis Maintainers <team+redis@tracker.debian.org>', ApplicationType: 'database', Architecture: 'amd64', PackageId: `redis-server_${version}_amd64.deb`, Summary: 'Persistent key-value database with network interface' };
}

/** The OutSystems Platform Server row as AWS:Application inventory reports it on Windows. */
export function platformServerPackage(version = '11.23.0.41350'): Record<string, string> {
  return { Name: 'OutSystems Platform Server', Version: version, Publisher: 'OutSystems', ApplicationType: '', Architecture: 'x86_64', InstalledTime: '2026-10-02T00:00:00Z' };
}

export const REDIS_IDS = ['i-0aaa00000000000a1', 'i-0aaa00000000000a2', 'i-0aaa00000000000a3'] as const;
export const FRONTEND_IDS = ['i-0fff00000000000f1', 'i-0fff00000000000f2'] as const;
export const REDIS_SUBNET = 'subnet-0redis0000000001';
export const FRONTEND_SUBNET = 'subnet-0front0000000001';
export const REDIS_SG = 'sg-0redis00000000001';
export const FRONTEND_SG = 'sg-0front00000000001';

/** The baseline where every rule passes (see the file comment). */
export function compliantEstate(): EstateBuilder {
  const b = new EstateBuilder()
    .subnet(REDIS_SUBNET, '10.0.1.0/24', { tags: { Role: 'redis', Name: 'redis-prod' } })
    .subnet(FRONTEND_SUBNET, '10.0.2.0/24', { tags: { Name: 'outsystems-prod' } })
    .routeTable('rtb-0main000000000001', { main: true, routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0abc0000000000001' }] })
    .networkAcl('acl-0default00000001', { subnetIds: [REDIS_SUBNET, FRONTEND_SUBNET], isDefault: true })
    .securityGroup(REDIS_SG, { name: 'redis-cluster', ingress: [tcpPermission(7000, 7001, { groupIds: [FRONTEND_SG, REDIS_SG] }), tcpPermission(17000, 17001, { groupIds: [REDIS_SG] })] })
    .securityGroup(FRONTEND_SG, { name: 'outsystems-frontends', ingress: [tcpPermission(443, 443, { cidrs: ['10.0.0.0/16'] })] });
  REDIS_IDS.forEach((id, i) => {
    b.instance({ id, type: 'm5.xlarge', subnetId: REDIS_SUBNET, privateIp: `10.0.1.${11 + i}`, securityGroupIds: [REDIS_SG], tags: { Name: `redis-prod-${i + 1}`, Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } })
      .ssmOnline(id)
      .inventory(id, [redisPackage()], { redis_version: '7.0.15', redis_mode: 'cluster', cluster_enabled: '1' });
  });
  // Amazon Inspector scans every Redis server and has no finding for its Redis packages.
  b.mutate((t) => (t.inspector = { instanceIds: [...REDIS_IDS], packageNames: [...INSPECTOR_REDIS_PACKAGES], findings: [], coveredResources: REDIS_IDS.map((id) => ({ accountId: t.accountId, resourceId: id, resourceType: 'AWS_EC2_INSTANCE', scanType: 'PACKAGE', scanMode: 'EC2_SSM_AGENT_BASED', lastScannedAt: '2026-11-24T22:10:00.000Z', scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' } })) }));
  FRONTEND_IDS.forEach((id, i) => {
    b.instance({ id, type: 'm5.xlarge', subnetId: FRONTEND_SUBNET, privateIp: `10.0.2.${21 + i}`, securityGroupIds: [FRONTEND_SG], platform: 'windows', volumeSizes: [100], tags: { Name: `os-fe-${i + 1}`, Role: 'outsystems-frontend', Environment: 'Production' } })
      .ssmOnline(id, { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' })
      .inventory(id, [platformServerPackage()]);
  });
  return b;
}
