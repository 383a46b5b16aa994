/**
 * Generates an estate of N tagged instances in AWS shapes for budget tests: environments of up to
 * 50 instances (40% Redis servers, the rest OutSystems front-ends), each with a Redis subnet (tagged),
 * a front-end subnet, their security groups, a route table, SSM online and inventory for all, and a
 * foreign network interface in each Redis subnet. Ten environments share a VPC.
 */
import { ACCOUNT, EstateBuilder, REGION, platformServerPackage, redisPackage, tcpPermission } from '../estate-builder';

const REDIS_TYPES = ['m5.xlarge', 'r6i.large', 'm7i.xlarge', 'm6g.xlarge'] as const;
const FRONTEND_TYPES = ['m5.large', 'c5.large'] as const;
export const ENVIRONMENT_SIZE = 50;
export const REDIS_PER_ENVIRONMENT = 20;

function hex(n: number, width = 17): string {
  return n.toString(16).padStart(width, '0');
}

export interface GeneratedEstate {
  builder: EstateBuilder;
  instances: number;
  redisServers: number;
  instanceTypes: number;
}

export function generateEstate(instances: number, accountId = ACCOUNT, region = REGION): GeneratedEstate {
  const b = new EstateBuilder(accountId, region);
  let redisServers = 0;
  const types = new Set<string>();
  const environments = Math.ceil(instances / ENVIRONMENT_SIZE);
  for (let e = 0; e < environments; e++) {
    const vpcId = `vpc-${hex(Math.floor(e / 10) + 1)}`;
    const redisSubnet = `subnet-${hex(0x100000 + e)}`;
    const frontSubnet = `subnet-${hex(0x200000 + e)}`;
    const redisSg = `sg-${hex(0x100000 + e)}`;
    const frontSg = `sg-${hex(0x200000 + e)}`;
    const env = `env-${e}`;
    const octet = e % 250;
    if (e % 10 === 0) {
      b.routeTable(`rtb-${hex(0x900000 + e)}`, { main: true, vpcId, routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: `nat-${hex(e + 1)}` }] });
    }
    b.subnet(redisSubnet, `10.${octet}.1.0/24`, { vpcId, tags: { Role: 'redis', Name: `redis-${env}` } })
      .subnet(frontSubnet, `10.${octet}.2.0/24`, { vpcId, tags: { Name: `front-${env}` } })
      .routeTable(`rtb-${hex(0x100000 + e)}`, { vpcId, subnetIds: [redisSubnet, frontSubnet], routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: `nat-${hex(e + 1)}` }] })
      .networkAcl(`acl-${hex(0x100000 + e)}`, { vpcId, subnetIds: [redisSubnet, frontSubnet] })
      .securityGroup(redisSg, { vpcId, name: `redis-${env}`, ingress: [tcpPermission(7000, 7001, { groupIds: [frontSg, redisSg] })] })
      .securityGroup(frontSg, { vpcId, name: `front-${env}`, ingress: [tcpPermission(443, 443, { cidrs: ['10.0.0.0/8'] })] })
      .foreignNetworkInterface({ NetworkInterfaceId: `eni-${hex(0xf00000 + e)}`, SubnetId: redisSubnet, VpcId: vpcId, InterfaceType: 'nat_gateway', Description: 'Interface for NAT Gateway' });
    const size = Math.min(ENVIRONMENT_SIZE, instances - e * ENVIRONMENT_SIZE);
    for (let k = 0; k < size; k++) {
      const n = e * ENVIRONMENT_SIZE + k;
      const redis = k < REDIS_PER_ENVIRONMENT || size === 1;
      const id = `i-${hex(n + 1)}`;
      const ip = `10.${octet}.${redis ? 1 : 2}.${10 + k}`;
      if (redis) {
        const type = REDIS_TYPES[n % REDIS_TYPES.length]!;
        types.add(type);
        redisServers++;
        b.instance({ id, type, subnetId: redisSubnet, privateIp: ip, securityGroupIds: [redisSg], tags: { Name: `redis-${n}`, Role: 'redis', Environment: e % 2 ? 'Production' : 'Development', RedisCluster: `cluster-${env}` } })
          .ssmOnline(id)
          .inventory(id, [redisPackage()], { redis_version: '7.0.15', redis_mode: 'cluster', cluster_enabled: '1' });
      } else {
        const type = FRONTEND_TYPES[n % FRONTEND_TYPES.length]!;
        types.add(type);
        b.instance({ id, type, subnetId: frontSubnet, privateIp: ip, securityGroupIds: [frontSg], platform: 'windows', tags: { Name: `front-${n}`, Role: 'outsystems-frontend', Environment: e % 2 ? 'Production' : 'Development' } })
          .ssmOnline(id, { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' })
          .inventory(id, [platformServerPackage()]);
      }
    }
  }
  // EC2 returns launch and attachment times: they cross the wire as timestamps and come back as ISO.
  b.mutate((t) => {
    for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) (i as Record<string, unknown>).LaunchTime = '2026-01-05T10:00:00.000Z';
  });
  return { builder: b, instances, redisServers, instanceTypes: types.size };
}
