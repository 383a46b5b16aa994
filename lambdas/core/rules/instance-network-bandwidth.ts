import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { lookupInstanceType, describeType, instanceTypeKey } from './instance-type-facts';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';
import { SharedVerdicts } from './shared-verdicts';

export const PRODUCTION_MIN_BASELINE_GBPS = 1;
export const NON_PRODUCTION_MIN_BASELINE_GBPS = 0.1;

/** Judges the baseline (sustained) bandwidth, not the "up to" burst figure. */
export const instanceNetworkBandwidthRule: RuleDefinition = {
  id: 'instance.network-bandwidth',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server has enough baseline network bandwidth',
  requirement: REQUIREMENT.prodNetwork,
  evaluate(target) {
    const shared = new SharedVerdicts(target.shareVerdicts);
    return target.redisServers.map((server) =>
      serverFinding(instanceNetworkBandwidthRule, server, shared.get(server, instanceTypeKey(server), () => serverVerdict(target, server)), server.production ? REQUIREMENT.prodNetwork : REQUIREMENT.nonProdNetwork),
    );
  },
};

/** The verdict for one server; it names the server only in a fix (see instanceTypeKey for what else it reads). */
function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const minGbps = server.production ? PRODUCTION_MIN_BASELINE_GBPS : NON_PRODUCTION_MIN_BASELINE_GBPS;
  const severity = server.production ? 'medium' : 'low';
  const required = `Baseline bandwidth of at least ${formatBandwidth(minGbps)} (${server.production ? 'production' : 'non-production'}).`;
  const lookup = lookupInstanceType(target, server);
  if (!lookup.found) {
    return { status: 'UNKNOWN', severity, observed: lookup.reason, required, remediation: 'Capture DescribeInstanceTypes for this type (ec2:DescribeInstanceTypes) and scan again.' };
  }
  const cards = lookup.info.NetworkInfo?.NetworkCards ?? [];
  const baselines = cards.map((c) => c.BaselineBandwidthInGbps).filter((v): v is number => v !== undefined);
  const advertised = lookup.info.NetworkInfo?.NetworkPerformance;
  if (baselines.length === 0) {
    return {
      status: 'UNKNOWN',
      severity,
      observed: `${lookup.info.InstanceType} reports no baseline bandwidth${advertised ? ` (only "${advertised}", which may be a burst figure)` : ''}.`,
      required,
      remediation: 'Use a current-generation instance type whose baseline bandwidth AWS publishes, or verify the sustained bandwidth by hand and waive this finding.',
    };
  }
  const baseline = baselines.reduce((a, b) => a + b, 0);
  const peaks = cards.map((c) => c.PeakBandwidthInGbps).filter((v): v is number => v !== undefined);
  const burst = peaks.length > 0 ? `, bursting to ${formatBandwidth(peaks.reduce((a, b) => a + b, 0))}` : '';
  const observed = `${describeType(lookup.info)} has a baseline bandwidth of ${formatBandwidth(baseline)}${burst}${advertised ? ` (advertised "${advertised}")` : ''}.`;
  if (baseline >= minGbps) return { status: 'PASS', severity, observed, required, remediation: 'None needed.' };
  return {
    status: 'FAIL',
    severity,
    observed,
    required,
    remediation: `Resize ${server.instanceId} to a type with a baseline of at least ${formatBandwidth(minGbps)}: "up to" figures are burst credits, not sustained bandwidth (for example ${server.production ? 'm5.xlarge (1.25 Gbps baseline) or m7i.xlarge (1.562 Gbps)' : 't3.medium (256 Mbps baseline)'}).`,
  };
}

export function formatBandwidth(gbps: number): string {
  return gbps >= 1 ? `${+gbps.toFixed(3)} Gbps` : `${Math.round(gbps * 1000)} Mbps`;
}
