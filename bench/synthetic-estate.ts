/**
 * A synthetic estate for the benchmark: one account x region holding N Redis servers and 2% as many
 * OutSystems front-ends, in the exact shapes the AWS APIs return (built with the tests'
 * EstateBuilder, instance types from test/support/instance-types.ts).
 *
 * Shape (one VPC per environment, as landing zones usually split them):
 * - environments Production 40%, Live 20% (both production), UAT 15%, Test 15%, Dev 10%;
 * - per VPC: three front-end subnets (/22, one per AZ), a shared-services subnet, and Redis subnets
 *   (/23, tagged Role=redis) of up to 400 servers; a main route table (NAT), a front-end table (NAT +
 *   transit gateway for 10.0.0.0/8) and a Redis table (local + S3 gateway endpoint); the default
 *   network ACL on front-end subnets and a Redis ACL (7000-7001, cluster bus, SSH and exporter from
 *   the shared subnet, return traffic) on Redis subnets;
 * - security groups: per environment a Redis group (7000-7001 from the front-end group, SSH from the
 *   bastion group, exporter from the monitoring group), a front-end group (443/80 from the load
 *   balancer group), a baseline group on every instance, and the referenced load balancer, bastion
 *   and monitoring groups; per production cluster a cluster-bus group (17000-17001 from itself);
 * - production clusters of 6 servers (Redis Cluster), non-production servers standalone;
 * - SSM: ~99% online, inventory of 8 AWS:Application rows per instance, Custom:RedisServer on ~95%
 *   of Redis servers.
 * Deliberate drift, so every status shows up: ~5% under-sized instance types, a few old Redis
 * versions, 3% 8 GiB root volumes, SSM gaps, a Lambda ENI in one UAT Redis subnet, a public 6379
 * rule on one Live cluster group, a Dev Redis ACL whose return rule misses Windows ephemeral ports,
 * and one Dev server in 1,000 with a public IP. Deterministic: same size, same estate.
 */
import { SNAPSHOT_FORMAT, type NetworkAclEntry, type Snapshot, type SnapshotTarget } from '../lambdas/core/snapshot/schema';
import { ACCOUNT, ALLOW_ALL_EGRESS, EstateBuilder, REGION, platformServerPackage, redisPackage, tcpPermission } from '../test/support/estate-builder';
import type { KnownInstanceType } from '../test/support/instance-types';

export const FRONTEND_SHARE = 0.02;
/** The Amazon S3 prefix list of the region (AWS-managed) and public S3 address ranges as its entries. */
const S3_PREFIX_LIST = 'pl-6da54004';
const S3_PREFIX_LIST_CIDRS = ['52.216.0.0/15', '54.231.0.0/16', '3.5.0.0/19', '18.34.0.0/19'];
const REDIS_PER_SUBNET = 400;
const PRODUCTION_CLUSTER_SIZE = 6;

interface EnvironmentSpec {
  name: string;
  share: number;
  production: boolean;
}

const ENVIRONMENTS: readonly EnvironmentSpec[] = [
  { name: 'Production', share: 0.4, production: true },
  { name: 'Live', share: 0.2, production: true },
  { name: 'UAT', share: 0.15, production: false },
  { name: 'Test', share: 0.15, production: false },
  { name: 'Dev', share: 0.1, production: false },
];

/** Types with their share (weights out of 100). */
const PRODUCTION_TYPES: ReadonlyArray<[KnownInstanceType, number]> = [['m5.xlarge', 40], ['m7i.xlarge', 30], ['r7i.xlarge', 15], ['m6g.xlarge', 10], ['m5.large', 5]];
const NON_PRODUCTION_TYPES: ReadonlyArray<[KnownInstanceType, number]> = [['m5.large', 40], ['t3.large', 25], ['m6i.large', 20], ['t3.medium', 10], ['c5.large', 5]];
const FRONTEND_TYPES: ReadonlyArray<[KnownInstanceType, number]> = [['m5.xlarge', 60], ['m7i.xlarge', 40]];
const REDIS_VERSIONS: ReadonlyArray<[string, number]> = [['7.0.15', 80], ['7.0.11', 5], ['6.2.14', 5], ['7.2.4', 5], ['7.0.0-rc3', 5]];

