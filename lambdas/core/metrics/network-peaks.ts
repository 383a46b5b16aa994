/**
 * The peak network rates of one instance from the snapshot's CloudWatch section.
 *
 * AWS/EC2 NetworkIn / NetworkOut count the bytes received / sent on all network interfaces during
 * the period; with the Sum statistic and a 300-second period (basic monitoring publishes every five
 * minutes), a value divided by 300 is the average bytes per second over those five minutes
 * (Amazon EC2 User Guide, "CloudWatch metrics that are available for your instances",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html). EC2
 * bandwidth specifications apply to inbound and outbound traffic separately ("Amazon EC2 instance
 * network bandwidth", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html:
 * "up to 10 Gbps of bandwidth for inbound traffic and, simultaneously, up to 10 Gbps for outbound").
 */
import type { CloudWatchSection, MetricDataQuery, MetricDataResult } from '../snapshot/schema';

export interface NetworkPeaks {
  periodSeconds: number;
  points: number;
  /** Bits per second: the busiest period of each direction, and of both together. */
  peakInBps: number;
  peakOutBps: number;
  peakCombinedBps: number;
  peakInAt: string;
  peakOutAt: string;
  peakCombinedAt: string;
  /** Whether a result was not Complete (PartialData, InternalError, Forbidden). */
  incomplete: string | undefined;
}

export type PeaksLookup = { found: true; peaks: NetworkPeaks } | { found: false; reason: string };

interface InstanceQueries {
  in?: MetricDataQuery;
  out?: MetricDataQuery;
}

const indexes = new WeakMap<CloudWatchSection, Map<string, InstanceQueries>>();

function queriesByInstance(section: CloudWatchSection): Map<string, InstanceQueries> {
  let index = indexes.get(section);
  if (index) return index;
  index = new Map();
  for (const query of section.MetricDataQueries) {
    const stat = query.MetricStat;
    if (!stat || stat.Stat !== 'Sum' || stat.Metric.Namespace !== 'AWS/EC2') continue;
    const instanceId = stat.Metric.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
    if (!instanceId) continue;
    let entry = index.get(instanceId);
    if (!entry) index.set(instanceId, (entry = {}));
    if (stat.Metric.MetricName === 'NetworkIn') entry.in = query;
    else if (stat.Metric.MetricName === 'NetworkOut') entry.out = query;
  }
  indexes.set(section, index);
  return index;
}

const resultIndexes = new WeakMap<CloudWatchSection, Map<string, MetricDataResult>>();

/** The section's results by query id (the last of an id wins), built once per section rather than once per instance. */
function resultsById(section: CloudWatchSection): Map<string, MetricDataResult> {
  let index = resultIndexes.get(section);
  if (!index) resultIndexes.set(section, (index = new Map(section.MetricDataResults.map((r) => [r.Id, r] as const))));
  return index;
}

export function networkPeaks(section: CloudWatchSection | undefined, instanceId: string): PeaksLookup {
  if (!section) return { found: false, reason: 'The snapshot has no CloudWatch section (captured without cloudwatch:GetMetricData, or by an older collector).' };
  const queries = queriesByInstance(section).get(instanceId);
  if (!queries?.in || !queries.out) return { found: false, reason: `No NetworkIn / NetworkOut query for ${instanceId} in the snapshot's CloudWatch section.` };
  const results = resultsById(section);
  const inResult = results.get(queries.in.Id);
  const outResult = results.get(queries.out.Id);
  if (!inResult || !outResult) return { found: false, reason: `CloudWatch returned no result for the NetworkIn / NetworkOut queries of ${instanceId}.` };
  const period = queries.in.MetricStat!.Period;
  const byTime = new Map<string, { in: number; out: number }>();
  let peakIn = -1;
  let peakOut = -1;
  let peakInAt = '';
  let peakOutAt = '';
  inResult.Timestamps.forEach((t, i) => {
    const v = inResult.Values[i]!;
    byTime.set(t, { in: v, out: 0 });
    if (v > peakIn) [peakIn, peakInAt] = [v, t];
  });
  outResult.Timestamps.forEach((t, i) => {
    const v = outResult.Values[i]!;
    const slot = byTime.get(t);
    if (slot) slot.out = v;
    else byTime.set(t, { in: 0, out: v });
    if (v > peakOut) [peakOut, peakOutAt] = [v, t];
  });
  if (byTime.size === 0) return { found: false, reason: `CloudWatch has no NetworkIn / NetworkOut data points for ${instanceId} in ${section.StartTime} .. ${section.EndTime} (instance stopped, or launched after the window).` };
  let peakCombined = -1;
  let peakCombinedAt = '';
  for (const [t, v] of byTime) if (v.in + v.out > peakCombined) [peakCombined, peakCombinedAt] = [v.in + v.out, t];
  const statuses = [inResult.StatusCode, outResult.StatusCode].filter((s) => s !== undefined && s !== 'Complete');
  const toBps = (bytes: number) => (Math.max(0, bytes) * 8) / period;
  return {
    found: true,
    peaks: {
      periodSeconds: period,
      points: byTime.size,
      peakInBps: toBps(peakIn),
      peakOutBps: toBps(peakOut),
      peakCombinedBps: toBps(peakCombined),
      peakInAt,
      peakOutAt,
      peakCombinedAt,
      incomplete: statuses.length > 0 ? statuses.join(', ') : undefined,
    },
  };
}

/** "412 Mbps" / "1.2 Gbps" */
export function formatBps(bps: number): string {
  if (bps >= 1e9) return `${+(bps / 1e9).toFixed(2)} Gbps`;
  if (bps >= 1e6) return `${+(bps / 1e6).toFixed(1)} Mbps`;
  return `${+(bps / 1e3).toFixed(1)} kbps`;
}
