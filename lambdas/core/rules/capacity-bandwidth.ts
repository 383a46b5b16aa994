/**
 * capacity.bandwidth (footnote 2, measured): the busiest five minutes of the last 14 days
 * (CloudWatch NetworkIn / NetworkOut, Sum over 300 s, turned into bits per second) against the
 * instance type's baseline bandwidth; above config.capacity.bandwidthFraction (default 80 %) fails.
 * EC2 bandwidth applies to each direction separately (see metrics/network-peaks.ts), so each
 * direction's peak is judged; the combined figure is reported beside it.
 * With `workload` in the config, the footnote's own formula too: session KB x requests/s x 2
 * (read and write), spread over the cluster's masters (one server each), half each way.
 */
import { clusterView } from '../cluster/cluster-view';
import type { EstateTarget, RedisCluster, RedisServer } from '../estate/estate';
import { formatBps, networkPeaks, type Peak } from '../metrics/network-peaks';
import { REQUIREMENT } from '../requirements';
import { instanceTypeKey, lookupInstanceType } from './instance-type-facts';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';
import { SharedVerdicts } from './shared-verdicts';

export const capacityBandwidthRule: RuleDefinition = {
  id: 'capacity.bandwidth',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server network load stays within its baseline bandwidth',
  requirement: `${REQUIREMENT.prodNetwork} ${REQUIREMENT.bandwidthFootnote}`,
  evaluate(target) {
    // Without CloudWatch metrics and a workload, a verdict reads only the type, the production flag
    // and whether the server is pending (serverVerdict below): servers alike in those share it.
    const shared = new SharedVerdicts(target.shareVerdicts);
    const alike = target.cloudwatch === undefined && !target.config.workload;
    return target.redisServers.map((server) =>
      serverFinding(capacityBandwidthRule, server, alike ? shared.get(server, `${instanceTypeKey(server)}\u0000${server.instance.State?.Name === 'pending'}`, () => serverVerdict(target, server)) : serverVerdict(target, server)),
    );
  },
};

const clustersOfServers = new WeakMap<EstateTarget, Map<RedisServer, RedisCluster>>();

/** The (first) cluster holding a server, from an index built once per target rather than a search per server. */
function clusterOf(target: EstateTarget, server: RedisServer): RedisCluster | undefined {
  let index = clustersOfServers.get(target);
  if (!index) {
    index = new Map();
    for (const cluster of target.clusters) for (const member of cluster.servers) if (!index.has(member)) index.set(member, cluster);
    clustersOfServers.set(target, index);
  }
  return index.get(server);
}

