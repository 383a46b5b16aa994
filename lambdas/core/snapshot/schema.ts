/**
 * The snapshot format `redis-compliance/snapshot@1`: what the collectors write and the engine reads.
 * Each array holds items exactly as the AWS API returns them (SDK v3 output shapes, PascalCase,
 * dates as ISO strings). The schemas name the fields the engine reads and keep every other field
 * (loose objects), so a snapshot written by another tool round-trips without loss.
 */
import * as z from 'zod/mini';
import '../zod-messages';

export const SNAPSHOT_FORMAT = 'redis-compliance/snapshot@1';

const str = z.string();
const optStr = z.optional(z.string());

/** Unicode characters (code points), counted only when the UTF-16 length is over the limit. */
function atMostCharacters(limit: number): (text: string) => boolean {
  return (text) => text.length <= limit || Array.from(text).length <= limit;
}

/**
 * AWS's own length limits, so a snapshot AWS could not have written is rejected with the path:
 * a tag key has at most 128 and a tag value at most 256 Unicode characters (EC2 User Guide, "Tag
 * restrictions"). A resource id is its prefix and 8 or 17 hexadecimal characters (EC2 User Guide,
 * "Resource IDs"): 64 leaves room for every prefix. Other strings have the reader's general limit
 * (reader-limits.ts).
 */
export const TAG_KEY_MAX_CHARACTERS = 128;
export const TAG_VALUE_MAX_CHARACTERS = 256;
export const RESOURCE_ID_MAX_CHARACTERS = 64;
const resourceId = z.string().check(z.maxLength(RESOURCE_ID_MAX_CHARACTERS, `a resource id has at most ${RESOURCE_ID_MAX_CHARACTERS} characters`));
const optBool = z.optional(z.boolean());
const optNum = z.optional(z.number());

export const TagSchema = z.looseObject({
  Key: z.optional(z.string().check(z.refine(atMostCharacters(TAG_KEY_MAX_CHARACTERS), `an AWS tag key has at most ${TAG_KEY_MAX_CHARACTERS} characters`))),
  Value: z.optional(z.string().check(z.refine(atMostCharacters(TAG_VALUE_MAX_CHARACTERS), `an AWS tag value has at most ${TAG_VALUE_MAX_CHARACTERS} characters`))),
});
const Tags = z.optional(z.array(TagSchema));

const GroupIdentifier = z.looseObject({ GroupId: optStr, GroupName: optStr });

const IpAssociation = z.looseObject({ PublicIp: optStr, IpOwnerId: optStr, PublicDnsName: optStr, CarrierIp: optStr });

export const InstanceNetworkInterfaceSchema = z.looseObject({
  NetworkInterfaceId: optStr,
  SubnetId: optStr,
  VpcId: optStr,
  PrivateIpAddress: optStr,
  Association: z.optional(IpAssociation),
  PrivateIpAddresses: z.optional(z.array(z.looseObject({ PrivateIpAddress: optStr, Primary: optBool, Association: z.optional(IpAssociation) }))),
  Ipv6Addresses: z.optional(z.array(z.looseObject({ Ipv6Address: optStr, IsPrimaryIpv6: optBool }))),
  Groups: z.optional(z.array(GroupIdentifier)),
  Attachment: z.optional(z.looseObject({ DeviceIndex: optNum, NetworkCardIndex: optNum, Status: optStr, AttachmentId: optStr })),
  InterfaceType: optStr,
});

export const InstanceSchema = z.looseObject({
  InstanceId: resourceId,
  InstanceType: optStr,
  State: z.optional(z.looseObject({ Name: optStr, Code: optNum })),
  SubnetId: optStr,
  VpcId: optStr,
  PrivateIpAddress: optStr,
  PublicIpAddress: optStr,
  Ipv6Address: optStr,
  Platform: optStr,
  PlatformDetails: optStr,
  Tags,
  SecurityGroups: z.optional(z.array(GroupIdentifier)),
  NetworkInterfaces: z.optional(z.array(InstanceNetworkInterfaceSchema)),
  BlockDeviceMappings: z.optional(z.array(z.looseObject({ DeviceName: optStr, Ebs: z.optional(z.looseObject({ VolumeId: optStr, Status: optStr })) }))),
  CpuOptions: z.optional(z.looseObject({ CoreCount: optNum, ThreadsPerCore: optNum })),
});

export const ReservationSchema = z.looseObject({
  ReservationId: optStr,
  OwnerId: optStr,
  Instances: z.optional(z.array(InstanceSchema)),
});

