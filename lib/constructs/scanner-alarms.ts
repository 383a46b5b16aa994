/**
 * CloudWatch alarms, all notifying the alarm topic:
 * - per function: any error, any throttle, maximum duration above a share of the timeout;
 * - per dead-letter queue: a message is waiting;
 * - state machine: an execution failed, timed out or was aborted;
 * - API: any 5XX;
 * - finding exports (when Security Hub or finding events are enabled): an import or publication failed;
 * - scan outcome: a scan ended PARTIAL or FAILED. This is a CloudWatch Logs metric filter on the
 *   functions that finish scans (scan, and the fan-out merge) matching the structured log lines of
 *   SCAN_OUTCOME_LOG, counted in the custom metric RedisCompliance/ScanNotComplete;
 * - no scan at all (dead man's switch): no scan finished within the configured hours. Finished
 *   scans are counted from the same log lines (RedisCompliance/ScanFinished); a period with no data
 *   is breaching, so a schedule that never fires, or a scanner that never logs, alarms too;
 * - inventory gap: the share of Redis servers whose version no inventory reports
 *   (RedisCompliance/RedisVersionUnknownPercent, from the finished line) reached the threshold: the
 *   inventory associations failing (or missing) where those servers run, in any account.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SCAN_OUTCOME_LOG } from '../../lambdas/handlers/scan-outcome-log';
import type { ScannerLambda } from './scanner-lambda';

export { SCAN_OUTCOME_LOG };

export const SCAN_OUTCOME_METRIC = { namespace: 'RedisCompliance', metricName: 'ScanNotComplete' } as const;
export const FINDING_EXPORT_METRIC = { namespace: 'RedisCompliance', metricName: 'FindingExportFailed' } as const;
export const SCAN_FINISHED_METRIC = { namespace: 'RedisCompliance', metricName: 'ScanFinished' } as const;
export const INVENTORY_GAP_METRIC = { namespace: 'RedisCompliance', metricName: 'RedisVersionUnknownPercent' } as const;

/**
 * The dead man's switch's evaluation: periods of two hours (an alarm whose period is an hour or more
 * may look back up to seven days; under an hour, one day: PutMetricAlarm's Period,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 */
export const NO_SCAN_PERIOD = Duration.hours(2);

export function scanOutcomeFilterPattern(): logs.IFilterPattern {
  return logs.FilterPattern.any(
    logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.message', '=', SCAN_OUTCOME_LOG.finishedMessage),
      logs.FilterPattern.any(...SCAN_OUTCOME_LOG.alarmingStatuses.map((s) => logs.FilterPattern.stringValue(`$.${SCAN_OUTCOME_LOG.statusField}`, '=', s))),
    ),
    logs.FilterPattern.stringValue('$.message', '=', SCAN_OUTCOME_LOG.failedMessage),
  );
}