export interface SyntheticEstate {
  target: SnapshotTarget;
  redisServers: number;
  frontends: number;
  instances: number;
  instanceTypes: number;
}

/** A small deterministic PRNG (mulberry32): the same size always gives the same estate. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(weights: ReadonlyArray<[T, number]>, r: number): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [value, w] of weights) {
    if ((x -= w) < 0) return value;
  }
  return weights[weights.length - 1]![0];
}

function hex(n: number, width = 17): string {
  return n.toString(16).padStart(width, '0');
}

/** Splits `total` by the environments' shares (largest remainder), so the sizes always add up. */
function split(total: number): number[] {
  const exact = ENVIRONMENTS.map((e) => e.share * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < total; k++) counts[order[k % order.length]![1]]! += 1;
  return counts;
}

function ipIn(vpcOctet: number, base: number, offset: number): string {
  // base and offset count addresses from 10.<vpcOctet>.0.0.
  const n = base + offset;
  return `10.${vpcOctet}.${n >> 8}.${n & 255}`;
}

function redisAclEntries(vpcCidr: string, sharedCidr: string, returnPorts: { From: number; To: number }): NetworkAclEntry[] {
  const tcp = (RuleNumber: number, Egress: boolean, CidrBlock: string, From: number, To: number): NetworkAclEntry => ({ RuleNumber, Protocol: '6', RuleAction: 'allow', Egress, CidrBlock, PortRange: { From, To } });
  return [
    tcp(100, false, vpcCidr, 7000, 7001),
    tcp(110, false, vpcCidr, 17000, 17001),
    tcp(120, false, sharedCidr, 22, 22),
    tcp(130, false, sharedCidr, 9121, 9121),
    tcp(140, false, '0.0.0.0/0', 1024, 65535),
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
    tcp(100, true, vpcCidr, returnPorts.From, returnPorts.To),
    tcp(110, true, '0.0.0.0/0', 443, 443),
    tcp(120, true, '0.0.0.0/0', 80, 80),
    tcp(130, true, vpcCidr, 17000, 17001),
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
  ];
}

const LINUX_PACKAGES = (redisVersion: string): Array<Record<string, string>> => [
  redisPackage(`5:${redisVersion}-1~deb12u1`),
  { Name: 'redis-tools', Version: `5:${redisVersion}-1~deb12u1`, Publisher: 'Debian Redis Maintainers <team+redis@tracker.debian.org>', ApplicationType: 'database', Architecture: 'amd64' },
  { Name: 'openssl', Version: '3.0.15-1~deb12u1', Publisher: 'Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>', ApplicationType: 'utils', Architecture: 'amd64' },
  { Name: 'libssl3', Version: '3.0.15-1~deb12u1', Publisher: 'Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>', ApplicationType: 'libs', Architecture: 'amd64' },
  { Name: 'amazon-ssm-agent', Version: '3.3.1142.0-1', Publisher: 'Amazon.com, Inc. <ec2-ssm-feedback@amazon.com>', ApplicationType: 'admin', Architecture: 'amd64' },
  { Name: 'ca-certificates', Version: '20230311', Publisher: 'Julien Cristau <jcristau@debian.org>', ApplicationType: 'misc', Architecture: 'all' },
  { Name: 'curl', Version: '7.88.1-10+deb12u8', Publisher: 'Debian Curl Maintainers <team+curl@tracker.debian.org>', ApplicationType: 'web', Architecture: 'amd64' },
  { Name: 'systemd', Version: '252.31-1~deb12u1', Publisher: 'Debian systemd Maintainers <pkg-systemd-maintainers@lists.alioth.debian.org>', ApplicationType: 'admin', Architecture: 'amd64' },
];

