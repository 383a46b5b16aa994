/**
 * A snapshot `cloudwatch` section for test estates, in the shape the CloudWatch collector writes:
 * NetworkIn / NetworkOut Sum queries per instance (period 300 s) and their results, newest first,
 * ending at `end` (rounded down to five minutes) and going back one period per value.
 */
import { networkQueries, NETWORK_METRIC_PERIOD_SECONDS, NETWORK_METRIC_WINDOW_DAYS } from '../../lambdas/adapters/collectors/cloudwatch-collector';
import type { EstateBuilder } from './estate-builder';

/** Bytes per 300-second period for a given rate in bits per second. */
export function bytesPerPeriod(bitsPerSecond: number): number {
  return Math.round((bitsPerSecond / 8) * NETWORK_METRIC_PERIOD_SECONDS);
}

export interface TrafficSeries {
  /** Bytes per period, newest first. */
  inBytes: number[];
  outBytes: number[];
}

export function withNetworkMetrics(estate: EstateBuilder, endTime: Date, traffic: Record<string, TrafficSeries>): EstateBuilder {
  const periodMs = NETWORK_METRIC_PERIOD_SECONDS * 1000;
  const end = Math.floor(endTime.getTime() / periodMs) * periodMs;
  const ids = Object.keys(traffic).sort();
  const queries = networkQueries(ids);
  const results = queries.map((query) => {
    const instanceId = query.MetricStat!.Metric.Dimensions![0]!.Value;
    const values = query.MetricStat!.Metric.MetricName === 'NetworkIn' ? traffic[instanceId]!.inBytes : traffic[instanceId]!.outBytes;
    return { Id: query.Id, Label: query.MetricStat!.Metric.MetricName, StatusCode: 'Complete', Timestamps: values.map((_, k) => new Date(end - (k + 1) * periodMs).toISOString()), Values: [...values] };
  });
  return estate.mutate((t) => {
    t.cloudwatch = { StartTime: new Date(end - NETWORK_METRIC_WINDOW_DAYS * 86_400_000).toISOString(), EndTime: new Date(end).toISOString(), MetricDataQueries: queries, MetricDataResults: results };
  });
}
