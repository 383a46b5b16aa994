/**
 * Writes examples/estate.sample.json: a realistic two-account estate with passing, failing and
 * unknown findings. Run `npx tsx scripts/build-sample-estate.ts` after changing it.
 */
import { writeFileSync } from 'node:fs';
import { SNAPSHOT_FORMAT, type Snapshot } from '../lambdas/core/snapshot/schema';
import { EstateBuilder, defaultAclEntries, platformServerPackage, redisPackage, tcpPermission } from '../test/support/estate-builder';
import { withClusterProbe, type NodeSpec } from '../test/support/cluster-probe-rows';
import { bytesPerPeriod, withNetworkMetrics } from '../test/support/network-metrics';
import { coverage, inspectorSection, redisFinding } from '../test/support/inspector-section';

const PROD_REDIS_SUBNET = 'subnet-0a11c0ffee0000001';
const PROD_APP_SUBNET = 'subnet-0a11c0ffee0000002';
const DEV_SUBNET = 'subnet-0a11c0ffee0000003';
const REDIS_SG = 'sg-0a11c0ffee0000001';
const FRONTEND_SG = 'sg-0a11c0ffee0000002';
const ADMIN_SG = 'sg-0a11c0ffee0000003';
const DEV_SG = 'sg-0a11c0ffee0000004';

