/**
 * The six classes of wrong verdicts an independent evaluator found on generated estates,
 * each shown on a small AWS-shaped estate. Every case here gave the wrong verdict before the fix;
 * test/properties/verdict-properties.test.ts keeps them from coming back on any estate.
 */
import { DEFAULT_CONFIG } from '../../lambdas/core/config';
import { buildEstate } from '../../lambdas/core/estate/build-estate';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import type { Finding } from '../../lambdas/core/model';
import { clusterSizeRule } from '../../lambdas/core/rules/cluster-size';
import { instanceDiskRule } from '../../lambdas/core/rules/instance-disk';
import { networkFrontendReachabilityRule } from '../../lambdas/core/rules/network-frontend-reachability';
import { securityGroupNoPublicIngressRule } from '../../lambdas/core/rules/security-group-no-public-ingress';
import { subnetDedicatedRule } from '../../lambdas/core/rules/subnet-dedicated';
import { redisVersionRule } from '../../lambdas/core/rules/redis-version';
import { subnetPrivateRule } from '../../lambdas/core/rules/subnet-private';
import { SnapshotError, validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { ACCOUNT, EstateBuilder, FRONTEND_IDS, FRONTEND_SG, FRONTEND_SUBNET, REDIS_IDS, REDIS_SG, REDIS_SUBNET, REGION, compliantEstate, tcpPermission } from '../support/estate-builder';
import { changeInstance, findingFor, runRule, setInstanceTag } from '../support/evaluate-rule';

const DESCRIBE_INSTANCES_DENIED = { service: 'ec2', operation: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' };

describe('1. a reachability verdict is never reused for another environment', () => {
  /**
   * Production and Development share the front-end subnet and group (same platform) and the Redis
   * subnet and group; the Redis group admits 7000-7001 from 10.0.2.0/28 only. The production
   * front-end (10.0.2.5) is inside it, the development one (10.0.2.20) is not.
   */
  function sharedTiers(devFirst: boolean): EstateBuilder {
    const b = new EstateBuilder()
      .subnet(REDIS_SUBNET, '10.0.1.0/24', { tags: { Role: 'redis' } })
      .subnet(FRONTEND_SUBNET, '10.0.2.0/24')
      .routeTable('rtb-0main000000000001', { main: true })
      .networkAcl('acl-0default00000001', { subnetIds: [REDIS_SUBNET, FRONTEND_SUBNET], isDefault: true })
      .securityGroup(REDIS_SG, { ingress: [tcpPermission(7000, 7001, { cidrs: ['10.0.2.0/28'] })] })
      .securityGroup(FRONTEND_SG);
    const servers = [
      () => b.instance({ id: 'i-0dev0000000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.30', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Development' } }),
      () => b.instance({ id: 'i-0prd0000000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.11', securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production' } }),
    ];
    for (const add of devFirst ? servers : [...servers].reverse()) add();
    b.instance({ id: 'i-0fedev00000000001', subnetId: FRONTEND_SUBNET, privateIp: '10.0.2.20', securityGroupIds: [FRONTEND_SG], platform: 'windows', tags: { Role: 'outsystems-frontend', Environment: 'Development' } });
    b.instance({ id: 'i-0feprd00000000001', subnetId: FRONTEND_SUBNET, privateIp: '10.0.2.5', securityGroupIds: [FRONTEND_SG], platform: 'windows', tags: { Role: 'outsystems-frontend', Environment: 'Production' } });
    return b;
  }

  it.each([true, false])('judges each environment by its own front-ends, whichever server comes first (dev first: %s)', (devFirst) => {
    const estate = sharedTiers(devFirst);
    const dev = findingFor(networkFrontendReachabilityRule, estate, 'i-0dev0000000000001');
    const prod = findingFor(networkFrontendReachabilityRule, estate, 'i-0prd0000000000001');
    expect(dev.status).toBe('FAIL');
    expect(dev.observed).toContain('i-0fedev00000000001');
    expect(dev.observed).not.toContain('10.0.2.5');
    expect(prod.status).toBe('PASS');
    expect(prod.observed).toContain('i-0feprd00000000001');
    expect(prod.observed).not.toContain('i-0fedev00000000001');
  });
});

describe('2. an incomplete instance list never gives a PASS', () => {
  it('network.frontend-reachability: front-ends the failed listing hid are not judged', () => {
    const f = findingFor(networkFrontendReachabilityRule, compliantEstate().error(DESCRIBE_INSTANCES_DENIED), REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('instance list is incomplete');
    expect(f.observed).toContain('UnauthorizedOperation');
  });

  it('cluster.size: a non-production single server is not enough evidence (a hidden member may be production)', () => {
    const estate = compliantEstate().error(DESCRIBE_INSTANCES_DENIED);
    estate.mutate((t) => (t.ec2.Reservations = t.ec2.Reservations.filter((r) => !r.Instances?.some((i) => i.InstanceId === REDIS_IDS[1] || i.InstanceId === REDIS_IDS[2]))));
    setInstanceTag(estate, REDIS_IDS[0], 'Environment', 'Development');
    const [f] = runRule(clusterSizeRule, estate);
    expect(f!.status).toBe('UNKNOWN');
    expect(f!.observed).toContain('hidden members');
  });

  it('redis.version: after a failed inventory read, a 7.0 package alone does not pass (the running server may report 6.2)', () => {
    const estate = compliantEstate()
      .mutate((t) => delete t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['Custom:RedisServer'])
      .error({ service: 'ssm', operation: 'ListInventoryEntries', code: 'ThrottlingException', message: 'Rate exceeded' });
    const f = findingFor(redisVersionRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ThrottlingException');
  });

  it('cluster.size: three running servers pass even so (hidden servers only add)', () => {
    const [f] = runRule(clusterSizeRule, compliantEstate().error(DESCRIBE_INSTANCES_DENIED));
    expect(f!.status).toBe('PASS');
  });
});

describe('3. the whole internet through ranges other than /0', () => {
  function withIngress(...permissions: ReturnType<typeof tcpPermission>[]): Finding {
    const estate = compliantEstate().mutate((t) => t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions!.push(...permissions));
    return findingFor(securityGroupNoPublicIngressRule, estate, REDIS_SG);
  }

  it('0.0.0.0/1 + 128.0.0.0/1 on the Redis ports is the whole internet: critical in production', () => {
    const f = withIngress(tcpPermission(7000, 7001, { cidrs: ['0.0.0.0/1'] }), tcpPermission(7000, 7001, { cidrs: ['128.0.0.0/1'] }));
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('admits the whole internet');
    expect(f.observed).toContain('0.0.0.0/1');
    expect(f.observed).toContain('128.0.0.0/1');
  });

  it('2000::/3 is every global IPv6 address', () => {
    const f = withIngress(tcpPermission(7000, 7001, { ipv6Cidrs: ['2000::/3'] }));
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('IPv6');
  });

  it('a public range short of the internet is exposure one step lower, named', () => {
    const f = withIngress(tcpPermission(7000, 7001, { cidrs: ['52.0.0.0/8'] }));
    expect(f).toMatchObject({ status: 'FAIL', severity: 'high' });
    expect(f.observed).toContain('admits public address ranges: TCP 7000-7001 from 52.0.0.0/8');
    expect(withIngress(tcpPermission(22, 22, { cidrs: ['198.51.99.0/24'] })).severity).toBe('medium');
  });

  it('a prefix list, whose entries the snapshot does not hold, is no evidence of a clean group', () => {
    const f = withIngress(tcpPermission(7000, 7001, { prefixListIds: ['pl-0frontends000001'] }));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('pl-0frontends000001');
  });

  it('private, shared and link-local ranges are not public', () => {
    expect(withIngress(tcpPermission(7000, 7001, { cidrs: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12'], ipv6Cidrs: ['fd00::/8', 'fe80::/10'] })).status).toBe('PASS');
  });
});

describe('4. one environment, however it is spelled, is one cluster', () => {
  it('"LIVE", "Live" and " live " make one cluster of three', () => {
    const estate = compliantEstate();
    ['LIVE', 'Live', ' live '].forEach((value, i) => {
      setInstanceTag(estate, REDIS_IDS[i]!, 'Environment', value);
      setInstanceTag(estate, REDIS_IDS[i]!, 'RedisCluster', undefined);
    });
    const findings = runRule(clusterSizeRule, estate);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'PASS', resourceId: `${ACCOUNT}/${REGION}/live`, cluster: 'LIVE' });
    const subnet = findingFor(subnetDedicatedRule, estate, REDIS_SUBNET);
    expect(subnet.status).toBe('PASS');
  });

  it('cluster tags that differ only in case and spaces are one cluster', () => {
    const estate = compliantEstate();
    setInstanceTag(estate, REDIS_IDS[1], 'RedisCluster', 'Sessions-Prod ');
    const findings = runRule(clusterSizeRule, estate);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[`${ACCOUNT}/${REGION}/sessions-prod`, 'PASS']]);
  });
});

describe('5. what is on record decides when it is decisive', () => {
  it('instance.disk: 30 GiB on record passes although another volume has no record', () => {
    const estate = changeInstance(compliantEstate(), REDIS_IDS[0], (i) => i.BlockDeviceMappings!.push({ DeviceName: '/dev/xvdz', Ebs: { VolumeId: 'vol-0missing000000001', Status: 'attached' } }));
    estate.mutate((t) => (t.ec2.Volumes.find((v) => v.Attachments?.[0]?.InstanceId === REDIS_IDS[0])!.Size = 30));
    const f = findingFor(instanceDiskRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('vol-0missing000000001');
  });

  it('instance.disk: 5 GiB on record and a volume without record stays unknown', () => {
    const estate = changeInstance(compliantEstate(), REDIS_IDS[0], (i) => i.BlockDeviceMappings!.push({ DeviceName: '/dev/xvdz', Ebs: { VolumeId: 'vol-0missing000000001', Status: 'attached' } }));
    estate.mutate((t) => (t.ec2.Volumes.find((v) => v.Attachments?.[0]?.InstanceId === REDIS_IDS[0])!.Size = 5));
    expect(findingFor(instanceDiskRule, estate, REDIS_IDS[0]).status).toBe('UNKNOWN');
  });

  it('subnet.private: public IP on launch fails even when the route table is missing', () => {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.RouteTables = [];
      t.ec2.Subnets.find((s) => s.SubnetId === REDIS_SUBNET)!.MapPublicIpOnLaunch = true;
    });
    const f = findingFor(subnetPrivateRule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('MapPublicIpOnLaunch');
    expect(f.observed).toContain('routes were not judged');
  });

  it('subnet.dedicated: a recorded Lambda interface fails the subnet although the interface listing failed', () => {
    const estate = compliantEstate()
      .foreignNetworkInterface({ NetworkInterfaceId: 'eni-0lambda000000001', SubnetId: REDIS_SUBNET, InterfaceType: 'lambda', RequesterManaged: true, RequesterId: 'AROAEXAMPLE:fn', Description: 'AWS Lambda VPC ENI-cleanup' })
      .error({ service: 'ec2', operation: 'DescribeNetworkInterfaces', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' });
    const f = findingFor(subnetDedicatedRule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eni-0lambda000000001');
  });

  it('subnet.dedicated: a non-Redis instance from DescribeInstances in the subnet fails it although the interface listing failed', () => {
    const estate = compliantEstate()
      .instance({ id: 'i-0batch00000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.99', securityGroupIds: [FRONTEND_SG], tags: { Name: 'batch' } })
      .mutate((t) => (t.ec2.NetworkInterfaces = []))
      .error({ service: 'ec2', operation: 'DescribeNetworkInterfaces', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' });
    const f = findingFor(subnetDedicatedRule, estate, REDIS_SUBNET);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('i-0batch00000000001');
  });
});

describe('6. a record listed twice', () => {
  it('is one instance when both copies agree: two servers do not pass as three', () => {
    const estate = compliantEstate().mutate((t) => {
      t.ec2.Reservations = t.ec2.Reservations.filter((r) => !r.Instances?.some((i) => i.InstanceId === REDIS_IDS[2]));
      const first = t.ec2.Reservations.find((r) => r.Instances?.some((i) => i.InstanceId === REDIS_IDS[0]))!;
      t.ec2.Reservations.push(structuredClone(first));
    });
    const result = evaluateSnapshot(estate.snapshot(), { now: () => new Date('2026-11-25T03:00:00Z') });
    expect(result.findings.find((f) => f.ruleId === 'cluster.size')!.status).toBe('FAIL');
    expect(result.findings.filter((f) => f.ruleId === 'instance.vcpu' && f.resourceId === REDIS_IDS[0])).toHaveLength(1);
    expect(buildEstate(estate.target, DEFAULT_CONFIG).target.redisServers).toHaveLength(2);
  });

  it('rejects the snapshot, naming the second record, when the copies differ', () => {
    const estate = compliantEstate().mutate((t) => {
      const copy = structuredClone(t.ec2.Reservations[0]!);
      copy.Instances![0]!.InstanceType = 't3.small';
      t.ec2.Reservations.push(copy);
    });
    const count = estate.target.ec2.Reservations.length;
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'estate.json')).toThrow(SnapshotError);
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'estate.json')).toThrow(`estate.json: invalid snapshot at $.targets[0].ec2.Reservations[${count - 1}].Instances[0]: instance ${REDIS_IDS[0]} is recorded twice with different contents`);
  });

  it('counts a volume listed twice once', () => {
    const estate = compliantEstate().mutate((t) => {
      const volume = t.ec2.Volumes.find((v) => v.Attachments?.[0]?.InstanceId === REDIS_IDS[0])!;
      volume.Size = 6;
      t.ec2.Volumes.push(structuredClone(volume));
    });
    expect(findingFor(instanceDiskRule, estate, REDIS_IDS[0]).status).toBe('FAIL');
  });

  it('front-ends listed twice are judged once', () => {
    const estate = compliantEstate().mutate((t) => t.ec2.Reservations.push(structuredClone(t.ec2.Reservations.find((r) => r.Instances?.[0]?.InstanceId === FRONTEND_IDS[0])!)));
    const f = findingFor(networkFrontendReachabilityRule, estate, REDIS_IDS[0]);
    expect(f.observed).toContain('All 2 front-end(s)');
  });
});
