/**
 * CloudWatch GetMetricData for the fake AWS, over the metrics an estate holds in its snapshot
 * `cloudwatch` section (what a real capture would have read): the answer to a query is the stored
 * series of the same instance, metric and statistic, cut to [StartTime, EndTime). A metric with no
 * stored series answers with no data points (Complete), as CloudWatch does for a metric without data.
 *
 * Limits as the API reference states them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html):
 * at most 500 MetricDataQuery structures a call, at most 100,800 data points a response (then
 * NextToken, results of the cut query PartialData), Ids unique and starting with a lower-case letter.
 * Points are returned newest first (ScanBy TimestampDescending, the default).
 */
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { FakeAwsError } from './fake-region';

export const GET_METRIC_DATA_MAX_QUERIES = 500;
export const GET_METRIC_DATA_MAX_DATAPOINTS = 100_800;

interface QueryInput {
  Id?: string;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name?: string; Value?: string }> }; Period?: number; Stat?: string };
  ReturnData?: boolean;
}

export interface GetMetricDataInput {
  MetricDataQueries?: QueryInput[];
  /** Epoch seconds (JSON 1.0 protocol). */
  StartTime?: number;
  EndTime?: number;
  NextToken?: string;
  ScanBy?: string;
  MaxDatapoints?: number;
}

function invalid(message: string): FakeAwsError {
  return new FakeAwsError('InvalidParameterValue', message);
}

function seriesKey(namespace: string | undefined, metric: string | undefined, instanceId: string | undefined, stat: string | undefined, period: number | undefined): string {
  return `${namespace}|${metric}|${instanceId}|${stat}|${period}`;
}

const indexes = new WeakMap<SnapshotTarget, Map<string, Array<{ t: number; v: number }>>>();

function seriesIndex(estate: SnapshotTarget): Map<string, Array<{ t: number; v: number }>> {
  let index = indexes.get(estate);
  if (index) return index;
  index = new Map();
  const section = estate.cloudwatch;
  if (section) {
    const results = new Map(section.MetricDataResults.map((r) => [r.Id, r] as const));
    for (const query of section.MetricDataQueries) {
      const stat = query.MetricStat;
      const result = results.get(query.Id);
      if (!stat || !result) continue;
      const instanceId = stat.Metric.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
      const points = result.Timestamps.map((t, i) => ({ t: Date.parse(t) / 1000, v: result.Values[i]! })).sort((a, b) => b.t - a.t);
      index.set(seriesKey(stat.Metric.Namespace, stat.Metric.MetricName, instanceId, stat.Stat, stat.Period), points);
    }
  }
  indexes.set(estate, index);
  return index;
}

export function getMetricData(estate: SnapshotTarget, input: GetMetricDataInput): object {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0) throw invalid('The parameter MetricDataQueries is required.');
  if (queries.length > GET_METRIC_DATA_MAX_QUERIES) throw invalid(`The collection MetricDataQueries must not have a size greater than ${GET_METRIC_DATA_MAX_QUERIES}.`);
  if (input.StartTime === undefined || input.EndTime === undefined) throw invalid('The parameters StartTime and EndTime are required.');
  if (input.StartTime >= input.EndTime) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const ids = new Set<string>();
  for (const q of queries) {
    if (!q.Id || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw invalid(`The value ${q.Id} for parameter MetricDataQueries.member.Id is not valid.`);
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for parameter MetricDataQueries.member.Id is not unique.`);
    ids.add(q.Id);
    if (!q.MetricStat || !q.MetricStat.Period || q.MetricStat.Period % 60 !== 0) throw invalid(`The parameter MetricDataQueries.member.MetricStat.Period of ${q.Id} must be a multiple of 60.`);
  }
  const cap = Math.min(input.MaxDatapoints ?? GET_METRIC_DATA_MAX_DATAPOINTS, GET_METRIC_DATA_MAX_DATAPOINTS);
  // The token names the query and the point to resume at: "q.p".
  const [startQuery, startPoint] = (input.NextToken ?? '0.0').split('.').map(Number) as [number, number];
  if (!Number.isInteger(startQuery) || !Number.isInteger(startPoint) || startQuery >= queries.length) throw invalid('The parameter NextToken is not valid.');
  const index = seriesIndex(estate);
  let budget = cap;
  const results: object[] = [];
  let nextToken: string | undefined;
  for (let q = startQuery; q < queries.length; q++) {
    const query = queries[q]!;
    const stat = query.MetricStat!;
    const instanceId = stat.Metric?.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
    const all = (index.get(seriesKey(stat.Metric?.Namespace, stat.Metric?.MetricName, instanceId, stat.Stat, stat.Period)) ?? []).filter((p) => p.t >= input.StartTime! && p.t < input.EndTime!);
    const from = q === startQuery ? startPoint : 0;
    const take = all.slice(from, from + budget);
    budget -= take.length;
    const cut = from + take.length < all.length;
    results.push({ Id: query.Id, Label: stat.Metric?.MetricName, Timestamps: take.map((p) => new Date(p.t * 1000)), Values: take.map((p) => p.v), StatusCode: cut ? 'PartialData' : 'Complete', Messages: [] });
    if (cut) {
      nextToken = `${q}.${from + take.length}`;
      break;
    }
  }
  return { MetricDataResults: results, Messages: [], ...(nextToken ? { NextToken: nextToken } : {}) };
}