export class ScannerAlarms extends Construct {
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, private readonly topic: sns.ITopic, private readonly durationRatio: number) {
    super(scope, id);
    this.action = new actions.SnsAction(topic);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  watchFunction(name: string, fn: ScannerLambda): void {
    const period = Duration.minutes(5);
    this.alarm(`${name}Errors`, fn.function.metricErrors({ period, statistic: 'Sum' }), 1, `redis-compliance ${name}: the function failed`);
    this.alarm(`${name}Throttles`, fn.function.metricThrottles({ period, statistic: 'Sum' }), 1, `redis-compliance ${name}: invocations were throttled`);
    const limitMs = Math.floor(fn.timeout.toMilliseconds() * this.durationRatio);
    this.alarm(`${name}DurationNearTimeout`, fn.function.metricDuration({ period, statistic: 'Maximum' }), limitMs, `redis-compliance ${name}: an invocation ran longer than ${Math.round(this.durationRatio * 100)}% of its ${fn.timeout.toSeconds()} s timeout`);
  }

  watchDeadLetterQueue(name: string, queue: sqs.IQueue): void {
    this.alarm(`${name}Messages`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 1, `redis-compliance: an event could not be delivered and waits in ${name}`);
  }

  watchStateMachine(machine: sfn.StateMachine): void {
    const period = Duration.minutes(5);
    this.alarm('FanOutFailed', machine.metricFailed({ period, statistic: 'Sum' }), 1, 'redis-compliance fan-out: an execution failed');
    this.alarm('FanOutTimedOut', machine.metricTimedOut({ period, statistic: 'Sum' }), 1, 'redis-compliance fan-out: an execution timed out');
    this.alarm('FanOutAborted', machine.metricAborted({ period, statistic: 'Sum' }), 1, 'redis-compliance fan-out: an execution was aborted');
  }

  /** 5XX answers of this API's stage only: its own (unique) name and its stage, both dimensions. */
  watchApi(api: apigateway.RestApi): void {
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensionsMap: { ApiName: api.restApiName, Stage: api.deploymentStage.stageName },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    this.alarm('Api5xx', metric, 1, 'redis-compliance API: a request failed with a 5XX');
  }

  /**
   * Dead man's switch: alarms when no scan finished (COMPLETE or PARTIAL) for `hours`: every period of
   * the window without a finished scan, missing data included, is breaching.
   */
  watchScanHeartbeat(sources: { name: string; fn: ScannerLambda }[], hours: number): cloudwatch.Alarm {
    for (const { name, fn } of sources) {
      new logs.MetricFilter(this, `${name}ScanFinishedFilter`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', SCAN_OUTCOME_LOG.finishedMessage),
        metricNamespace: SCAN_FINISHED_METRIC.namespace,
        metricName: SCAN_FINISHED_METRIC.metricName,
        metricValue: '1',
      });
    }
    const periods = Math.ceil(hours / NO_SCAN_PERIOD.toHours());
    const alarm = new cloudwatch.Alarm(this, 'NoScanFinished', {
      metric: new cloudwatch.Metric({ ...SCAN_FINISHED_METRIC, statistic: 'Sum', period: NO_SCAN_PERIOD }),
      threshold: 1,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `redis-compliance: no scan finished in the last ${periods * NO_SCAN_PERIOD.toHours()} hours (the schedule did not fire, or every scan failed or was refused)`,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /** Alarms when a finished scan found at least `percent` % of its Redis servers without a reported version. */
  watchInventoryGap(sources: { name: string; fn: ScannerLambda }[], percent: number): cloudwatch.Alarm {
    for (const { name, fn } of sources) {
      new logs.MetricFilter(this, `${name}InventoryGapFilter`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.message', '=', SCAN_OUTCOME_LOG.finishedMessage),
          logs.FilterPattern.exists(`$.${SCAN_OUTCOME_LOG.inventoryGapField}`),
        ),
        metricNamespace: INVENTORY_GAP_METRIC.namespace,
        metricName: INVENTORY_GAP_METRIC.metricName,
        metricValue: `$.${SCAN_OUTCOME_LOG.inventoryGapField}`,
      });
    }
    const metric = new cloudwatch.Metric({ ...INVENTORY_GAP_METRIC, statistic: 'Maximum', period: Duration.minutes(5) });
    return this.alarm('InventoryGap', metric, percent, `redis-compliance: a scan found ${percent}% or more of its Redis servers without a reported version: the Redis inventory association is failing or missing where they run (docs/redis-probe.md)`);
  }

  /** Counts PARTIAL / FAILED scan outcomes logged by these functions and alarms on the first. */
  watchScanOutcomes(sources: { name: string; fn: ScannerLambda }[]): cloudwatch.Alarm {
    for (const { name, fn } of sources) {
      new logs.MetricFilter(this, `${name}ScanOutcomeFilter`, {
        logGroup: fn.logGroup,
        filterPattern: scanOutcomeFilterPattern(),
        metricNamespace: SCAN_OUTCOME_METRIC.namespace,
        metricName: SCAN_OUTCOME_METRIC.metricName,
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const metric = new cloudwatch.Metric({ ...SCAN_OUTCOME_METRIC, statistic: 'Sum', period: Duration.minutes(5) });
    return this.alarm('ScanNotComplete', metric, 1, 'redis-compliance: a scan ended PARTIAL or FAILED (some data could not be collected; findings that needed it are UNKNOWN)');
  }

  /** Counts failed Security Hub imports / finding-event publications (logged after the scan is stored) and alarms on the first. */
  watchFindingExports(sources: { name: string; fn: ScannerLambda }[]): cloudwatch.Alarm {
    for (const { name, fn } of sources) {
      new logs.MetricFilter(this, `${name}FindingExportFilter`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', SCAN_OUTCOME_LOG.exportFailedMessage),
        metricNamespace: FINDING_EXPORT_METRIC.namespace,
        metricName: FINDING_EXPORT_METRIC.metricName,
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const metric = new cloudwatch.Metric({ ...FINDING_EXPORT_METRIC, statistic: 'Sum', period: Duration.minutes(5) });
    return this.alarm('FindingExportFailed', metric, 1, 'redis-compliance: findings could not be imported into Security Hub or published as events (the scan itself is stored; see the "finding export failed" log line)');
  }

  get alarmTopic(): sns.ITopic {
    return this.topic;
  }
}
