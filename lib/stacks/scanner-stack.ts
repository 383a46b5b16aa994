/**
 * Stateless compute: the scan / report / api Lambdas, the nightly schedule, the "Scan Completed"
 * rule that runs the report, the REST API, the Step Functions fan-out, dead-letter queues, alarms,
 * and (optionally) the Redis inventory association of the scanner account's own region.
 */
import { Annotations, CfnElement, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { TimeZone } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EVENT_SOURCE, SCAN_COMPLETED } from '../../lambdas/handlers/wiring/event-publisher';
import { reportSenderIdentity, type AppConfig } from '../config/app-config-schema';
import { AlarmTopic } from '../constructs/alarm-topic';
import { createDeadLetterQueue } from '../constructs/dead-letter-queue';
import type { FunctionFactory } from '../constructs/function-factory';
import { assumeReaderRoleStatement, readerRoleScopeOf, readerStatement, type ReaderRoleScope } from '../constructs/reader-permissions';
import { ScanFanOut, type ReaderRoleEnrolment } from '../constructs/scan-fan-out';
import { readerRoleStackSetName } from './member-stack-sets-stack';
import { fanOutTimeoutMinutes } from '../constructs/fan-out-budget';
import { ScannerAlarms } from '../constructs/scanner-alarms';
import { ScannerApi } from '../constructs/scanner-api';
import { ScannerLambda } from '../constructs/scanner-lambda';
import { grantTableAccess, grantTableKey } from '../constructs/table-access';
import { keys as tableKeys } from '../../lambdas/adapters/store/table-design';
import { ReportBucket } from '../constructs/report-bucket';
import { wireFindingExports } from '../constructs/finding-exports';
import type { HandlerName } from '../constructs/scanner-function';
import { arnToken, iam5Action, iam5Resource } from '../constructs/nag-ids';

export interface ScannerStackProps extends StackProps {
  readonly config: AppConfig;
  /** The findings table's physical name and index names (the data stack creates it). */
  readonly tableName: string;
  readonly tableIndexNames: readonly string[];
  readonly dataKey: kms.IKey;
  readonly slackWebhookSecret: secretsmanager.ISecret;
  readonly functionFactory: FunctionFactory;
}

const SERVICE_NAME = 'redis-compliance';
const SCAN_LEASE_PARTITION = tableKeys.scanLease.PK;

export class ScannerStack extends Stack {
  readonly functions: Record<HandlerName, ScannerLambda>;
  readonly eventBus: events.EventBus;
  readonly api: ScannerApi;
  readonly fanOut: ScanFanOut;
  readonly schedule: scheduler.Schedule;
  readonly alarmTopic: AlarmTopic;
  readonly deadLetterQueue: ReturnType<typeof createDeadLetterQueue>;

