import { capacityBandwidthRule } from '../../../lambdas/core/rules/capacity-bandwidth';
import { ConfigSchema, DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { changeInstance, findingFor } from '../../support/evaluate-rule';
import { bytesPerPeriod, withNetworkMetrics } from '../../support/network-metrics';
import { HEALTHY_LAYOUT, withClusterProbe } from '../../support/cluster-probe-rows';

const END = new Date('2026-11-25T02:00:00.000Z');
const quiet = { inBytes: [bytesPerPeriod(300e6), bytesPerPeriod(100e6)], outBytes: [bytesPerPeriod(200e6), bytesPerPeriod(400e6)] };

function measured(first: { inBytes: number[]; outBytes: number[] }) {
  return withNetworkMetrics(compliantEstate(), END, { [REDIS_IDS[0]]: first, [REDIS_IDS[1]]: quiet, [REDIS_IDS[2]]: quiet });
}

describe('capacity.bandwidth', () => {
  it('passes peaks under 80 % of the m5.xlarge baseline (1.25 Gbps) in each direction', () => {
    const f = findingFor(capacityBandwidthRule, measured(quiet), REDIS_IDS[0]);
    expect(f).toMatchObject({ status: 'PASS', severity: 'medium', requirement: `${REQUIREMENT.prodNetwork} ${REQUIREMENT.bandwidthFootnote}` });
    expect(f.observed).toContain('Busiest 5 minutes of 2 CloudWatch periods: inbound 300 Mbps (2026-11-25T01:55:00.000Z), outbound 400 Mbps (2026-11-25T01:50:00.000Z), both together 500 Mbps');
    expect(f.required).toContain('80 % of the 1.25 Gbps baseline of m5.xlarge (1 Gbps)');
  });

  it('fails a direction whose busiest five minutes pass 80 % of the baseline', () => {
    const f = findingFor(capacityBandwidthRule, measured({ inBytes: [bytesPerPeriod(100e6)], outBytes: [bytesPerPeriod(1.1e9)] }), REDIS_IDS[0]);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('Measured outbound 1.1 Gbps above 80 % of the baseline');
    expect(f.remediation).toContain('higher baseline bandwidth');
  });

  it('honours a configured threshold', () => {
    const estate = measured({ inBytes: [bytesPerPeriod(700e6)], outBytes: [bytesPerPeriod(100e6)] });
    expect(findingFor(capacityBandwidthRule, estate, REDIS_IDS[0]).status).toBe('PASS');
    expect(findingFor(capacityBandwidthRule, estate, REDIS_IDS[0], ConfigSchema.parse({ capacity: { bandwidthFraction: 0.5 } })).status).toBe('FAIL');
  });

  it('checks the footnote formula for a configured workload, spread over the masters in CLUSTER NODES', () => {
    const servers = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}` }));
    const estate = withClusterProbe(compliantEstate(), servers, HEALTHY_LAYOUT);
    // 20 KB x 10,000 req/s x 2 = 3.28 Gbps in all, 1.09 Gbps per master, 546 Mbps each way: passes 1 Gbps.
    const footnote = ConfigSchema.parse({ workload: { sessionSizeKB: 20, peakRequestsPerSecond: 10000 } });
    const f = findingFor(capacityBandwidthRule, estate, REDIS_IDS[0], footnote);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('3.28 Gbps in all, 1.09 Gbps per master server over 3 masters in CLUSTER NODES, about 546.1 Mbps each way');
    expect(f.observed).toContain('Measured load not judged: The snapshot has no CloudWatch section');
    // Twice the sessions per request rate: 1.09 Gbps each way fails.
    const heavy = ConfigSchema.parse({ workload: { sessionSizeKB: 40, peakRequestsPerSecond: 10000 } });
    const g = findingFor(capacityBandwidthRule, estate, REDIS_IDS[0], heavy);
    expect(g.status).toBe('FAIL');
    expect(g.remediation).toContain('add master servers');
  });

  it('is UNKNOWN with the reason when there are neither metrics nor a workload', () => {
    const f = findingFor(capacityBandwidthRule, compliantEstate(), REDIS_IDS[0], DEFAULT_CONFIG);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('The snapshot has no CloudWatch section');
    expect(f.observed).toContain('No workload (sessionSizeKB, peakRequestsPerSecond) in the configuration');
    expect(f.remediation).toContain('cloudwatch:GetMetricData');
  });

  it('is UNKNOWN when CloudWatch returned partial data that passes', () => {
    const estate = measured(quiet).mutate((t) => (t.cloudwatch!.MetricDataResults[0]!.StatusCode = 'PartialData'));
    const f = findingFor(capacityBandwidthRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('incomplete data (PartialData)');
  });

  it('is NOT_APPLICABLE to a pending server', () => {
    const estate = changeInstance(measured(quiet), REDIS_IDS[0], (i) => (i.State = { Code: 0, Name: 'pending' }));
    expect(findingFor(capacityBandwidthRule, estate, REDIS_IDS[0]).status).toBe('NOT_APPLICABLE');
  });

  it('is UNKNOWN when the instance type publishes no baseline', () => {
    const estate = changeInstance(measured(quiet), REDIS_IDS[0], (i) => (i.InstanceType = 'x9.unknown'));
    const f = findingFor(capacityBandwidthRule, estate, REDIS_IDS[0]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('x9.unknown has no DescribeInstanceTypes record');
  });
});
