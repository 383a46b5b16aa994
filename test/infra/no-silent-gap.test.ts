/**
 * Nothing goes silently wrong: with the default configuration a synth warning says the alarms reach
 * nobody; a dead man's switch fires when no scan finished for 26 hours (missing data breaching); an
 * alarm fires when the Redis inventory is missing for a share of the servers; API Gateway's own
 * execution log group is created with retention; the 5XX alarm watches this API's name and stage only.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from './app-fixture';

function built(overrides: Parameters<typeof buildTestApp>[0] = {}) {
  const { stacks } = buildTestApp(overrides);
  return { stack: stacks.scanner, t: Template.fromStack(stacks.scanner) };
}

const byMetric = (t: Template, name: string) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a) => a['Properties']['MetricName'] === name).map((a) => a['Properties']);

describe('default configuration', () => {
  const { stack, t } = built();

  test('no alarm destination: synth warns that the alarms reach nobody', () => {
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('alarm topic has no subscriber'));
    expect(Object.keys(t.findResources('AWS::SNS::Subscription'))).toEqual([]);
  });

  test('dead man\'s switch: no finished scan in 26 hours alarms, missing data included', () => {
    const [alarm, ...more] = byMetric(t, 'ScanFinished');
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({ Namespace: 'RedisCompliance', Statistic: 'Sum', Period: 7200, EvaluationPeriods: 13, DatapointsToAlarm: 13, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', AlarmActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }] });
    // PutMetricAlarm: Period x EvaluationPeriods at most 7 days (period of an hour or more).
    expect(alarm!['Period'] * alarm!['EvaluationPeriods']).toBeLessThanOrEqual(604800);
    expect(alarm!['Period'] * alarm!['EvaluationPeriods']).toBeGreaterThanOrEqual(26 * 3600);
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')).filter((f) => f['Properties']['MetricTransformations'][0]['MetricName'] === 'ScanFinished');
    expect(filters.map((f) => f['Properties']['LogGroupName']['Ref']).sort()).toEqual([expect.stringMatching(/^FanOutMergeLogs/), expect.stringMatching(/^ScanLogs/)]);
    for (const f of filters) expect(f['Properties']['FilterPattern']).toBe('{ $.message = "scan finished" }');
  });

  test('inventory gap: a scan with half its Redis servers lacking a reported version alarms', () => {
    const [alarm] = byMetric(t, 'RedisVersionUnknownPercent');
    expect(alarm).toMatchObject({ Namespace: 'RedisCompliance', Statistic: 'Maximum', Threshold: 50, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')).filter((f) => f['Properties']['MetricTransformations'][0]['MetricName'] === 'RedisVersionUnknownPercent');
    expect(filters).toHaveLength(2);
    for (const f of filters) expect(f['Properties']['MetricTransformations'][0]['MetricValue']).toBe('$.redisVersionUnknownPercent');
  });

  test('API Gateway\'s execution log group exists with retention, before the stage', () => {
    const groups = t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^RestApi') }, '/v1']] } } });
    const [id, group] = Object.entries(groups)[0]!;
    expect(group['Properties']['RetentionInDays']).toBe(90);
    const stage = Object.values(t.findResources('AWS::ApiGateway::Stage'))[0]!;
    expect(stage['DependsOn']).toContain(id);
  });

  test('the 5XX alarm is keyed to this API (its own name) and stage', () => {
    const [alarm] = byMetric(t, '5XXError');
    const api = Object.values(t.findResources('AWS::ApiGateway::RestApi'))[0]!;
    expect(api['Properties']['Name']).toBe('RedisCompliance-Scanner-api');
    expect(alarm!['Dimensions']).toEqual([{ Name: 'ApiName', Value: 'RedisCompliance-Scanner-api' }, { Name: 'Stage', Value: { Ref: expect.stringMatching(/^RestApiDeploymentStage/) } }]);
  });
});

test('an alarm e-mail: no warning; a disabled schedule has no dead man\'s switch', () => {
  const { stack, t } = built({ alarms: { email: 'oncall@example.com' }, schedule: { enabled: false } });
  Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('alarm topic has no subscriber'));
  expect(byMetric(t, 'ScanFinished')).toEqual([]);
});

test('a weekly schedule raises the dead man\'s window', () => {
  const { t } = built({ alarms: { noScanFinishedHours: 170 - 2 } });
  expect(byMetric(t, 'ScanFinished')[0]).toMatchObject({ Period: 7200, EvaluationPeriods: 84 });
});