export const InstanceTypeSchema = z.looseObject({
  InstanceType: str,
  CurrentGeneration: optBool,
  BurstablePerformanceSupported: optBool,
  InstanceStorageSupported: optBool,
  VCpuInfo: z.optional(z.looseObject({ DefaultVCpus: optNum, DefaultCores: optNum, DefaultThreadsPerCore: optNum })),
  ProcessorInfo: z.optional(z.looseObject({ SustainedClockSpeedInGhz: optNum, SupportedArchitectures: z.optional(z.array(z.string())), Manufacturer: optStr })),
  MemoryInfo: z.optional(z.looseObject({ SizeInMiB: optNum })),
  NetworkInfo: z.optional(z.looseObject({
    NetworkPerformance: optStr,
    NetworkCards: z.optional(z.array(z.looseObject({ NetworkCardIndex: optNum, NetworkPerformance: optStr, BaselineBandwidthInGbps: optNum, PeakBandwidthInGbps: optNum }))),
  })),
  InstanceStorageInfo: z.optional(z.looseObject({ TotalSizeInGB: optNum })),
});

export const SubnetSchema = z.looseObject({
  SubnetId: resourceId,
  VpcId: optStr,
  CidrBlock: optStr,
  AvailabilityZone: optStr,
  MapPublicIpOnLaunch: optBool,
  AssignIpv6AddressOnCreation: optBool,
  MapCustomerOwnedIpOnLaunch: optBool,
  Ipv6CidrBlockAssociationSet: z.optional(z.array(z.looseObject({ Ipv6CidrBlock: optStr, Ipv6CidrBlockState: z.optional(z.looseObject({ State: optStr })) }))),
  Tags,
});

export const RouteSchema = z.looseObject({
  DestinationCidrBlock: optStr,
  DestinationIpv6CidrBlock: optStr,
  DestinationPrefixListId: optStr,
  GatewayId: optStr,
  EgressOnlyInternetGatewayId: optStr,
  NatGatewayId: optStr,
  TransitGatewayId: optStr,
  VpcPeeringConnectionId: optStr,
  NetworkInterfaceId: optStr,
  InstanceId: optStr,
  LocalGatewayId: optStr,
  CarrierGatewayId: optStr,
  CoreNetworkArn: optStr,
  State: optStr,
  Origin: optStr,
});

export const RouteTableSchema = z.looseObject({
  RouteTableId: resourceId,
  VpcId: optStr,
  Associations: z.optional(z.array(z.looseObject({ Main: optBool, SubnetId: optStr, GatewayId: optStr, RouteTableAssociationId: optStr, AssociationState: z.optional(z.looseObject({ State: optStr })) }))),
  Routes: z.optional(z.array(RouteSchema)),
  Tags,
});

export const IpPermissionSchema = z.looseObject({
  IpProtocol: optStr,
  FromPort: optNum,
  ToPort: optNum,
  IpRanges: z.optional(z.array(z.looseObject({ CidrIp: optStr, Description: optStr }))),
  Ipv6Ranges: z.optional(z.array(z.looseObject({ CidrIpv6: optStr, Description: optStr }))),
  PrefixListIds: z.optional(z.array(z.looseObject({ PrefixListId: optStr, Description: optStr }))),
  UserIdGroupPairs: z.optional(z.array(z.looseObject({ GroupId: optStr, UserId: optStr, VpcId: optStr, VpcPeeringConnectionId: optStr, PeeringStatus: optStr, Description: optStr }))),
});

export const SecurityGroupSchema = z.looseObject({
  GroupId: resourceId,
  GroupName: optStr,
  VpcId: optStr,
  OwnerId: optStr,
  Description: optStr,
  IpPermissions: z.optional(z.array(IpPermissionSchema)),
  IpPermissionsEgress: z.optional(z.array(IpPermissionSchema)),
  Tags,
});

export const NetworkAclEntrySchema = z.looseObject({
  RuleNumber: optNum,
  Protocol: optStr,
  RuleAction: optStr,
  Egress: optBool,
  CidrBlock: optStr,
  Ipv6CidrBlock: optStr,
  PortRange: z.optional(z.looseObject({ From: optNum, To: optNum })),
  IcmpTypeCode: z.optional(z.looseObject({ Code: optNum, Type: optNum })),
});

export const NetworkAclSchema = z.looseObject({
  NetworkAclId: resourceId,
  VpcId: optStr,
  IsDefault: optBool,
  Associations: z.optional(z.array(z.looseObject({ NetworkAclAssociationId: optStr, NetworkAclId: optStr, SubnetId: optStr }))),
  Entries: z.optional(z.array(NetworkAclEntrySchema)),
  Tags,
});

export const VolumeSchema = z.looseObject({
  VolumeId: resourceId,
  Size: optNum,
  VolumeType: optStr,
  State: optStr,
  Attachments: z.optional(z.array(z.looseObject({ InstanceId: optStr, Device: optStr, State: optStr, VolumeId: optStr }))),
});

