/**
 * CloudWatch collector: the network load of every Redis server over the last 14 days, for
 * capacity.bandwidth. One GetMetricData query per server and metric (AWS/EC2 NetworkIn and
 * NetworkOut, dimension InstanceId, Stat Sum, Period 300), up to 500 queries a call, each call
 * paged by NextToken until every query is Complete.
 *
 * Sources (CloudWatch API reference, GetMetricData and MetricDataResult; EC2 User Guide, instance
 * metrics):
 * - "A GetMetricData operation that does not include a query can retrieve as many as 500 different
 *   metrics in a single request, with a total of as many as 100,800 data points"; more data points
 *   come back with NextToken and StatusCode PartialData. 14 days of 5-minute sums are 4,032 points a
 *   metric, so a full call of 500 metrics takes ceil(500 x 4,032 / 100,800) = 20 pages, a call for
 *   the three servers of one cluster (6 metrics, 24,192 points) one.
 * - NetworkIn / NetworkOut: bytes received / sent on all network interfaces during the period; with
 *   basic (five-minute) monitoring a value / 300 is bytes per second. Five-minute data points are
 *   kept 63 days, so 14 days back is always available.
 * - CloudWatch speaks AWS JSON 1.0 (the SDK's protocol settings, target GraniteServiceVersion20100801).
 * A failed call is recorded as one `cloudwatch:GetMetricData` error; what was read is kept.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery as SdkQuery, type MetricDataResult as SdkResult } from '@aws-sdk/client-cloudwatch';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CloudWatchSection, CollectionError, MetricDataQuery, MetricDataResult } from '../../core/snapshot/schema';
import { apiCallCounterPlugin, type ApiCallCounter } from './api-call-counter';
import { chunk } from './chunk';
import type { ClientOptions } from './client-options';
import { boundedClientConfig, endpointOnErrorPlugin } from './bounded-calls';
import { captureProgressPlugin } from './capture-progress';
import { toCollectionError } from './collection-error';

/** MetricDataQuery structures one GetMetricData call may carry. */
export const METRIC_QUERIES_PER_CALL = 500;
/** Data points one GetMetricData answer may carry (then NextToken). */
export const METRIC_DATAPOINTS_PER_CALL = 100_800;
export const NETWORK_METRIC_PERIOD_SECONDS = 300;
export const NETWORK_METRIC_WINDOW_DAYS = 14;
export const NETWORK_METRICS = ['NetworkIn', 'NetworkOut'] as const;
export const GET_METRIC_DATA = 'GetMetricData';

type RequestHandlerConfig = NonNullable<ConstructorParameters<typeof CloudWatchClient>[0]>['requestHandler'];

export interface NetworkMetricsOptions extends ClientOptions {
  /** The end of the window (default now), rounded down to the period. */
  now?: () => Date;
}

export function createCloudWatchClient(region: string, credentials: AwsCredentialIdentity | undefined, counter: ApiCallCounter, options: ClientOptions = {}): CloudWatchClient {
  const { maxAttempts, retryStrategy, requestHandler } = boundedClientConfig(options, false);
  const client = new CloudWatchClient({ region, maxAttempts, retryStrategy, requestHandler: requestHandler as RequestHandlerConfig, ...(credentials ? { credentials } : {}) });
  client.middlewareStack.use(apiCallCounterPlugin(counter, 'cloudwatch'));
  client.middlewareStack.use(endpointOnErrorPlugin());
  if (options.progress) client.middlewareStack.use(captureProgressPlugin(options.progress));
  return client;
}

/** The queries for these instances: `in_<n>` / `out_<n>` in instance order (Ids must start with a lower-case letter). */
export function networkQueries(instanceIds: readonly string[]): MetricDataQuery[] {
  return instanceIds.flatMap((instanceId, n) =>
    NETWORK_METRICS.map((metric) => ({
      Id: `${metric === 'NetworkIn' ? 'in' : 'out'}_${n}`,
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] }, Period: NETWORK_METRIC_PERIOD_SECONDS, Stat: 'Sum' },
      ReturnData: true,
    })),
  );
}

function toSnapshotResult(result: SdkResult): MetricDataResult {
  return {
    Id: result.Id ?? '',
    ...(result.Label !== undefined ? { Label: result.Label } : {}),
    ...(result.StatusCode !== undefined ? { StatusCode: result.StatusCode } : {}),
    Timestamps: (result.Timestamps ?? []).map((t) => t.toISOString()),
    Values: result.Values ?? [],
    ...(result.Messages?.length ? { Messages: result.Messages.map((m) => ({ ...(m.Code !== undefined ? { Code: m.Code } : {}), ...(m.Value !== undefined ? { Value: m.Value } : {}) })) } : {}),
  };
}

/** Reads NetworkIn / NetworkOut of the Redis servers into the snapshot's cloudwatch section (undefined when there is none to read). */
export async function collectNetworkMetrics(client: CloudWatchClient, redisInstanceIds: readonly string[], errors: CollectionError[], now: Date = new Date()): Promise<CloudWatchSection | undefined> {
  const ids = [...new Set(redisInstanceIds)].sort();
  if (ids.length === 0) return undefined;
  const periodMs = NETWORK_METRIC_PERIOD_SECONDS * 1000;
  const end = new Date(Math.floor(now.getTime() / periodMs) * periodMs);
  const start = new Date(end.getTime() - NETWORK_METRIC_WINDOW_DAYS * 24 * 3600 * 1000);
  const queries = networkQueries(ids);
  const results = new Map<string, MetricDataResult>();
  let failed = false;
  for (const batch of chunk(queries, METRIC_QUERIES_PER_CALL)) {
    let nextToken: string | undefined;
    try {
      do {
        const page = await client.send(new GetMetricDataCommand({ MetricDataQueries: batch as SdkQuery[], StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', ...(nextToken ? { NextToken: nextToken } : {}) }));
        for (const result of page.MetricDataResults ?? []) {
          const next = toSnapshotResult(result);
          const seen = results.get(next.Id);
          // Pages continue a query's points; the last page's status is the query's.
          if (seen) results.set(next.Id, { ...seen, ...next, Timestamps: [...seen.Timestamps, ...next.Timestamps], Values: [...seen.Values, ...next.Values] });
          else results.set(next.Id, next);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (!failed) errors.push(toCollectionError('cloudwatch', GET_METRIC_DATA, error));
      failed = true;
    }
  }
  return { StartTime: start.toISOString(), EndTime: end.toISOString(), MetricDataQueries: queries, MetricDataResults: [...results.values()] };
}

/** Creates the client, reads the metrics, destroys the client. */
export async function captureNetworkMetrics(region: string, credentials: AwsCredentialIdentity | undefined, counter: ApiCallCounter, options: NetworkMetricsOptions, redisInstanceIds: readonly string[], errors: CollectionError[]): Promise<CloudWatchSection | undefined> {
  if (redisInstanceIds.length === 0) return undefined;
  const client = createCloudWatchClient(region, credentials, counter, options);
  try {
    return await collectNetworkMetrics(client, redisInstanceIds, errors, options.now ? options.now() : new Date());
  } finally {
    client.destroy();
  }
}