/** Masters serving slots on the cluster's servers, else the number of servers (one master each, the documented layout). */
function mastersOfCluster(target: EstateTarget, server: RedisServer): { count: number; source: string } {
  const cluster = clusterOf(target, server);
  if (!cluster) return { count: 1, source: 'one server' };
  const masters = [...clusterView(target, cluster).nodes.values()].filter((n) => n.flags.includes('master') && n.slots.length > 0).length;
  if (masters > 0) return { count: masters, source: `${masters} master${masters === 1 ? '' : 's'} in CLUSTER NODES` };
  const servers = cluster.servers.length;
  return { count: servers, source: `${servers} server${servers === 1 ? '' : 's'} of cluster ${cluster.name}, one master each (no CLUSTER NODES view)` };
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const fraction = target.config.capacity.bandwidthFraction;
  const percent = `${Math.round(fraction * 100)} %`;
  const severity = server.production ? 'medium' : 'low';
  if (server.instance.State?.Name === 'pending') {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `${server.instanceId} is pending: it carries no traffic yet.`, required: 'Peak traffic in each direction within the baseline bandwidth, once the server runs.', remediation: 'None needed now; it is judged once it runs.' };
  }
  const type = lookupInstanceType(target, server);
  const baselines = type.found ? (type.info.NetworkInfo?.NetworkCards ?? []).map((c) => c.BaselineBandwidthInGbps).filter((v): v is number => v !== undefined) : [];
  const requiredGeneric = `Peak traffic in each direction at or under ${percent} of the instance type's baseline bandwidth.`;
  if (!type.found || baselines.length === 0) {
    return { status: 'UNKNOWN', severity, observed: type.found ? `${type.info.InstanceType} reports no baseline bandwidth.` : type.reason, required: requiredGeneric, remediation: 'Capture DescribeInstanceTypes for this type (ec2:DescribeInstanceTypes) and scan again.' };
  }
  const baselineBps = baselines.reduce((a, b) => a + b, 0) * 1e9;
  const limit = fraction * baselineBps;
  const required = `Peak traffic in each direction at or under ${percent} of the ${formatBps(baselineBps)} baseline of ${type.info.InstanceType} (${formatBps(limit)}).`;
  const found = networkPeaks(target.cloudwatch, server.instanceId);
  const metricsError = target.errorFor('cloudwatch:GetMetricData');
  const measured = found.found || !metricsError ? found : { found: false as const, reason: `${found.reason} ${describeError(metricsError)}.` };
  const workload = target.config.workload;
  const sentences: string[] = [];
  const problems: string[] = [];
  const remediations: string[] = [];
  if (measured.found) {
    const p = measured.peaks;
    const part = (name: string, peak: Peak | undefined) => (peak ? `${name} ${formatBps(peak.bps)} (${peak.at})` : `${name} not measured`);
    sentences.push(`Busiest 5 minutes of ${p.points} CloudWatch periods: ${part('inbound', p.inbound)}, ${part('outbound', p.outbound)}${p.combined ? `, both together ${formatBps(p.combined.bps)} (${p.combined.at})` : ''}.`);
    // Each direction measured is judged on its own, whatever the other direction's result.
    const over = [p.inbound && p.inbound.bps > limit ? `inbound ${formatBps(p.inbound.bps)}` : '', p.outbound && p.outbound.bps > limit ? `outbound ${formatBps(p.outbound.bps)}` : ''].filter(Boolean);
    if (over.length > 0) {
      problems.push(`measured ${over.join(' and ')} above ${percent} of the baseline`);
      remediations.push(`Move ${server.instanceId} to an instance type with a higher baseline bandwidth (not an "up to" burst figure), or add servers to the cluster and rebalance slots (redis-cli --cluster add-node, then rebalance) so each carries less.`);
    }
  }
  if (workload) {
    const masters = mastersOfCluster(target, server);
    const totalBps = workload.sessionSizeKB * 1024 * workload.peakRequestsPerSecond * 2 * 8;
    const perServer = totalBps / masters.count;
    const eachWay = perServer / 2;
    sentences.push(
      `Footnote formula for the configured workload (${workload.sessionSizeKB} KB sessions x ${workload.peakRequestsPerSecond} requests/s x 2 for read and write): ${formatBps(totalBps)} in all, ${formatBps(perServer)} per master server over ${masters.source}, about ${formatBps(eachWay)} each way.`,
    );
    if (eachWay > limit) {
      problems.push(`the configured workload needs about ${formatBps(eachWay)} each way per master server, above ${percent} of the baseline`);
      remediations.push(`Use instance types with a baseline of at least ${formatBps(eachWay / fraction)}, or add master servers so the load spreads (the footnote's 1 Gbps assumes three servers for 20 KB x 10,000 requests/s).`);
    }
  }
  const baselineText = `${type.info.InstanceType} baseline ${formatBps(baselineBps)}.`;
  if (problems.length > 0) {
    return { status: 'FAIL', severity, observed: `${capitalise(problems.join('; '))}. ${sentences.join(' ')} ${baselineText}`, required, remediation: [...new Set(remediations)].join(' ') };
  }
  // A direction without data points is not a measurement of 0 bps.
  const unmeasured = measured.found ? measured.peaks.unmeasured.join(' ') : measured.reason;
  const fullyMeasured = measured.found && measured.peaks.unmeasured.length === 0;
  if (measured.found && !fullyMeasured && !workload) {
    return { status: 'UNKNOWN', severity, observed: `Only part of the load was measured: ${unmeasured}${metricsError ? ` ${describeError(metricsError)}.` : ''} ${sentences.join(' ')} ${baselineText}`, required, remediation: 'Capture the NetworkIn and NetworkOut metrics again (cloudwatch:GetMetricData), or set workload { sessionSizeKB, peakRequestsPerSecond } in redis-compliance.config.json.' };
  }
  if (!measured.found && !workload) {
    return {
      status: 'UNKNOWN',
      severity,
      observed: `No measured load and no workload to judge: ${measured.reason} No workload (sessionSizeKB, peakRequestsPerSecond) in the configuration. ${baselineText}`,
      required,
      remediation: 'Grant the scanner cloudwatch:GetMetricData and capture again, or set workload { sessionSizeKB, peakRequestsPerSecond } in redis-compliance.config.json.',
    };
  }
  if (measured.found && measured.peaks.incomplete) {
    return { status: 'UNKNOWN', severity, observed: `CloudWatch returned incomplete data (${measured.peaks.incomplete}), so the real peak may be higher. ${sentences.join(' ')} ${baselineText}`, required, remediation: 'Capture again; if CloudWatch keeps returning partial data, check the reader role allows cloudwatch:GetMetricData.' };
  }
  const missing = fullyMeasured ? '' : ` Measured load not judged: ${unmeasured}`;
  return { status: 'PASS', severity, observed: `${sentences.join(' ')} ${baselineText}${missing}`, required, remediation: 'None needed. Watch the peaks as sessions grow; add servers before a direction passes the threshold.' };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