export const NetworkInterfaceSchema = z.looseObject({
  NetworkInterfaceId: resourceId,
  SubnetId: optStr,
  VpcId: optStr,
  InterfaceType: optStr,
  Description: optStr,
  Status: optStr,
  RequesterId: optStr,
  RequesterManaged: optBool,
  PrivateIpAddress: optStr,
  Association: z.optional(IpAssociation),
  Attachment: z.optional(z.looseObject({ InstanceId: optStr, InstanceOwnerId: optStr, DeviceIndex: optNum, Status: optStr })),
  Groups: z.optional(z.array(GroupIdentifier)),
  Ipv6Addresses: z.optional(z.array(z.looseObject({ Ipv6Address: optStr }))),
  TagSet: Tags,
});

export const InstanceInformationSchema = z.looseObject({
  InstanceId: resourceId,
  PingStatus: optStr,
  LastPingDateTime: optStr,
  AgentVersion: optStr,
  PlatformType: optStr,
  PlatformName: optStr,
  PlatformVersion: optStr,
  ResourceType: optStr,
  ComputerName: optStr,
});

/**
 * One inventory entity in GetInventory's entity shape: `Id` is the instance id, `Data` maps an
 * inventory type name to its content. The collectors assemble it from ListInventoryEntries answers.
 */
export const InventoryEntitySchema = z.looseObject({
  Id: resourceId,
  Data: z.optional(z.record(
    z.string(),
    z.looseObject({
      TypeName: optStr,
      SchemaVersion: optStr,
      CaptureTime: optStr,
      ContentHash: optStr,
      Content: z.optional(z.array(z.record(z.string(), z.string()))),
    }),
  )),
});

/**
 * CloudWatch GetMetricData, as sent and as answered: `MetricDataQueries` are the queries the
 * collector sent (one per Redis server and metric), `MetricDataResults` the results of every page
 * joined by query `Id` (Timestamps as ISO strings, Values in the metric's unit). Optional: a
 * snapshot without it still loads, and the rules that need metrics say UNKNOWN.
 */
export const MetricDataQuerySchema = z.looseObject({
  Id: str,
  MetricStat: z.optional(z.looseObject({
    Metric: z.looseObject({ Namespace: optStr, MetricName: optStr, Dimensions: z.optional(z.array(z.looseObject({ Name: str, Value: str }))) }),
    Period: z.number().check(z.int(), z.positive()),
    Stat: str,
    Unit: optStr,
  })),
  ReturnData: optBool,
});

export const MetricDataResultSchema = z.looseObject({
  Id: str,
  Label: optStr,
  StatusCode: optStr,
  Timestamps: z.array(z.string()),
  Values: z.array(z.number()),
  Messages: z.optional(z.array(z.looseObject({ Code: optStr, Value: optStr }))),
}).check(z.refine((r) => r.Timestamps.length === r.Values.length, 'Timestamps and Values must have the same length'));

export const CloudWatchSectionSchema = z.looseObject({
  StartTime: z.iso.datetime({ offset: true }),
  EndTime: z.iso.datetime({ offset: true }),
  MetricDataQueries: z.array(MetricDataQuerySchema),
  MetricDataResults: z.array(MetricDataResultSchema),
});

/**
 * The entries of one managed prefix list that a security group rule or a route names: the
 * `Entries` of its GetManagedPrefixListEntries answers joined over pages (PrefixListEntry: Cidr,
 * Description). A list is recorded only when every page was read; a list that could not be read is
 * absent and its read is in `errors`.
 */
export const ManagedPrefixListSchema = z.looseObject({
  PrefixListId: str,
  Entries: z.array(z.looseObject({ Cidr: optStr, Description: optStr })),
});

/**
 * Amazon Inspector (inspector2) as answered, in the API's own camelCase member names (the SDK model
 * aws-sdk-js-v3 codegen/sdk-codegen/aws-models/inspector2.json; rest-json, timestamps stored as ISO
 * strings): the open package findings of the Redis servers' Redis packages (ListFindings, every
 * page) and the coverage of those instances (ListCoverage, every page). `instanceIds` and
 * `packageNames` are what the collector asked about. Optional: without it, redis.known-vulnerabilities
 * says UNKNOWN.
 */
