/**
 * The capacity rules (and subnet.dedicated / subnet.private) on missing or boundary evidence:
 * used_memory not reported, RAM unknown but a process already over its limit, the documented 80 %
 * boundary, a metric result without data points, one direction with no result, a terminated
 * instance still listed, a blackhole internet route.
 */
import { capacityBandwidthRule } from '../../../lambdas/core/rules/capacity-bandwidth';
import { capacityMemoryRule } from '../../../lambdas/core/rules/capacity-memory';
import { subnetDedicatedRule } from '../../../lambdas/core/rules/subnet-dedicated';
import { subnetPrivateRule } from '../../../lambdas/core/rules/subnet-private';
import { HEALTHY_LAYOUT, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';
import { FRONTEND_SG, REDIS_IDS, REDIS_SUBNET, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { bytesPerPeriod, withNetworkMetrics } from '../../support/network-metrics';

const GIB = 1024 ** 3;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}`, totalSystemMemory: 8 * GIB }));

/** Server 0's two processes (port 7000 master, port 7001 replica) with these memory figures. */
function withMemory(first: Partial<NodeSpec>, second: Partial<NodeSpec> = {}): EstateBuilder {
  const layout = HEALTHY_LAYOUT.map((n) => ({ ...n, maxmemory: 3 * GIB, usedMemory: GIB }));
  Object.assign(layout[0]!, first);
  Object.assign(layout[5]!, second);
  return withClusterProbe(compliantEstate(), SERVERS, layout);
}

/** Changes server 0's Custom:RedisServer rows. */
function serverRows(estate: EstateBuilder, change: (row: Record<string, string>) => void): EstateBuilder {
  return estate.mutate((t) => {
    for (const row of t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['Custom:RedisServer']!.Content!) change(row);
  });
}

const memory = (estate: EstateBuilder) => findingFor(capacityMemoryRule, estate, REDIS_IDS[0]);

describe('capacity.memory', () => {
  it('is UNKNOWN, not PASS, when a process does not report used_memory', () => {
    const f = memory(serverRows(withMemory({}), (row) => row.port === '7000' && delete row.used_memory));
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('Port 7000 (master) did not report used_memory');
  });

  it('fails used_memory above maxmemory even when the RAM is not known', () => {
    const estate = serverRows(withMemory({ usedMemory: Math.round(3.2 * GIB) }), (row) => (row.total_system_memory = '')).mutate((t) => (t.ec2.InstanceTypes = []));
    const f = memory(estate);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Port 7000 (master) uses 3.2 GiB of 3 GiB (107 %), above 80 %');
    expect(f.observed).toContain('The RAM of i-0aaa00000000000a1 is not known');
  });

  it('passes used_memory exactly at 80 % of maxmemory (the documented limit is "at or under")', () => {
    const f = memory(withMemory({ maxmemory: 2.5 * GIB, usedMemory: 2 * GIB }));
    expect(f.status).toBe('PASS');
    // One byte more is above the limit.
    expect(memory(withMemory({ maxmemory: 2.5 * GIB, usedMemory: 2 * GIB + 1 })).status).toBe('FAIL');
  });
});

const END = new Date('2026-11-25T02:00:00.000Z');
const quiet = { inBytes: [bytesPerPeriod(300e6)], outBytes: [bytesPerPeriod(200e6)] };

function measured(first: { inBytes: number[]; outBytes: number[] }): EstateBuilder {
  return withNetworkMetrics(compliantEstate(), END, { [REDIS_IDS[0]]: first, [REDIS_IDS[1]]: quiet, [REDIS_IDS[2]]: quiet });
}

/** Drops server 0's NetworkOut result from the snapshot (the query stays). */
function withoutOutboundResult(estate: EstateBuilder): EstateBuilder {
  return estate.mutate((t) => {
    const out = t.cloudwatch!.MetricDataQueries.find((q) => q.MetricStat?.Metric.MetricName === 'NetworkOut' && q.MetricStat.Metric.Dimensions?.[0]?.Value === REDIS_IDS[0])!;
    t.cloudwatch!.MetricDataResults = t.cloudwatch!.MetricDataResults.filter((r) => r.Id !== out.Id);
  });
}

describe('capacity.bandwidth', () => {
  it('reads a Complete result without data points as not measured (UNKNOWN), not as 0 bps', () => {
    const f = findingFor(capacityBandwidthRule, measured({ inBytes: [bytesPerPeriod(300e6)], outBytes: [] }), REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('CloudWatch has no NetworkOut data points for i-0aaa00000000000a1');
    expect(f.observed).not.toContain('outbound 0 kbps');
  });

  it('fails an inbound peak over 80 % of the baseline even when NetworkOut has no result', () => {
    const f = findingFor(capacityBandwidthRule, withoutOutboundResult(measured({ inBytes: [bytesPerPeriod(1.1e9)], outBytes: [bytesPerPeriod(100e6)] })), REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Measured inbound 1.1 Gbps above 80 % of the baseline');
    expect(f.observed).toContain('outbound not measured');
  });
});

describe('subnet.dedicated', () => {
  it('does not count a terminated instance still listed in the subnet when the interface listing failed', () => {
    const estate = compliantEstate()
      .instance({ id: 'i-0gone000000000001', subnetId: REDIS_SUBNET, privateIp: '10.0.1.90', state: 'terminated', securityGroupIds: [FRONTEND_SG], tags: { Name: 'old-bastion' } })
      .mutate((t) => (t.ec2.NetworkInterfaces = t.ec2.NetworkInterfaces.filter((e) => e.Attachment?.InstanceId !== 'i-0gone000000000001')))
      .error({ service: 'ec2', operation: 'DescribeNetworkInterfaces', code: 'UnauthorizedOperation', message: 'not authorized' });
    const f = findingFor(subnetDedicatedRule, estate, REDIS_SUBNET);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).not.toContain('i-0gone000000000001');
  });
});

describe('subnet.private', () => {
  it('passes a subnet whose only internet route is a blackhole (State blackhole: the gateway is gone, nothing is routed)', () => {
    const estate = compliantEstate().routeTable('rtb-0blackhole000001', { subnetIds: [REDIS_SUBNET], routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0deleted', State: 'blackhole' }] });
    expect(findingFor(subnetPrivateRule, estate, REDIS_SUBNET).status).toBe('PASS');
  });
});