  constructor(scope: Construct, id: string, props: ScannerStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Referenced by name (not the data stack's construct) so IAM statements hold a plain ARN.
    const table = dynamodb.Table.fromTableAttributes(this, 'FindingsTable', {
      tableName: props.tableName,
      encryptionKey: props.dataKey,
      globalIndexes: [...props.tableIndexNames],
    });
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const assumesRoles = config.targets.source !== 'self';
    const readerScope: ReaderRoleScope | undefined = readerRoleScopeOf(config.targets);

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.eventBus = new events.EventBus(this, 'EventBus', { description: 'redis-compliance: Scan Completed events' });

    const common = {
      TABLE_NAME: table.tableName,
      RETENTION_DAYS: String(config.retentionDays),
      SCAN_CONFIG: JSON.stringify(config.scan),
    };
    // The scan Lambda's own targets. With the fan-out the account list lives in the state machine's
    // definition (a Lambda environment holds 4 KB); the scan Lambda then scans the accounts an
    // invocation names, and refuses one that names none (lambdas/handlers/wiring/live-snapshot-source.ts).
    const targetEnv: Record<string, string> = {
      TARGET_SOURCE: config.targets.source,
      TARGET_REGIONS: config.targets.regions.join(','),
      ...(config.targets.source === 'accounts' && !config.fanOut.enabled ? { TARGET_ACCOUNTS: config.targets.accountIds.join(',') } : {}),
    };
    // The scan lease (lambdas/core/scan-lease.ts) lasts as long as the longest scan of this deployment:
    // the fan-out's execution timeout, or the scan Lambda's 15 minutes after up to an hour of asynchronous retries.
    const targetCount = config.targets.source === 'organization'
      ? config.fanOut.maxTargets
      : config.targets.regions.length * Math.max(1, new Set(config.targets.accountIds).size);
    const fanOutTimeout = Duration.minutes(fanOutTimeoutMinutes({ targets: targetCount, maxConcurrency: config.fanOut.maxConcurrency, minutesPerTarget: config.fanOut.minutesPerTarget }));
    if (config.fanOut.enabled && config.schedule.enabled && fanOutTimeout.toHours({ integral: false }) > 24) {
      Annotations.of(this).addWarningV2('redis-compliance:fan-out-longer-than-a-day', `The fan-out may run ${Math.round(fanOutTimeout.toHours({ integral: false }))} hours for ${targetCount} targets at fanOut.maxConcurrency ${config.fanOut.maxConcurrency}: a nightly scan could still run when the next is due (that start is refused). Raise fanOut.maxConcurrency (docs/deploy.md, "Fan-out capacity").`);
    }
    const leaseEnv = { SCAN_LEASE_SECONDS: String(config.fanOut.enabled ? fanOutTimeout.toSeconds() + 15 * 60 : 75 * 60) };
    const readerEnv: Record<string, string> = assumesRoles ? { READER_ROLE_NAME: config.readerRole.name, READER_EXTERNAL_ID: config.readerRole.externalId } : {};
    const senderIdentity = reportSenderIdentity(config);

    const make = (handlerName: HandlerName, id: string, description: string, timeout: Duration, memorySize: number, environment: Record<string, string>, async: boolean) =>
      new ScannerLambda(this, id, {
        factory: props.functionFactory,
        handlerName,
        description,
        timeout,
        memorySize,
        environment,
        logRetention,
        logLevel: config.logLevel,
        serviceName: SERVICE_NAME,
        ...(async ? { deadLetterQueue: this.deadLetterQueue } : {}),
      });

    const scan = make('scan', 'Scan', 'redis-compliance: capture, evaluate, store, announce (single-Lambda path)', Duration.minutes(15), 1024,
      { ...common, ...targetEnv, ...readerEnv, ...leaseEnv, EVENT_BUS_NAME: this.eventBus.eventBusName }, true);
    const report = make('report', 'Report', 'redis-compliance: Slack and e-mail report of a finished scan', Duration.minutes(2), 512,
      {
        ...common,
        ...(config.report.slack ? { SLACK_WEBHOOK_SECRET_ID: props.slackWebhookSecret.secretArn } : {}),
        ...(senderIdentity ? { EMAIL_FROM: config.report.sender!, EMAIL_TO: config.report.recipients.join(',') } : {}),
      }, true);
    const api = make('api', 'Api', 'redis-compliance: REST API (scans, findings, reports, suppressions)', Duration.seconds(29), 512,
      { ...common, ...leaseEnv, ...(config.fanOut.enabled ? {} : { SCAN_FUNCTION_NAME: scan.function.functionName }) }, false);
    // The configured accounts reach the fan-out in its definition (ScanFanOut configuredAccounts), not this environment.
    const listTargets = make('fanout-list-targets', 'FanOutListTargets', 'redis-compliance fan-out: scan lease, scan id and account x region targets', Duration.seconds(30), 256,
      { TARGET_SOURCE: config.targets.source, TARGET_REGIONS: config.targets.regions.join(','), TABLE_NAME: table.tableName, ...leaseEnv }, false);
    const scanTarget = make('fanout-scan-target', 'FanOutScanTarget', 'redis-compliance fan-out: capture one account x region', Duration.minutes(10), 1024,
      { TABLE_NAME: table.tableName, SCAN_CONFIG: common.SCAN_CONFIG, READER_ROLE_NAME: config.readerRole.name, READER_EXTERNAL_ID: config.readerRole.externalId }, false);
    const merge = make('fanout-merge', 'FanOutMerge', 'redis-compliance fan-out: merge targets, evaluate, store, announce', Duration.minutes(15), 2048,
      { ...common, ...leaseEnv, EVENT_BUS_NAME: this.eventBus.eventBusName }, false);
    const scanFailed = make('scan-failed', 'ScanFailed', 'redis-compliance fan-out: record a failed, timed-out or aborted scan FAILED and release its lease', Duration.minutes(1), 256,
      { ...common, ...leaseEnv, EVENT_BUS_NAME: this.eventBus.eventBusName }, true);
    this.functions = { scan, report, api, 'fanout-list-targets': listTargets, 'fanout-scan-target': scanTarget, 'fanout-merge': merge, 'scan-failed': scanFailed };
    if (config.scanReservedConcurrency > 0) {
      // A cost cap only: one scan at a time is the scan lease's job (lambdas/core/scan-lease.ts). A throttled
      // asynchronous scan is retried by Lambda; a throttled merge by its task's Retry (lib/constructs/scan-fan-out.ts).
      for (const fn of [scan, merge]) (fn.function.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = config.scanReservedConcurrency;
    }

    // --- Least privilege, one statement per need ---
    for (const reader of [scan, scanTarget]) {
      reader.role.addToPrincipalPolicy(readerStatement());
      if (readerScope) reader.role.addToPrincipalPolicy(assumeReaderRoleStatement(config.readerRole.name, readerScope));
      Validations.of(reader.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'The read-only EC2 Describe* and SSM DescribeInstanceInformation / ListInventoryEntries actions are read-only and asked of instances found by tag at scan time (no ARN list is known in advance); the statement lists exactly the actions the collectors call.',
      });
      if (readerScope) {
        Validations.of(reader.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${config.readerRole.name}]`,
          reason: 'The reader role is granted by name: the account is the wildcard, bounded by a condition on the role\'s account (the listed accounts by aws:ResourceAccount, or the scanner\'s own organization by aws:ResourceOrgID = aws:PrincipalOrgID), so the policy stays the same size for 1 or 1,000 accounts; the role name is fixed (and the role trusts only this account\'s scanner roles, with an external id).',
        });
      }
    }
    const tableArn = this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: props.tableName });
    grantTableAccess(scan.role, tableArn, props.dataKey, 'readWrite');
    grantTableAccess(merge.role, tableArn, props.dataKey, 'readWrite');
    grantTableAccess(api.role, tableArn, props.dataKey, 'readWrite');
    grantTableAccess(scanFailed.role, tableArn, props.dataKey, 'readWrite');
    // The fan-out's first step takes the scan lease and records the scan RUNNING: those items only.
    listTargets.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ScanLease',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [SCAN_LEASE_PARTITION, tableKeys.scanPartition('*')] } },
    }));
    grantTableKey(listTargets.role, props.dataKey, 'write');
    // The report records each delivered channel (a retry sends only what was not sent).
    grantTableAccess(report.role, tableArn, props.dataKey, 'readAndRecord');
    grantTableAccess(scanTarget.role, tableArn, props.dataKey, 'writeOnly');
    // A worker continued after its deadline reads back its own continuation (TargetResultStore.readContinuation).
    scanTarget.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'FanOutContinuation', actions: ['dynamodb:Query'], resources: [tableArn] }));
    for (const fn of [scan, merge, api, report, scanFailed]) acknowledgeTableIndexes(fn.role, `${tableArn}/index/*`, this);
    for (const fn of [scan, merge, api, scanTarget, report, scanFailed, listTargets]) acknowledgeKeyWrites(fn.role);
    this.eventBus.grantPutEventsTo(scan.role);
    this.eventBus.grantPutEventsTo(merge.role);
    this.eventBus.grantPutEventsTo(scanFailed.role);
    // Opt-in Security Hub import and finding-change events, on the functions that run a scan.
    wireFindingExports(this, { config, functions: [scan, merge] });
    if (config.report.slack) {
      // Explicit rather than secret.grantRead(): that grant writes the report role into the data
      // key's policy, a reference from the data stack back to this one (a dependency cycle).
      report.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadSlackWebhookSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.slackWebhookSecret.secretArn],
      }));
      report.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'DecryptSlackWebhookSecret',
        actions: ['kms:Decrypt'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }));
    }
    if (senderIdentity) {
      // SES authorises ses:SendEmail against the sender's identity and, while the account is in the
      // SES sandbox (where every recipient must be verified, docs/deploy.md), against each
      // recipient's identity too: the address or its domain, whichever is verified ("not authorized
      // to perform ses:SendRawEmail on resource identity/<recipient>": aws/aws-sdk-js #3641,
      // cloudposse/terraform-aws-ses #19 and #40, GSA/data.gov #3810).
      const identities = [...new Set([senderIdentity, ...config.report.recipients.flatMap((r) => [r, r.slice(r.lastIndexOf('@') + 1)])].map((i) => i.toLowerCase()))];
      report.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'SendReportEmail',
        actions: ['ses:SendEmail'],
        resources: identities.map((identity) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
      }));
    }
    // POST /scans invokes the unqualified scan function: its ARN only, no versions or aliases.
    if (!config.fanOut.enabled) api.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'StartScan', actions: ['lambda:InvokeFunction'], resources: [scan.function.functionArn] }));
    for (const fn of Object.values(this.functions)) {
      Validations.of(fn.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Pinned to Node.js 22, the newest runtime the code is built (esbuild target node22) and tested for; moving to a newer runtime is a deliberate change with its own test run.',
      });
    }

    // --- Scan Completed -> report ---
    new events.Rule(this, 'ScanCompletedRule', {
      description: 'redis-compliance: report every finished scan',
      eventBus: this.eventBus,
      eventPattern: { source: [EVENT_SOURCE], detailType: [SCAN_COMPLETED] },
      targets: [new eventTargets.LambdaFunction(report.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
    });

    // --- Fan-out ---
    const enrolment = readerRoleEnrolment(config);
    if (config.targets.source === 'organization' && !enrolment) {
      Annotations.of(this).addWarning('targets.source is "organization" without the reader role\'s StackSet administered from the scanner account (readerRole.stackSetOrganizationalUnitIds, stackSetAccountId): every ACTIVE account is scanned, and each one without the reader role fails AssumeRole and ends the scan PARTIAL.');
    }
    this.fanOut = new ScanFanOut(this, 'FanOut', {
      listTargets: listTargets.function,
      scanTarget: scanTarget.function,
      merge: merge.function,
      scanFailed: scanFailed.function,
      table,
      tableKey: props.dataKey,
      source: config.targets.source,
      ...(config.targets.source === 'organization' ? {} : { knownTargetCount: config.targets.regions.length * Math.max(1, config.targets.accountIds.length) }),
      ...(config.targets.source === 'accounts' ? { configuredAccounts: config.targets.accountIds } : {}),
      ...(enrolment ? { enrolment } : {}),
      maxConcurrency: config.fanOut.maxConcurrency,
      logRetention,
      timeout: fanOutTimeout,
    });
    acknowledgeStateMachineRole(this.fanOut, config.targets.source === 'organization', [listTargets, scanTarget, merge, scanFailed]);
    if (enrolment) {
      Validations.of(this.fanOut.stateMachine.role).acknowledge({
        id: iam5Resource(`arn:<AWS::Partition>:cloudformation:${this.region}:${this.account}:stackset/${enrolment.stackSetName}:*`),
        reason: 'A StackSet ARN ends with the id CloudFormation gives it at creation; the name fixes the one StackSet (the reader role\'s), whose stack instances the fan-out lists.',
      });
    }
    // An execution that failed, timed out or was aborted: its scan recorded FAILED, its lease released.
    // Step Functions sends these status changes to the default bus (best effort), so the Catch on
    // every step runs the same handler first.
    new events.Rule(this, 'FanOutEndedRule', {
      description: 'redis-compliance: record a fan-out execution that failed, timed out or was aborted, and release its scan lease',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.fanOut.stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      targets: [new eventTargets.LambdaFunction(scanFailed.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    acknowledgeKeyWrites(this.fanOut.stateMachine.role);
    if (this.fanOut.distributed) acknowledgeDistributedMap(this.fanOut, this);
    if (config.fanOut.enabled) {
      // POST /scans starts the configured path: the fan-out (every account of the configuration),
      // not the single Lambda that scans only the listed accounts of its own (lambdas/handlers/api.ts).
      api.function.addEnvironment('STATE_MACHINE_ARN', this.fanOut.stateMachine.stateMachineArn);
      this.fanOut.stateMachine.grantStartExecution(api.role);
    }

    // --- Nightly schedule ---
    // The scheduled time names the scan (lambdas/handlers/wiring/scan-id.ts scheduledTimeScanId): every
    // attempt of one scheduled run carries the same <aws.scheduler.scheduled-time>, so a retry is the same scan
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
    const scheduleInput = scheduler.ScheduleTargetInput.fromObject({ trigger: 'scheduled', scheduledTime: scheduler.ContextAttribute.scheduledTime });
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'redis-compliance: EventBridge Scheduler starts the nightly scan',
    });
    const retry = { role: scheduleRole, deadLetterQueue: this.deadLetterQueue, retryAttempts: 3, maxEventAge: Duration.hours(6), input: scheduleInput };
    this.schedule = new scheduler.Schedule(this, 'NightlySchedule', {
      description: `redis-compliance nightly scan (${config.fanOut.enabled ? 'Step Functions fan-out' : 'scan Lambda'})`,
      schedule: scheduler.ScheduleExpression.expression(config.schedule.cron, TimeZone.of(config.schedule.timeZone)),
      enabled: config.schedule.enabled,
      target: config.fanOut.enabled
        ? new schedulerTargets.StepFunctionsStartExecution(this.fanOut.stateMachine, retry)
        : new schedulerTargets.LambdaInvoke(scan.function, retry),
    });
    if (!config.fanOut.enabled) {
      Validations.of(scheduleRole).acknowledge({
        id: iam5Resource(`${arnToken(scan.function)}:*`),
        reason: 'The Scheduler Lambda target grants invoke on the scan function and its versions / aliases; it is this one function only.',
      });
    }

    // --- API ---
    this.api = new ScannerApi(this, 'RestApi', {
      handler: api.function,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      corsAllowOrigins: config.api.corsAllowOrigins,
      createCloudWatchRole: config.api.createCloudWatchRole,
      logRetention,
    });
    // Reports too large for an API response: S3, handed out as presigned URLs (lib/constructs/report-bucket.ts).
    const reportBucket = new ReportBucket(this, 'ReportBucket', { encryptionKey: props.dataKey });
    reportBucket.grantReportAccess(api.role, props.dataKey);
    if (senderIdentity) {
      // The e-mail is a summary; it links to the full HTML report, stored here and presigned.
      reportBucket.grantReportAccess(report.role, props.dataKey);
      report.function.addEnvironment('REPORT_BUCKET_NAME', reportBucket.bucket.bucketName);
    }
    api.function.addEnvironment('REPORT_BUCKET_NAME', reportBucket.bucket.bucketName);

    // --- Alarms ---
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { ...(config.alarms.email ? { email: config.alarms.email } : {}) });
    const alarms = new ScannerAlarms(this, 'Alarm', this.alarmTopic.topic, config.alarms.durationThresholdRatio);
    for (const [name, fn] of Object.entries({ Scan: scan, Report: report, Api: api, FanOutListTargets: listTargets, FanOutScanTarget: scanTarget, FanOutMerge: merge, ScanFailed: scanFailed })) {
      alarms.watchFunction(name, fn);
    }
    alarms.watchDeadLetterQueue('DeadLetterQueue', this.deadLetterQueue);
    alarms.watchStateMachine(this.fanOut.stateMachine);
    alarms.watchApi(this.api.api);
    alarms.watchScanOutcomes([{ name: 'Scan', fn: scan }, { name: 'FanOutMerge', fn: merge }, { name: 'ScanFailed', fn: scanFailed }]);
    const finishers = [{ name: 'Scan', fn: scan }, { name: 'FanOutMerge', fn: merge }];
    if (config.schedule.enabled) alarms.watchScanHeartbeat(finishers, config.alarms.noScanFinishedHours);
    alarms.watchInventoryGap(finishers, config.alarms.inventoryGapPercent);
    if (!config.alarms.email) {
      Annotations.of(this).addWarningV2('redis-compliance:alarm-destination', 'The alarm topic has no subscriber, so no alarm reaches anyone: set alarms.email in the configuration, or subscribe to the alarm topic outside this app (docs/deploy.md).');
    }
    if (config.securityHub.enabled || config.findingEvents.enabled) alarms.watchFindingExports([{ name: 'Scan', fn: scan }, { name: 'FanOutMerge', fn: merge }]);
  }

}

/** Queries name `table/<name>/index/*`: the indexes of this one table. */
function acknowledgeTableIndexes(role: iam.IRole, indexesArn: string, stack: Stack): void {
  Validations.of(role).acknowledge({
    id: iam5Resource(nagText(stack.resolve(indexesArn))),
    reason: 'Queries use the findings table\'s own global secondary indexes; the wildcard covers only indexes of this one table.',
  });
}

/** cdk-nag's text of a resolved value: pseudo parameters as <AWS::X>. */
function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(nagText).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  throw new Error(`cannot render ${JSON.stringify(value)} as cdk-nag text`);
}

function acknowledgeKeyWrites(role: iam.IRole): void {
  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    Validations.of(role).acknowledge({
      id: iam5Action(action),
      reason: 'Writing a table encrypted with a customer-managed key needs the data-key actions; the statement is scoped to that one key\'s ARN.',
    });
  }
}

/** The Distributed Map's grants on its own child executions (CDK's DistributedMapPolicy). */
/**
 * Organization mode scans only the accounts where the reader role's StackSet has a successful
 * instance, when that StackSet is administered from the scanner account (ListStackInstances is
 * answered only there: the management account with CallAs SELF, a delegated administrator with
 * DELEGATED_ADMIN) in the scanner's region (the Organization stage's region).
 */
export function readerRoleEnrolment(config: AppConfig): ReaderRoleEnrolment | undefined {
  const role = config.readerRole;
  if (config.targets.source !== 'organization' || role.stackSetOrganizationalUnitIds.length === 0 || !role.scannerAccountId) return undefined;
  if (role.stackSetAccountId && role.stackSetAccountId !== role.scannerAccountId) return undefined;
  return { stackSetName: readerRoleStackSetName(config.stackPrefix), callAs: role.stackSetCallAs };
}

function acknowledgeDistributedMap(fanOut: ScanFanOut, stack: Stack): void {
  const machine = fanOut.stateMachine.node.defaultChild as CfnElement;
  const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(machine)}"}]}]}`;
  const executions = `arn:<AWS::Partition>:states:${stack.region}:${stack.account}:execution:${name}`;
  for (const resource of [`${executions}:*`, `${executions}/${fanOut.mapLabel}:*`]) {
    Validations.of(fanOut.stateMachine).acknowledge({
      id: iam5Resource(resource),
      reason: 'A Distributed Map describes / stops (and redrives) the child executions it starts: the executions of this one state machine, whose ids Step Functions generates.',
    });
  }
}

function acknowledgeStateMachineRole(fanOut: ScanFanOut, listsOrganization: boolean, functions: ScannerLambda[]): void {
  const role = fanOut.stateMachine.role;
  for (const fn of functions) {
    Validations.of(role).acknowledge({
      id: iam5Resource(`${arnToken(fn.function)}:*`),
      reason: 'Step Functions LambdaInvoke grants invoke on the function and its versions / aliases; it is this one function only.',
    });
  }
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Step Functions needs X-Ray (PutTraceSegments / PutTelemetryRecords) and CloudWatch Logs delivery actions, which support no resource-level permissions${listsOrganization ? ', and organizations:ListAccounts has none either' : ''}.`,
  });
}