const InspectorVulnerablePackageSchema = z.looseObject({ name: optStr, version: optStr, release: optStr, epoch: optNum, arch: optStr, packageManager: optStr, fixedInVersion: optStr, remediation: optStr });
export const InspectorFindingSchema = z.looseObject({
  findingArn: optStr,
  awsAccountId: optStr,
  type: optStr,
  title: optStr,
  severity: optStr,
  status: optStr,
  fixAvailable: optStr,
  exploitAvailable: optStr,
  inspectorScore: optNum,
  firstObservedAt: optStr,
  lastObservedAt: optStr,
  updatedAt: optStr,
  resources: z.optional(z.array(z.looseObject({ id: optStr, type: optStr, region: optStr }))),
  packageVulnerabilityDetails: z.optional(z.looseObject({
    vulnerabilityId: optStr,
    source: optStr,
    vendorSeverity: optStr,
    relatedVulnerabilities: z.optional(z.array(z.string())),
    vulnerablePackages: z.optional(z.array(InspectorVulnerablePackageSchema)),
  })),
  remediation: z.optional(z.looseObject({ recommendation: z.optional(z.looseObject({ text: optStr, Url: optStr })) })),
});
export const InspectorCoveredResourceSchema = z.looseObject({
  resourceId: optStr,
  resourceType: optStr,
  accountId: optStr,
  scanType: optStr,
  scanMode: optStr,
  lastScannedAt: optStr,
  scanStatus: z.optional(z.looseObject({ statusCode: optStr, reason: optStr })),
});
export const InspectorSectionSchema = z.looseObject({
  instanceIds: z.array(z.string()),
  packageNames: z.array(z.string()),
  findings: z.array(InspectorFindingSchema),
  coveredResources: z.array(InspectorCoveredResourceSchema),
});

export const CollectionErrorSchema = z.looseObject({
  service: str,
  operation: str,
  code: str,
  message: str,
});

export const TargetSchema = z.looseObject({
  accountId: z.string().check(z.regex(/^\d{12}$/, 'an AWS account id has 12 digits')),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name such as eu-west-1')),
  ec2: z.looseObject({
    Reservations: z.array(ReservationSchema),
    InstanceTypes: z.array(InstanceTypeSchema),
    Subnets: z.array(SubnetSchema),
    RouteTables: z.array(RouteTableSchema),
    SecurityGroups: z.array(SecurityGroupSchema),
    NetworkAcls: z.array(NetworkAclSchema),
    Volumes: z.array(VolumeSchema),
    NetworkInterfaces: z.array(NetworkInterfaceSchema),
  }),
  ssm: z.looseObject({
    InstanceInformationList: z.array(InstanceInformationSchema),
    Entities: z.array(InventoryEntitySchema),
  }),
  /** Entries of the managed prefix lists the groups and routes name (optional; see ManagedPrefixListSchema). */
  managedPrefixLists: z.optional(z.array(ManagedPrefixListSchema)),
  /** CloudWatch metrics of the Redis servers (optional; see CloudWatchSectionSchema). */
  cloudwatch: z.optional(CloudWatchSectionSchema),
  /** Amazon Inspector findings and coverage of the Redis servers (optional; see InspectorSectionSchema). */
  inspector: z.optional(InspectorSectionSchema),
  errors: z._default(z.array(CollectionErrorSchema), []),
  /** API calls made to capture this target, by `service:Operation` (written by the live collectors). */
  apiCalls: z.optional(z.record(z.string(), z.number().check(z.int(), z.nonnegative()))),
});

export const SnapshotSchema = z.looseObject({
  format: z.literal(SNAPSHOT_FORMAT),
  capturedAt: z.iso.datetime({ offset: true }),
  targets: z.array(TargetSchema),
});

export type Tag = z.infer<typeof TagSchema>;
export type Instance = z.infer<typeof InstanceSchema>;
export type InstanceNetworkInterface = z.infer<typeof InstanceNetworkInterfaceSchema>;
export type Reservation = z.infer<typeof ReservationSchema>;
export type InstanceTypeInfo = z.infer<typeof InstanceTypeSchema>;
export type Subnet = z.infer<typeof SubnetSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteTable = z.infer<typeof RouteTableSchema>;
export type IpPermission = z.infer<typeof IpPermissionSchema>;
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;
export type NetworkAclEntry = z.infer<typeof NetworkAclEntrySchema>;
export type NetworkAcl = z.infer<typeof NetworkAclSchema>;
export type Volume = z.infer<typeof VolumeSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type InstanceInformation = z.infer<typeof InstanceInformationSchema>;
export type InventoryEntity = z.infer<typeof InventoryEntitySchema>;
export type CollectionError = z.infer<typeof CollectionErrorSchema>;
export type MetricDataQuery = z.infer<typeof MetricDataQuerySchema>;
export type MetricDataResult = z.infer<typeof MetricDataResultSchema>;
export type CloudWatchSection = z.infer<typeof CloudWatchSectionSchema>;
export type ManagedPrefixList = z.infer<typeof ManagedPrefixListSchema>;
export type InspectorFinding = z.infer<typeof InspectorFindingSchema>;
export type InspectorCoveredResource = z.infer<typeof InspectorCoveredResourceSchema>;
export type InspectorSection = z.infer<typeof InspectorSectionSchema>;
export type SnapshotTarget = z.infer<typeof TargetSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
/** What a collector or another tool may write: `errors` may be left out. */
export type SnapshotInput = z.input<typeof SnapshotSchema>;
