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

/** The busiest period of one direction (or of both together). */
export interface Peak {
  /** Bits per second over the period. */
  bps: number;
  at: string;
}

export interface NetworkPeaks {
  periodSeconds: number;
  /** Periods with a data point in either direction. */
  points: number;
  /** Undefined when the direction was not measured (no query, no result, or a result without data points). */
  inbound: Peak | undefined;
  outbound: Peak | undefined;
  /** Both directions together, when both were measured. */
  combined: Peak | undefined;
  /** Why a direction was not measured, one sentence each. */
  unmeasured: string[];
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

/** Bytes per period by timestamp for one direction, or why there are none. */
function series(section: CloudWatchSection, query: MetricDataQuery | undefined, metric: string, instanceId: string): { values: Map<string, number>; result: MetricDataResult } | { reason: string } {
  if (!query) return { reason: `No ${metric} query for ${instanceId} in the snapshot's CloudWatch section.` };
  const result = resultsById(section).get(query.Id);
  if (!result) return { reason: `CloudWatch returned no result for the ${metric} query of ${instanceId}.` };
  const values = new Map<string, number>();
  result.Timestamps.forEach((t, i) => {
    const v = result.Values[i];
    // A timestamp listed twice keeps its larger value, whatever the order.
    if (v !== undefined) values.set(t, Math.max(v, values.get(t) ?? -Infinity));
  });
  // A Complete result without data points measured nothing (instance stopped, or launched after the window): not 0 bps.
  if (values.size === 0) return { reason: `CloudWatch has no ${metric} data points for ${instanceId} in ${section.StartTime} .. ${section.EndTime} (instance stopped, or launched after the window).` };
  return { values, result };
}

function busiest(values: Map<string, number>, period: number): Peak {
  let best = -Infinity;
  let at = '';
  // Ties go to the earliest timestamp, so the answer does not depend on the order of the points.
  for (const [t, v] of values) if (v > best || (v === best && t < at)) [best, at] = [v, t];
  return { bps: (Math.max(0, best) * 8) / period, at };
}

export function networkPeaks(section: CloudWatchSection | undefined, instanceId: string): PeaksLookup {
  if (!section) return { found: false, reason: 'The snapshot has no CloudWatch section (captured without cloudwatch:GetMetricData, or by an older collector).' };
  const queries = queriesByInstance(section).get(instanceId);
  if (!queries?.in && !queries?.out) return { found: false, reason: `No NetworkIn / NetworkOut query for ${instanceId} in the snapshot's CloudWatch section.` };
  const inbound = series(section, queries.in, 'NetworkIn', instanceId);
  const outbound = series(section, queries.out, 'NetworkOut', instanceId);
  if ('reason' in inbound && 'reason' in outbound) return { found: false, reason: `${inbound.reason} ${outbound.reason}` };
  const period = (queries.in ?? queries.out)!.MetricStat!.Period;
  const times = new Set<string>();
  for (const s of [inbound, outbound]) if ('values' in s) for (const t of s.values.keys()) times.add(t);
  let combined: Peak | undefined;
  if ('values' in inbound && 'values' in outbound) {
    const sums = new Map<string, number>();
    for (const t of times) sums.set(t, (inbound.values.get(t) ?? 0) + (outbound.values.get(t) ?? 0));
    combined = busiest(sums, period);
  }
  const statuses = [inbound, outbound].flatMap((s) => ('result' in s && s.result.StatusCode !== undefined && s.result.StatusCode !== 'Complete' ? [s.result.StatusCode] : []));
  return {
    found: true,
    peaks: {
      periodSeconds: period,
      points: times.size,
      inbound: 'values' in inbound ? busiest(inbound.values, period) : undefined,
      outbound: 'values' in outbound ? busiest(outbound.values, period) : undefined,
      combined,
      unmeasured: [inbound, outbound].flatMap((s) => ('reason' in s ? [s.reason] : [])),
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
