/** The indexed view of one captured target (account x region) that every rule reads. */
import type {
  CloudWatchSection,
  CollectionError,
  InspectorSection,
  Instance,
  InstanceInformation,
  InstanceTypeInfo,
  InventoryEntity,
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  Subnet,
  Volume,
} from '../snapshot/schema';
import type { ScanConfig } from '../config';

export type ServerRole = 'redis' | 'frontend';

export interface Server {
  role: ServerRole;
  instance: Instance;
  instanceId: string;
  name: string | undefined;
  accountId: string;
  region: string;
  /** The environment tag value as found, or `(untagged)`. */
  environment: string;
  /** The environment tag value normalised for grouping (trimmed, lower case); '' when untagged. */
  environmentKey: string;
  environmentTagMissing: boolean;
  /** Production requirements apply (production value, or a Redis server with no environment tag). */
  production: boolean;
}

export interface RedisServer extends Server {
  role: 'redis';
  /** The cluster's name as reported (the same for every member: see RedisCluster.name). */
  cluster: string;
  /** The cluster's grouping key: the cluster tag value, or else the environment value, normalised (see group-key.ts). */
  clusterKey: string;
}

export interface RedisCluster {
  /** `<accountId>/<region>/<cluster key>` (the normalised name: stable whichever member's spelling is shown) */
  id: string;
  /** The members' tag value that names the cluster, trimmed; the first in sort order when members spell it differently. */
  name: string;
  /** The normalised value the members were grouped by. */
  key: string;
  accountId: string;
  region: string;
  environment: string;
  production: boolean;
  servers: RedisServer[];
}

export interface EstateTarget {
  accountId: string;
  region: string;
  config: ScanConfig;
  /**
   * Whether rules and analyzers may share verdicts between resources whose verdicts depend on the
   * same facts. False turns every such cache off: the property tests prove the findings are then
   * byte-identical, so the caches are an optimisation and never a semantic.
   */
  shareVerdicts: boolean;
  errors: CollectionError[];
  redisServers: RedisServer[];
  frontends: Server[];
  /** Every instance tagged as a front-end, in any state (a stopped front-end is still one when it starts). */
  frontendInstanceIds: ReadonlySet<string>;
  clusters: RedisCluster[];
  instancesById: ReadonlyMap<string, Instance>;
  instanceTypes: ReadonlyMap<string, InstanceTypeInfo>;
  subnets: ReadonlyMap<string, Subnet>;
  /** Subnets tagged with the Redis role or hosting a Redis server. */
  redisSubnetIds: ReadonlySet<string>;
  securityGroups: ReadonlyMap<string, SecurityGroup>;
  /** The CIDR entries of each managed prefix list read in full (a list whose read failed is absent). */
  prefixLists: ReadonlyMap<string, readonly string[]>;
  routeTables: ReadonlyMap<string, RouteTable>;
  networkAcls: ReadonlyMap<string, NetworkAcl>;
  volumesByInstance: ReadonlyMap<string, Volume[]>;
  networkInterfacesBySubnet: ReadonlyMap<string, NetworkInterface[]>;
  /** Redis server / front-end of an environment, by `environmentKey`. */
  frontendsByEnvironment: ReadonlyMap<string, Server[]>;
  ssmInformation: ReadonlyMap<string, InstanceInformation>;
  inventory: ReadonlyMap<string, InventoryEntity>;
  /** CloudWatch metrics as captured; undefined in snapshots taken without them. */
  cloudwatch: CloudWatchSection | undefined;
  /** Amazon Inspector findings and coverage as captured; undefined in snapshots taken without them. */
  inspector: InspectorSection | undefined;
  /** The route table that governs a subnet: its explicit association, else its VPC's main table. */
  routeTableForSubnet(subnetId: string): RouteTable | undefined;
  /** The network ACL associated with a subnet (every subnet has exactly one). */
  networkAclForSubnet(subnetId: string): NetworkAcl | undefined;
  /** The first collection error of one of these `service:Operation` names, if any. */
  errorFor(...operations: string[]): CollectionError | undefined;
}
