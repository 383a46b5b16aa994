/** The scanner stack as synthesized: schedule, IAM (every statement), API, alarms, fan-out, DLQs. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { READER_IAM_ACTIONS } from '../../lambdas/adapters/collectors/reader-iam-actions';
import { HANDLER_NAMES } from '../../lib/constructs/scanner-function';
import { buildTestApp } from './app-fixture';
import { grantLines, roleId, roleStatements } from './iam-statements';

const TABLE = 'arn:${AWS::Partition}:dynamodb:eu-west-1:111122223333:table/RedisCompliance-findings';
const INDEXES = `${TABLE}/index/*`;
const KEY = 'import(RedisCompliance-Data:ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6)';
const READER = READER_IAM_ACTIONS.map((a) => `Allow ${a} on *`);
const rw = ['GetItem', 'Query', 'PutItem', 'DeleteItem', 'BatchWriteItem'].map((a) => `Allow dynamodb:${a} on ${TABLE} | ${INDEXES}`);
const keyWrite = ['Decrypt', 'DescribeKey', 'Encrypt', 'ReEncrypt*', 'GenerateDataKey*'].map((a) => `Allow kms:${a} on ${KEY}`);
const logs = (fn: string) => [`Allow logs:CreateLogStream on ${fn}`, `Allow logs:PutLogEvents on ${fn}`];
const sorted = (lines: string[]) => [...lines].sort();

function scannerTemplate(overrides: Parameters<typeof buildTestApp>[0] = {}): Template {
  return Template.fromStack(buildTestApp(overrides).stacks.scanner);
}

function grants(template: Template, prefix: string): string[] {
  return grantLines(roleStatements(template, roleId(template, prefix)));
}

function logGroupArn(template: Template, prefix: string): string {
  const ids = Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return `${ids[0]}.Arn`;
}

describe('schedule', () => {
  test('EventBridge Scheduler runs the scan Lambda on the configured cron and time zone', () => {
    const t = scannerTemplate({ schedule: { cron: 'cron(30 3 ? * MON-FRI *)', timeZone: 'Europe/Lisbon' } });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 3 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Lisbon',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ScanFunction'), 'Arn'] },
        Input: JSON.stringify({ trigger: 'scheduled', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] } },
      }),
    });
  });

  test('with the fan-out enabled the schedule starts the state machine instead', () => {
    const t = scannerTemplate({ fanOut: { enabled: true } });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^FanOutStateMachine') }, Input: JSON.stringify({ trigger: 'scheduled', scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
    });
    expect(grants(t, 'ScheduleRole')).toEqual(sorted([
      `Allow states:StartExecution on \${${Object.keys(t.findResources('AWS::StepFunctions::StateMachine'))[0]}}`,
      'Allow sqs:SendMessage on DeadLetterQueue9F481546.Arn',
    ]));
  });

  test('a disabled schedule is deployed DISABLED', () => {
    scannerTemplate({ schedule: { enabled: false } }).hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
  });
});

describe('IAM: every statement of every role, exact actions and resources', () => {
  const t = scannerTemplate({
    targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: ['444455556666'] },
    report: { recipients: ['ops@example.com'], sender: 'compliance@example.com', senderIdentity: 'example.com' },
  });

  test('scan: reader actions, AssumeRole on the reader role name, table, events, its logs, the DLQ', () => {
    expect(grants(t, 'ScanRole')).toEqual(sorted([
      ...READER,
      'Allow sts:AssumeRole on arn:${AWS::Partition}:iam::*:role/RedisComplianceReader',
      ...rw, ...keyWrite,
      'Allow events:PutEvents on EventBus7B8748AA.Arn',
      'Allow sqs:SendMessage on DeadLetterQueue9F481546.Arn',
      ...logs(logGroupArn(t, 'ScanLogs')),
    ]));
  });

  test('report: reads the table and records its deliveries, the secret (decrypt only through Secrets Manager), ses:SendEmail on sender and recipient identities', () => {
    const lines = grants(t, 'ReportRole');
    expect(lines).toEqual(sorted([
      `Allow dynamodb:GetItem on ${TABLE} | ${INDEXES}`,
      `Allow dynamodb:Query on ${TABLE} | ${INDEXES}`,
      `Allow dynamodb:PutItem on ${TABLE} | ${INDEXES}`,
      ...keyWrite,
      'Allow secretsmanager:GetSecretValue on import(RedisCompliance-Data:ExportsOutputRefSlackWebhookSecretD7DD20C0F52D9419)',
      `Allow kms:Decrypt on ${KEY}`,
      'Allow ses:SendEmail on arn:${AWS::Partition}:ses:eu-west-1:111122223333:identity/example.com | arn:${AWS::Partition}:ses:eu-west-1:111122223333:identity/ops@example.com',
      'Allow sqs:SendMessage on DeadLetterQueue9F481546.Arn',
      // The full HTML report the e-mail links to (presigned): reports/* of the report bucket, the data key through S3.
      'Allow s3:GetObject on ReportBucket6B54E113.Arn/reports/*',
      'Allow s3:PutObject on ReportBucket6B54E113.Arn/reports/*',
      `Allow kms:Decrypt on ${KEY}`,
      `Allow kms:GenerateDataKey on ${KEY}`,
      ...logs(logGroupArn(t, 'ReportLogs')),
    ]));
    const decrypt = roleStatements(t, roleId(t, 'ReportRole')).find((s) => s.sid === 'DecryptSlackWebhookSecret');
    expect(decrypt?.condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
  });

  test('api: the store and invoking the scan function (unqualified ARN only)', () => {
    // Reports too large for an API response: reports/* of the report bucket, the data key through S3 (lib/constructs/report-bucket.ts).
    const reportObjects = ['Allow s3:GetObject on ReportBucket6B54E113.Arn/reports/*', 'Allow s3:PutObject on ReportBucket6B54E113.Arn/reports/*', 'Allow kms:Decrypt on import(RedisCompliance-Data:ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6)', 'Allow kms:GenerateDataKey on import(RedisCompliance-Data:ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6)'];
    expect(grants(t, 'ApiRole')).toEqual(sorted([...rw, ...keyWrite, ...reportObjects, 'Allow lambda:InvokeFunction on ScanFunction21898010.Arn', ...logs(logGroupArn(t, 'ApiLogs'))]));
  });

  test('fan-out functions: list-targets takes the scan lease (that item only); the worker reads the estate and writes its chunks; merge owns the store', () => {
    expect(grants(t, 'FanOutListTargetsRole')).toEqual(sorted([
      `Allow dynamodb:GetItem on ${TABLE}`,
      `Allow dynamodb:PutItem on ${TABLE}`,
      ...keyWrite,
      ...logs(logGroupArn(t, 'FanOutListTargetsLogs')),
    ]));
    const lease = roleStatements(t, roleId(t, 'FanOutListTargetsRole')).find((st) => st.sid === 'ScanLease');
    expect(lease?.condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LEASE#SCAN', 'SCAN#*'] } });
    expect(grants(t, 'ScanFailedRole')).toEqual(sorted([...rw, ...keyWrite, 'Allow events:PutEvents on EventBus7B8748AA.Arn', 'Allow sqs:SendMessage on DeadLetterQueue9F481546.Arn', ...logs(logGroupArn(t, 'ScanFailedLogs'))]));
    expect(grants(t, 'FanOutScanTargetRole')).toEqual(sorted([
      ...READER,
      'Allow sts:AssumeRole on arn:${AWS::Partition}:iam::*:role/RedisComplianceReader',
      `Allow dynamodb:BatchWriteItem on ${TABLE}`,
      // Its own continuation, read back after a deadline hand-off.
      `Allow dynamodb:Query on ${TABLE}`,
      ...keyWrite,
      ...logs(logGroupArn(t, 'FanOutScanTargetLogs')),
    ]));
    expect(grants(t, 'FanOutMergeRole')).toEqual(sorted([...rw, ...keyWrite, 'Allow events:PutEvents on EventBus7B8748AA.Arn', ...logs(logGroupArn(t, 'FanOutMergeLogs'))]));
  });

  test('state machine: invokes its four functions, records failures with PutItem on the table, logs and traces', () => {
    const fn = (p: string) => Object.keys(t.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(p))!;
    expect(grants(t, 'FanOutStateMachineRole')).toEqual(sorted([
      ...['FanOutListTargetsFunction', 'FanOutScanTargetFunction', 'FanOutMergeFunction', 'ScanFailedFunction'].map((p) => `Allow lambda:InvokeFunction on ${fn(p)}.Arn | ${fn(p)}.Arn:*`),
      `Allow dynamodb:PutItem on ${TABLE}`,
      ...keyWrite,
      ...['CreateLogDelivery', 'DeleteLogDelivery', 'DescribeLogGroups', 'DescribeResourcePolicies', 'GetLogDelivery', 'ListLogDeliveries', 'PutResourcePolicy', 'UpdateLogDelivery'].map((a) => `Allow logs:${a} on *`),
      ...['GetSamplingRules', 'GetSamplingTargets', 'PutTelemetryRecords', 'PutTraceSegments'].map((a) => `Allow xray:${a} on *`),
    ]));
  });

  test('every statement on the data key holds only through a service (kms:ViaService): DynamoDB for the table, Secrets Manager for the secret', () => {
    for (const p of ['ScanRole', 'ReportRole', 'ApiRole', 'FanOutScanTargetRole', 'FanOutMergeRole', 'FanOutStateMachineRole']) {
      const keyStatements = roleStatements(t, roleId(t, p)).filter((st) => st.resources.includes(KEY));
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const st of keyStatements) {
        const via = (st.condition as { StringEquals?: Record<string, string> } | undefined)?.StringEquals?.['kms:ViaService'];
        expect(via).toMatch(/^[a-z0-9-]+\.eu-west-1\.amazonaws\.com$/);
        if (st.sid === 'FindingsTableKey') expect(via).toBe('dynamodb.eu-west-1.amazonaws.com');
        if (st.sid === 'DecryptSlackWebhookSecret') expect(via).toBe('secretsmanager.eu-west-1.amazonaws.com');
      }
    }
  });

  test('scanner roles carry the /redis-compliance/ path the reader role trusts, and no managed policy', () => {
    for (const p of ['ScanRole', 'FanOutScanTargetRole', 'ReportRole', 'ApiRole']) {
      const role = t.findResources('AWS::IAM::Role')[roleId(t, p)]!;
      expect(role['Properties']['Path']).toBe('/redis-compliance/');
      expect(role['Properties']['ManagedPolicyArns']).toBeUndefined();
    }
  });

  test('self mode: the scan Lambda gets no sts:AssumeRole; without recipients no ses:SendEmail; Slack off drops the secret', () => {
    const self = scannerTemplate({ report: { slack: false } });
    expect(grants(self, 'ScanRole').filter((l) => l.includes('sts:'))).toEqual([]);
    expect(grants(self, 'ReportRole').filter((l) => /ses:|secretsmanager:/.test(l))).toEqual([]);
  });

  test('organization mode: ListAccounts (no resource-level permissions) on the state machine role only', () => {
    const org = scannerTemplate({ fanOut: { enabled: true }, targets: { regions: ['eu-west-1'], source: 'organization' } });
    expect(grants(org, 'FanOutStateMachineRole')).toContain('Allow organizations:ListAccounts on *');
    for (const p of ['ScanRole', 'FanOutScanTargetRole', 'FanOutMergeRole']) expect(grants(org, p).join('\n')).not.toContain('organizations:');
  });
});

describe('functions', () => {
  const built = buildTestApp();
  const t = Template.fromStack(built.stacks.scanner);

  test('one function per handler: arm64, Node.js 22, Powertools env, a log group with retention', () => {
    expect(built.factory.created.map((c) => c.spec.handlerName).sort()).toEqual([...HANDLER_NAMES].sort());
    const fns = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(HANDLER_NAMES.length);
    for (const fn of fns) {
      expect(fn['Properties']).toMatchObject({ Architectures: ['arm64'], Runtime: 'nodejs22.x', LoggingConfig: { LogGroup: { Ref: expect.any(String) } } });
      expect(fn['Properties']['Environment']['Variables']).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'redis-compliance', POWERTOOLS_LOG_LEVEL: 'INFO' });
    }
    for (const group of Object.values(t.findResources('AWS::Logs::LogGroup'))) expect(group['Properties']['RetentionInDays']).toBe(90);
  });

  test('asynchronously invoked functions (scan, report) send failures to the DLQ', () => {
    for (const p of ['ScanFunction', 'ReportFunction']) {
      const [id] = Object.keys(t.findResources('AWS::Lambda::Function')).filter((i) => i.startsWith(p));
      expect(t.findResources('AWS::Lambda::Function')[id!]!['Properties']['DeadLetterConfig']).toEqual({ TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] } });
    }
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  test('the report runs on Scan Completed events of the scanner bus, with retries and the DLQ', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^EventBus') },
      EventPattern: { source: ['redis-compliance'], 'detail-type': ['Scan Completed'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportFunction'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 }, DeadLetterConfig: Match.anyValue() })],
    });
  });
});

describe('API', () => {
  const t = scannerTemplate();
  const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));

  test('every method requires AWS_IAM and has the request validator; no OPTIONS (CORS off)', () => {
    expect(methods.length).toBe(8);
    for (const m of methods) {
      expect(m['Properties']['AuthorizationType']).toBe('AWS_IAM');
      expect(m['Properties']['RequestValidatorId']).toEqual({ Ref: expect.stringMatching(/Validator/) });
      expect(m['Properties']['HttpMethod']).not.toBe('OPTIONS');
    }
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('path parameters are required; POST /suppressions has a body model', () => {
    const withPath = methods.filter((m) => JSON.stringify(m['Properties']['RequestParameters'] ?? {}).includes('method.request.path'));
    expect(withPath).toHaveLength(3);
    for (const m of withPath) expect(Object.entries(m['Properties']['RequestParameters']).filter(([k]) => k.startsWith('method.request.path')).every(([, v]) => v === true)).toBe(true);
    t.hasResourceProperties('AWS::ApiGateway::Model', { Schema: Match.objectLike({ required: ['ruleId', 'resourcePattern', 'reason', 'owner', 'expiresAt'], additionalProperties: false }) });
  });

  test('stage: throttled, JSON access logs, error execution logs without data trace', () => {
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
  });

  test('configured CORS origins add preflight methods (the only unsigned ones)', () => {
    const cors = Object.values(scannerTemplate({ api: { corsAllowOrigins: ['https://console.example.com'] } }).findResources('AWS::ApiGateway::Method'));
    expect(cors.filter((m) => m['Properties']['HttpMethod'] === 'OPTIONS').length).toBeGreaterThan(0);
  });
});

describe('alarms', () => {
  const t = scannerTemplate({ alarms: { email: 'oncall@example.com' } });
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));

  test('errors, throttles and duration near timeout for each function; DLQ; state machine; API 5XX; scan outcome', () => {
    const byMetric = (name: string) => alarms.filter((a) => a['Properties']['MetricName'] === name);
    expect(byMetric('Errors')).toHaveLength(7);
    expect(byMetric('Throttles')).toHaveLength(7);
    expect(byMetric('Duration')).toHaveLength(7);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    expect(byMetric('ExecutionsFailed')).toHaveLength(1);
    expect(byMetric('5XXError')).toHaveLength(1);
    expect(byMetric('ScanNotComplete')).toHaveLength(1);
    // Scan timeout 900 s: the alarm fires above 80% of it.
    expect(byMetric('Duration').map((a) => a['Properties']['Threshold'])).toContain(720000);
    for (const a of alarms) expect(a['Properties']['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
  });

  test('PARTIAL / FAILED scans: a metric filter on the scan, merge and failure-path log groups', () => {
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')).filter((f) => f['Properties']['MetricTransformations'][0]['MetricName'] === 'ScanNotComplete');
    expect(filters).toHaveLength(3);
    for (const f of filters) {
      expect(f['Properties']['FilterPattern']).toBe('{ (($.message = "scan finished") && (($.status = "PARTIAL") || ($.status = "FAILED"))) || ($.message = "scan failed: no snapshot") }');
      expect(f['Properties']['MetricTransformations']).toEqual([{ MetricNamespace: 'RedisCompliance', MetricName: 'ScanNotComplete', MetricValue: '1', DefaultValue: 0 }]);
    }
  });

  test('with Security Hub or finding events on, a failed export alarms (metric filter on the scan and merge log groups)', () => {
    expect(alarms.some((a) => a['Properties']['MetricName'] === 'FindingExportFailed')).toBe(false);
    const withExports = scannerTemplate({ alarms: { email: 'oncall@example.com' }, findingEvents: { enabled: true } });
    const exportAlarms = Object.values(withExports.findResources('AWS::CloudWatch::Alarm')).filter((a) => a['Properties']['MetricName'] === 'FindingExportFailed');
    expect(exportAlarms).toHaveLength(1);
    expect(exportAlarms[0]!['Properties']['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
    const filters = Object.values(withExports.findResources('AWS::Logs::MetricFilter')).filter((f) => f['Properties']['MetricTransformations'][0]['MetricName'] === 'FindingExportFailed');
    expect(filters).toHaveLength(2);
    for (const f of filters) expect(f['Properties']['FilterPattern']).toBe('{ $.message = "finding export failed" }');
  });

  test('the topic is KMS-encrypted, SSL-only, with the e-mail subscription', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });
});

describe('fan-out state machine', () => {
  function definition(overrides: Parameters<typeof buildTestApp>[0]) {
    const t = scannerTemplate(overrides);
    const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const body = machine['Properties']['DefinitionString'];
    const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    return { machine, states: JSON.parse(text).States as Record<string, Record<string, unknown>> };
  }

  test('the Map runs at most maxConcurrency workers, retries them, and records a failed target', () => {
    const { machine, states } = definition({ fanOut: { enabled: true, maxConcurrency: 7 } });
    const map = states['ScanTargets']!;
    expect(map['Type']).toBe('Map');
    expect(map['MaxConcurrency']).toBe(7);
    expect(map['ItemsPath']).toBe('$.targets');
    expect(map['ResultPath']).toBeNull();
    const worker = (map['ItemProcessor'] as { States: Record<string, Record<string, unknown>> }).States['ScanTarget']!;
    expect(worker['Retry']).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.TaskFailed', 'States.Timeout'], MaxAttempts: 2 })]));
    expect(worker['Catch']).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordTargetFailure', ResultPath: '$.failure' })]);
    expect(machine['Properties']['TracingConfiguration']).toEqual({ Enabled: true });
    expect(machine['Properties']['LoggingConfiguration']).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(Object.keys(states)).toEqual(expect.arrayContaining(['ListTargets', 'ScanTargets', 'MergeAndEvaluate']));
  });

  test('a worker that stopped at its deadline is invoked again with continuation: true until it has stored its target', () => {
    const { states } = definition({ fanOut: { enabled: true } });
    const map = states['ScanTargets']!;
    expect((map['ItemSelector'] as Record<string, unknown>)['continuation']).toBe(false);
    const inner = (map['ItemProcessor'] as { StartAt: string; States: Record<string, Record<string, unknown>> });
    expect(inner.StartAt).toBe('ScanTarget');
    const worker = inner.States['ScanTarget']!;
    expect((worker['Parameters'] as { Payload: Record<string, string> }).Payload).toEqual({ 'scanId.$': '$.scanId', 'expiresAt.$': '$.expiresAt', 'accountId.$': '$.accountId', 'region.$': '$.region', 'continuation.$': '$.continuation' });
    expect(worker['ResultSelector']).toEqual({ 'continued.$': '$.Payload.continued' });
    expect(worker['ResultPath']).toBe('$.progress');
    expect(worker['Next']).toBe('TargetContinued');
    expect(inner.States['TargetContinued']).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.progress.continued', BooleanEquals: true, Next: 'ContinueTarget' }], Default: 'TargetStored' });
    expect(inner.States['ContinueTarget']).toMatchObject({ Type: 'Pass', Next: 'ScanTarget', Parameters: { 'scanId.$': '$.scanId', 'expiresAt.$': '$.expiresAt', 'accountId.$': '$.accountId', 'region.$': '$.region', continuation: true } });
    expect(inner.States['TargetStored']).toEqual({ Type: 'Succeed' });
  });

  test('organization mode pages through ListAccounts and loops until there is no NextToken', () => {
    const { states } = definition({ fanOut: { enabled: true }, targets: { regions: ['eu-west-1'], source: 'organization' } });
    expect(states['ListAccounts']!['Resource']).toBe('arn:TOKEN:states:::aws-sdk:organizations:listAccounts');
    expect(states['ListAccounts']!['Next']).toBe('ExpandAccountsPage');
    expect(states['ScanTargets']!['ItemsPath']).toBe('$.expanded.targets');
    expect(states['ScanTargets']!['Next']).toBe('MoreAccounts');
    expect(states['MoreAccounts']!['Choices']).toEqual([expect.objectContaining({ Variable: '$.page.NextToken', IsPresent: true, Next: 'ListAccountsNextPage' })]);
    expect(states['ListAccountsNextPage']!['Next']).toBe('ExpandAccountsPage');
  });
});