const WINDOWS_PACKAGES = (platformServer: string): Array<Record<string, string>> => [
  platformServerPackage(platformServer),
  { Name: 'OutSystems Development Environment 11', Version: '11.54.61.0', Publisher: 'OutSystems', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'Microsoft .NET Framework 4.8', Version: '4.8.09032', Publisher: 'Microsoft Corporation', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'Microsoft ASP.NET Core 8.0.11 Hosting Bundle Options', Version: '8.0.11.24521', Publisher: 'Microsoft Corporation', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'IIS URL Rewrite Module 2', Version: '7.2.1993', Publisher: 'Microsoft Corporation', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'Amazon SSM Agent', Version: '3.3.1142.0', Publisher: 'Amazon Web Services', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'AWS Tools for Windows', Version: '4.1.700', Publisher: 'Amazon Web Services Developer Relations', ApplicationType: '', Architecture: 'x86_64' },
  { Name: 'Microsoft Visual C++ 2015-2022 Redistributable (x64)', Version: '14.40.33810.0', Publisher: 'Microsoft Corporation', ApplicationType: '', Architecture: 'x86_64' },
];

export function syntheticEstate(redisServers: number, accountId = ACCOUNT, region = REGION, frontendShare = FRONTEND_SHARE): SyntheticEstate {
  if (!Number.isInteger(redisServers) || redisServers < 1) throw new RangeError(`redisServers must be a positive integer, got ${redisServers}`);
  const rnd = random(redisServers * 7919 + 17);
  const b = new EstateBuilder(accountId, region);
  let instanceCounter = 0;
  let frontendCount = 0;
  const types = new Set<string>();
  const redisCounts = split(redisServers);

  ENVIRONMENTS.forEach((env, e) => {
    const redisCount = redisCounts[e]!;
    if (redisCount === 0) return;
    const frontends = Math.max(1, Math.round(redisCount * frontendShare));
    const octet = 10 + e;
    const vpcId = `vpc-${hex(0xa000 + e)}`;
    const vpcCidr = `10.${octet}.0.0/16`;
    const sharedCidr = `10.${octet}.12.0/24`;
    const key = env.name.toLowerCase();
    const redisSubnetCount = Math.ceil(redisCount / REDIS_PER_SUBNET);
    if (redisSubnetCount > 120) throw new RangeError(`environment ${env.name} needs ${redisSubnetCount} Redis subnets; a /16 VPC holds 120 (${120 * REDIS_PER_SUBNET} servers)`);
    const az = (i: number) => `${region}${'abc'[i % 3]}`;

    // Subnets.
    const frontSubnets = [0, 1, 2].map((i) => `subnet-${hex(0xf0000 + e * 0x100 + i)}`);
    frontSubnets.forEach((id, i) => b.subnet(id, `10.${octet}.${i * 4}.0/22`, { vpcId, tags: { Name: `outsystems-${key}-${az(i)}`, Tier: 'application' } }));
    const sharedSubnet = `subnet-${hex(0xf0000 + e * 0x100 + 3)}`;
    b.subnet(sharedSubnet, sharedCidr, { vpcId, tags: { Name: `shared-services-${key}`, Tier: 'shared' } });
    const redisSubnets = Array.from({ length: redisSubnetCount }, (_, i) => `subnet-${hex(0xe0000 + e * 0x1000 + i)}`);
    redisSubnets.forEach((id, i) => b.subnet(id, `10.${octet}.${16 + i * 2}.0/23`, { vpcId, tags: { Name: `redis-${key}-${i + 1}`, Role: 'redis', Tier: 'data' } }));
    b.target.ec2.Subnets.slice(-(redisSubnetCount + 4)).forEach((s, i) => (s.AvailabilityZone = az(i < 4 ? i : i - 4)));

    // Routes.
    const nat = `nat-${hex(0xa000 + e)}`;
    b.routeTable(`rtb-${hex(0xa000 + e * 16)}`, { vpcId, vpcCidr, main: true, routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }] });
    b.routeTable(`rtb-${hex(0xa001 + e * 16)}`, { vpcId, vpcCidr, subnetIds: frontSubnets, routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }, { DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: `tgw-${hex(0xa0)}` }] });
    b.routeTable(`rtb-${hex(0xa002 + e * 16)}`, { vpcId, vpcCidr, subnetIds: redisSubnets, routes: [{ DestinationPrefixListId: S3_PREFIX_LIST, GatewayId: `vpce-${hex(0xa000 + e)}` }] });

    // Network ACLs: the Dev Redis ACL's return rule only covers Linux ephemeral ports (drift).
    const returnPorts = env.name === 'Dev' ? { From: 32768, To: 49151 } : { From: 1024, To: 65535 };
    b.networkAcl(`acl-${hex(0xa000 + e * 16)}`, { vpcId, isDefault: true, subnetIds: [...frontSubnets, sharedSubnet] });
    b.networkAcl(`acl-${hex(0xa001 + e * 16)}`, { vpcId, subnetIds: redisSubnets, entries: redisAclEntries(vpcCidr, sharedCidr, returnPorts) });

    // Security groups (load balancer, bastion and monitoring groups are referenced, never attached here).
    const sg = (n: number) => `sg-${hex(0xa0000 + e * 0x10000 + n)}`;
    const [redisSg, frontSg, baselineSg, albSg, bastionSg, monitoringSg] = [0, 1, 2, 3, 4, 5].map(sg) as [string, string, string, string, string, string];
    b.securityGroup(redisSg, { vpcId, name: `redis-${key}`, ingress: [tcpPermission(7000, 7001, { groupIds: [frontSg, redisSg] }), tcpPermission(22, 22, { groupIds: [bastionSg] }), tcpPermission(9121, 9121, { groupIds: [monitoringSg] })] })
      .securityGroup(frontSg, { vpcId, name: `outsystems-frontend-${key}`, ingress: [tcpPermission(443, 443, { groupIds: [albSg] }), tcpPermission(80, 80, { groupIds: [albSg] })] })
      .securityGroup(baselineSg, { vpcId, name: `baseline-${key}`, ingress: [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: vpcCidr }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }] })
      .securityGroup(albSg, { vpcId, name: `outsystems-alb-${key}`, ingress: [tcpPermission(443, 443, { cidrs: ['0.0.0.0/0'] })] })
      .securityGroup(bastionSg, { vpcId, name: `bastion-${key}`, ingress: [tcpPermission(22, 22, { cidrs: ['198.51.100.0/24'] })] })
      .securityGroup(monitoringSg, { vpcId, name: `monitoring-${key}`, egress: [ALLOW_ALL_EGRESS] });

    // Front-ends, spread over the three AZ subnets.
    for (let f = 0; f < frontends; f++) {
      const id = `i-${hex(++instanceCounter)}`;
      const type = pick(FRONTEND_TYPES, rnd());
      types.add(type);
      const platform = rnd() < 0.05 ? '11.19.2.33108' : '11.23.0.41350';
      b.instance({ id, type, subnetId: frontSubnets[f % 3]!, privateIp: ipIn(octet, (f % 3) * 1024 + 10, Math.floor(f / 3)), securityGroupIds: [frontSg, baselineSg], platform: 'windows', volumeSizes: [100], tags: { Name: `os-fe-${key}-${f + 1}`, Role: 'outsystems-frontend', Environment: env.name, Owner: 'platform-team', CostCenter: 'CC-4711' } })
        .ssmOnline(id, { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' })
        .inventory(id, WINDOWS_PACKAGES(platform));
      frontendCount++;
    }

    // Redis servers.
    let clusterSg = '';
    for (let r = 0; r < redisCount; r++) {
      const id = `i-${hex(++instanceCounter)}`;
      const subnetIndex = Math.floor(r / REDIS_PER_SUBNET);
      const type = pick(env.production ? PRODUCTION_TYPES : NON_PRODUCTION_TYPES, rnd());
      types.add(type);
      const clusterIndex = env.production ? Math.floor(r / PRODUCTION_CLUSTER_SIZE) : r;
      const cluster = `${key}-sessions-${clusterIndex + 1}`;
      const groups = [redisSg, baselineSg];
      if (env.production) {
        if (r % PRODUCTION_CLUSTER_SIZE === 0) {
          clusterSg = sg(0x100 + clusterIndex);
          const ingress = [tcpPermission(17000, 17001, { groupIds: [clusterSg] })];
          if (env.name === 'Live' && clusterIndex === 0) ingress.push(tcpPermission(6379, 6379, { cidrs: ['0.0.0.0/0'] }));
          b.securityGroup(clusterSg, { vpcId, name: `redis-cluster-${cluster}`, ingress });
        }
        groups.push(clusterSg);
      }
      const version = pick(REDIS_VERSIONS, rnd());
      const publicIp = env.name === 'Dev' && r % 1000 === 999 ? `203.0.113.${(r / 1000) % 250 | 0}` : undefined;
      b.instance({
        id,
        type,
        subnetId: redisSubnets[subnetIndex]!,
        privateIp: ipIn(octet, (16 + subnetIndex * 2) * 256 + 10, r % REDIS_PER_SUBNET),
        securityGroupIds: groups,
        volumeSizes: [rnd() < 0.03 ? 8 : 20, ...(env.production ? [50] : [])],
        ...(publicIp ? { publicIp } : {}),
        tags: { Name: `redis-${key}-${r + 1}`, Role: 'redis', Environment: env.name, RedisCluster: cluster, RedisMode: env.production ? 'cluster' : 'standalone', Owner: 'platform-team', CostCenter: 'CC-4711' },
      });
      // One Test server never registered with SSM, so even small estates show UNKNOWN evidence.
      const roll = rnd();
      const ssm = env.name === 'Test' && r === 7 ? 0.999 : roll;
      if (ssm < 0.985) b.ssmOnline(id);
      else if (ssm < 0.995) b.ssmOnline(id, { PingStatus: 'ConnectionLost', LastPingDateTime: '2026-11-20T07:12:44.000Z' });
      if (ssm < 0.995) {
        const running = rnd() < 0.95 ? { redis_version: version, redis_mode: env.production ? 'cluster' : 'standalone', cluster_enabled: env.production ? '1' : '0' } : undefined;
        b.inventory(id, LINUX_PACKAGES(version), running);
      }
    }
    // A Lambda function placed in a UAT Redis subnet (subnet.dedicated drift).
    if (env.name === 'UAT') {
      b.foreignNetworkInterface({ NetworkInterfaceId: `eni-${hex(0xfa000 + e)}`, SubnetId: redisSubnets[0]!, VpcId: vpcId, InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-session-cache-warmer', RequesterId: 'AROAEXAMPLE:session-cache-warmer', RequesterManaged: true, PrivateIpAddress: ipIn(octet, 16 * 256 + 500, 0), Status: 'in-use' });
    }
  });

  // EC2 returns launch times and a few more fields per instance; keep the records that size.
  b.mutate((t) => {
    for (const reservation of t.ec2.Reservations) {
      for (const instance of reservation.Instances ?? []) {
        Object.assign(instance, {
          ImageId: instance.Platform === 'windows' ? 'ami-0f1e2d3c4b5a69788' : 'ami-0a1b2c3d4e5f60718',
          LaunchTime: '2026-01-05T10:00:00.000Z',
          Placement: { AvailabilityZone: `${region}a`, Tenancy: 'default' },
          Architecture: 'x86_64',
          RootDeviceName: '/dev/xvda',
          RootDeviceType: 'ebs',
          EbsOptimized: true,
          EnaSupport: true,
          Hypervisor: 'xen',
          VirtualizationType: 'hvm',
          MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
        });
      }
    }
  });
  // The AWS-managed list the Redis route tables' S3 gateway-endpoint route names: its entries are
  // readable with GetManagedPrefixListEntries in every account, as AWS-managed lists are.
  b.target.managedPrefixLists = [{ PrefixListId: S3_PREFIX_LIST, Entries: S3_PREFIX_LIST_CIDRS.map((Cidr) => ({ Cidr })) }];
  return { target: b.target, redisServers, frontends: frontendCount, instances: instanceCounter, instanceTypes: types.size };
}

export function syntheticSnapshot(redisServers: number): Snapshot {
  return { format: SNAPSHOT_FORMAT, capturedAt: '2026-11-25T02:00:00.000Z', targets: [syntheticEstate(redisServers).target] };
}