function production(): EstateBuilder {
  const b = new EstateBuilder('111122223333', 'eu-west-1')
    .subnet(PROD_REDIS_SUBNET, '10.0.1.0/24', { tags: { Name: 'redis-sessions-prod', Role: 'redis' } })
    .subnet(PROD_APP_SUBNET, '10.0.2.0/24', { tags: { Name: 'outsystems-prod' } })
    .subnet(DEV_SUBNET, '10.0.9.0/24', { tags: { Name: 'dev-public' }, mapPublicIpOnLaunch: true })
    .routeTable('rtb-0a11c0ffee0000001', { main: true, routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a11c0ffee0000001' }] })
    .routeTable('rtb-0a11c0ffee0000002', { subnetIds: [DEV_SUBNET], routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a11c0ffee0000001' }] })
    .networkAcl('acl-0a11c0ffee0000001', { subnetIds: [PROD_REDIS_SUBNET, PROD_APP_SUBNET], isDefault: true })
    .networkAcl('acl-0a11c0ffee0000002', {
      subnetIds: [DEV_SUBNET],
      entries: [
        { RuleNumber: 90, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 7001, To: 7001 } },
        ...defaultAclEntries(),
      ],
    })
    .securityGroup(REDIS_SG, { name: 'redis-sessions-prod', ingress: [tcpPermission(7000, 7001, { groupIds: [FRONTEND_SG, REDIS_SG] }), tcpPermission(17000, 17001, { groupIds: [REDIS_SG] })] })
    .securityGroup(FRONTEND_SG, { name: 'outsystems-frontends', ingress: [tcpPermission(443, 443, { cidrs: ['10.0.0.0/8'] })] })
    .securityGroup(ADMIN_SG, { name: 'ssh-from-anywhere', ingress: [tcpPermission(22, 22, { cidrs: ['0.0.0.0/0'] })] })
    .securityGroup(DEV_SG, { name: 'redis-dev', ingress: [tcpPermission(7000, 7001, { cidrs: ['10.0.0.0/16'] })] });

  const cluster = { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' };
  const running = { redis_version: '7.0.15', redis_mode: 'cluster', cluster_enabled: '1' };
  b.instance({ id: 'i-0a11c0ffee00000a1', type: 'm5.xlarge', subnetId: PROD_REDIS_SUBNET, privateIp: '10.0.1.11', securityGroupIds: [REDIS_SG], tags: { Name: 'redis-prod-1', ...cluster } })
    .ssmOnline('i-0a11c0ffee00000a1')
    .inventory('i-0a11c0ffee00000a1', [redisPackage()], running);
  // Graviton m6g sustains 2.5 GHz: below the required clock.
  b.instance({ id: 'i-0a11c0ffee00000a2', type: 'm6g.xlarge', subnetId: PROD_REDIS_SUBNET, privateIp: '10.0.1.12', securityGroupIds: [REDIS_SG], tags: { Name: 'redis-prod-2', ...cluster } })
    .ssmOnline('i-0a11c0ffee00000a2')
    .inventory('i-0a11c0ffee00000a2', [redisPackage('5:7.0.15-1~deb12u1')], running);
  // Upgraded by hand to 7.2, an 8 GiB root volume, and an SSH group open to the internet.
  b.instance({ id: 'i-0a11c0ffee00000a3', type: 'm5.xlarge', subnetId: PROD_REDIS_SUBNET, privateIp: '10.0.1.13', securityGroupIds: [REDIS_SG, ADMIN_SG], volumeSizes: [8], tags: { Name: 'redis-prod-3', ...cluster } })
    .ssmOnline('i-0a11c0ffee00000a3')
    .inventory('i-0a11c0ffee00000a3', [redisPackage('6:7.2.4-1rl1~bookworm1')], { ...running, redis_version: '7.2.4' });
  // A Lambda function placed in the Redis subnet: the subnet is no longer Redis-only.
  b.foreignNetworkInterface({ NetworkInterfaceId: 'eni-0a11c0ffee0000f01', SubnetId: PROD_REDIS_SUBNET, InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-session-cleanup', RequesterId: 'AROAEXAMPLE:session-cleanup', RequesterManaged: true, PrivateIpAddress: '10.0.1.200' });
  // A stopped spare: listed, not judged.
  b.instance({ id: 'i-0a11c0ffee00000a4', type: 'm5.xlarge', subnetId: PROD_REDIS_SUBNET, privateIp: '10.0.1.14', state: 'stopped', securityGroupIds: [REDIS_SG], tags: { Name: 'redis-prod-spare', ...cluster } });

  const fe = { Role: 'outsystems-frontend', Environment: 'Production' };
  b.instance({ id: 'i-0a11c0ffee00000f1', type: 'm5.xlarge', subnetId: PROD_APP_SUBNET, privateIp: '10.0.2.21', securityGroupIds: [FRONTEND_SG], platform: 'windows', volumeSizes: [100], tags: { Name: 'os-fe-prod-1', ...fe } })
    .ssmOnline('i-0a11c0ffee00000f1', { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' })
    .inventory('i-0a11c0ffee00000f1', [platformServerPackage('11.23.0.41350')]);
  b.instance({ id: 'i-0a11c0ffee00000f2', type: 'm5.xlarge', subnetId: PROD_APP_SUBNET, privateIp: '10.0.2.22', securityGroupIds: [FRONTEND_SG], platform: 'windows', volumeSizes: [100], tags: { Name: 'os-fe-prod-2', ...fe } })
    .ssmOnline('i-0a11c0ffee00000f2', { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2019 Datacenter', PlatformVersion: '10.0.17763' })
    .inventory('i-0a11c0ffee00000f2', [platformServerPackage('11.19.1.39874')]);

  // Development: one Redis server in a public subnet, with a public address; its SSM agent lost contact.
  b.instance({ id: 'i-0a11c0ffee00000d1', type: 't3.medium', subnetId: DEV_SUBNET, privateIp: '10.0.9.10', publicIp: '203.0.113.10', securityGroupIds: [DEV_SG], tags: { Name: 'redis-dev', Role: 'redis', Environment: 'Development' } })
    .ssmOnline('i-0a11c0ffee00000d1', { PingStatus: 'ConnectionLost', LastPingDateTime: '2026-10-30T08:12:44.000Z' });
  // The development front-end lives in the application subnet; the development subnet's network ACL
  // denies 7001 from the VPC, so it can reach Redis on 7000 but not on 7001.
  b.instance({ id: 'i-0a11c0ffee00000d2', type: 't3.large', subnetId: PROD_APP_SUBNET, privateIp: '10.0.2.40', securityGroupIds: [FRONTEND_SG], platform: 'windows', volumeSizes: [60], tags: { Name: 'os-fe-dev', Role: 'outsystems-frontend', Environment: 'Development' } })
    .ssmOnline('i-0a11c0ffee00000d2', { PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' })
    .inventory('i-0a11c0ffee00000d2', [platformServerPackage('11.24.0.42017')]);
  cartsCluster(b);
  inspector(b);
  return b;
}

/**
 * Amazon Inspector scans every production Redis server; it reports CVE-2025-49844 on redis-prod-2,
 * whose package is 5:7.0.15-1~deb12u1 (redis.known-vulnerabilities FAIL). redis-dev's agent lost
 * contact: Inspector does not cover it (UNKNOWN).
 */
function inspector(b: EstateBuilder): void {
  const scanned = ['i-0a11c0ffee00000a1', 'i-0a11c0ffee00000a2', 'i-0a11c0ffee00000a3', 'i-0a11c0ffee00000c1', 'i-0a11c0ffee00000c2', 'i-0a11c0ffee00000c3'];
  const finding = redisFinding('i-0a11c0ffee00000a2', 'CVE-2025-49844', 'CRITICAL', { epoch: 5, version: '7.0.15', release: '1~deb12u1' }, '5:7.0.15-1~deb12u6');
  b.mutate((t) => (t.inspector = inspectorSection([...scanned, 'i-0a11c0ffee00000d1'], [finding], scanned.map((id) => coverage(id)))));
}

const CAPTURED_AT = '2026-11-25T02:00:00.000Z';
const GIB = 1024 ** 3;

/**
 * A second production cluster, "carts-prod", whose nodes report themselves through the Redis probe
 * (Custom:RedisServer / Custom:RedisClusterNode rows) and whose load CloudWatch measured. It shows
 * each high-availability and capacity rule failing once:
 *  - cluster.failover: redis-carts-1 holds two masters (a CLUSTER FAILOVER left it so);
 *  - cluster.membership: the nodes know 10.0.4.99, which no tagged server has;
 *  - cluster.zone-spread: eu-west-1a holds all three masters;
 *  - network.cluster-bus: the network ACL of redis-carts-3's subnet denies 17000-17001 inbound;
 *  - capacity.memory: redis-carts-2's replica has no maxmemory beside a master;
 *  - capacity.bandwidth: redis-carts-1 sent 1.15 Gbps for five minutes (m5.xlarge baseline 1.25 Gbps).
 * The probe also reports each process's security posture: redis-carts-2 runs Redis 7.0.15 built from
 * source (no package owns /usr/local/bin/redis-server), without a password, protected mode off,
 * listening on every address, its default user allowed everything: redis.authentication,
 * redis.scripting-exposure (CVE-2025-49844 and the other Lua CVEs, reachable without a password)
 * and redis.dangerous-commands fail there, while redis.version passes (it is 7.0.15).
 * The sessions-prod servers get quiet metrics (capacity.bandwidth PASS).
 */
function cartsCluster(b: EstateBuilder): void {
  const subnetA = 'subnet-0a11c0ffee0000004';
  const subnetB = 'subnet-0a11c0ffee0000005';
  const cartsSg = 'sg-0a11c0ffee0000005';
  b.subnet(subnetA, '10.0.4.0/24', { tags: { Name: 'redis-carts-prod-a', Role: 'redis' } })
    .subnet(subnetB, '10.0.5.0/24', { tags: { Name: 'redis-carts-prod-b', Role: 'redis' } })
    .mutate((t) => (t.ec2.Subnets.find((s) => s.SubnetId === subnetB)!.AvailabilityZone = 'eu-west-1b'))
    .networkAcl('acl-0a11c0ffee0000003', { subnetIds: [subnetA] })
    .networkAcl('acl-0a11c0ffee0000004', {
      subnetIds: [subnetB],
      entries: [{ RuleNumber: 90, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 17000, To: 17001 } }, ...defaultAclEntries()],
    })
    .securityGroup(cartsSg, { name: 'redis-carts-prod', ingress: [tcpPermission(7000, 7001, { groupIds: [FRONTEND_SG, cartsSg] }), tcpPermission(17000, 17001, { groupIds: [cartsSg] })] });
  const tags = { Role: 'redis', Environment: 'Production', RedisCluster: 'carts-prod' };
  const servers = [
    { instanceId: 'i-0a11c0ffee00000c1', ip: '10.0.4.11', subnetId: subnetA, name: 'redis-carts-1' },
    { instanceId: 'i-0a11c0ffee00000c2', ip: '10.0.4.12', subnetId: subnetA, name: 'redis-carts-2' },
    { instanceId: 'i-0a11c0ffee00000c3', ip: '10.0.5.13', subnetId: subnetB, name: 'redis-carts-3' },
  ];
  for (const s of servers) {
    b.instance({ id: s.instanceId, type: 'm5.xlarge', subnetId: s.subnetId, privateIp: s.ip, securityGroupIds: [cartsSg], tags: { Name: s.name, ...tags } })
      .ssmOnline(s.instanceId)
      .inventory(s.instanceId, [redisPackage()]);
  }
  const memory = { maxmemory: 6 * GIB, usedMemory: 2 * GIB };
  const layout: NodeSpec[] = [
    { server: 0, port: 7000, slots: '0-5460', ...memory },
    { server: 0, port: 7001, slots: '5461-10922', ...memory },
    { server: 1, port: 7000, slots: '10923-16383', ...memory },
    { server: 1, port: 7001, replicaOf: 0, maxmemory: 0, usedMemory: 2 * GIB },
    { server: 2, port: 7000, replicaOf: 1, ...memory },
    { server: 2, port: 7001, replicaOf: 2, ...memory },
    { server: -1, port: 7000, replicaOf: 2, announce: '10.0.4.99' },
  ];
  withClusterProbe(b, servers.map((s) => ({ instanceId: s.instanceId, ip: s.ip, totalSystemMemory: 16 * GIB })), layout);
  openUpstreamServer(b, 'i-0a11c0ffee00000c2');
  const quiet = { inBytes: [bytesPerPeriod(180e6), bytesPerPeriod(150e6), bytesPerPeriod(120e6)], outBytes: [bytesPerPeriod(240e6), bytesPerPeriod(210e6), bytesPerPeriod(160e6)] };
  withNetworkMetrics(b, new Date(CAPTURED_AT), {
    'i-0a11c0ffee00000a1': quiet,
    'i-0a11c0ffee00000a2': quiet,
    'i-0a11c0ffee00000a3': quiet,
    'i-0a11c0ffee00000c1': { inBytes: [bytesPerPeriod(300e6), bytesPerPeriod(420e6), bytesPerPeriod(250e6)], outBytes: [bytesPerPeriod(640e6), bytesPerPeriod(1.15e9), bytesPerPeriod(480e6)] },
    'i-0a11c0ffee00000c2': quiet,
    'i-0a11c0ffee00000c3': quiet,
  });
}

/** redis-carts-2: upstream 7.0.15 from source, no password, protected mode off, the default user allowed everything. */
function openUpstreamServer(b: EstateBuilder, instanceId: string): void {
  b.mutate((t) => {
    const data = t.ssm.Entities.find((e) => e.Id === instanceId)!.Data!;
    for (const row of data['Custom:RedisServer']!.Content!) {
      Object.assign(row, { auth_required: '0', default_user_nopass: '1', protected_mode: 'no', listen: `0.0.0.0:${row['port']} 0.0.0.0:${Number(row['port']) + 10000}`, executable: '/usr/local/bin/redis-server', package_manager: 'none' });
      delete row['package_name'];
      delete row['package_version'];
    }
    for (const user of data['Custom:RedisAclUser']!.Content!) {
      Object.assign(user, { nopass: '1', commands: '+@all', may_eval: '1', may_config: '1', may_debug: '1', may_module: '1', may_flushall: '1', may_flushdb: '1', may_keys: '1' });
    }
  });
}

function qaAccount(): EstateBuilder {
  const subnet = 'subnet-0b22c0ffee0000001';
  // The reader role in this account may not call SSM: versions there are UNKNOWN, never PASS.
  return new EstateBuilder('444455556666', 'us-east-1')
    .subnet(subnet, '172.16.4.0/24', { vpcId: 'vpc-0b22c0ffee0000001', tags: { Name: 'qa-redis', Role: 'redis' } })
    .routeTable('rtb-0b22c0ffee0000001', { main: true, vpcId: 'vpc-0b22c0ffee0000001', vpcCidr: '172.16.0.0/16' })
    .networkAcl('acl-0b22c0ffee0000001', { subnetIds: [subnet], isDefault: true, vpcId: 'vpc-0b22c0ffee0000001' })
    .securityGroup('sg-0b22c0ffee0000001', { vpcId: 'vpc-0b22c0ffee0000001', name: 'redis-qa', ingress: [tcpPermission(7000, 7001, { cidrs: ['172.16.0.0/16'] })] })
    .instance({ id: 'i-0b22c0ffee00000a1', type: 'r6i.large', subnetId: subnet, privateIp: '172.16.4.10', securityGroupIds: ['sg-0b22c0ffee0000001'], tags: { Name: 'redis-qa-1', Role: 'redis', Environment: 'QA' } })
    .instance({ id: 'i-0b22c0ffee00000f1', type: 'm5.large', subnetId: subnet, privateIp: '172.16.4.20', securityGroupIds: ['sg-0b22c0ffee0000001'], platform: 'windows', volumeSizes: [80], tags: { Name: 'os-fe-qa', Role: 'outsystems-frontend', Environment: 'QA' } })
    .error({ service: 'ssm', operation: 'DescribeInstanceInformation', code: 'AccessDeniedException', message: 'User: arn:aws:sts::444455556666:assumed-role/RedisComplianceReader/scan is not authorized to perform: ssm:DescribeInstanceInformation' })
    .error({ service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDeniedException', message: 'User: arn:aws:sts::444455556666:assumed-role/RedisComplianceReader/scan is not authorized to perform: ssm:ListInventoryEntries' });
}

const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, capturedAt: CAPTURED_AT, targets: [production().target, qaAccount().target] };
writeFileSync(new URL('../examples/estate.sample.json', `file://${__filename}`), `${JSON.stringify(snapshot, null, 2)}\n`);
console.log('wrote examples/estate.sample.json');
