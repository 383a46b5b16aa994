/**
 * Every request the deployed system makes at run time, evaluated the way AWS evaluates it.
 *
 * The app is synthesized in each deployment shape (self, accounts, organization); the templates are
 * read as deployed (test/infra/deployed-policies.ts resolves them to ARNs and extracts identity
 * policies, trust policies, topic / key / queue / secret / function policies), and each row below
 * is one request handed to @cloud-copilot/iam-simulate with the policies AWS would use and the
 * context keys AWS sends. No policy logic is written here.
 *
 * HOW TO ADD A ROW (one object in MUST_ALLOW or MUST_DENY):
 *   {
 *     who:  (a) => a.role(a.scanner.functions.scan),   // a role of the app, or a service principal
 *                                                      // such as 'cloudwatch.amazonaws.com'
 *     does: 'dynamodb:PutItem',                        // the IAM action of the API call
 *     on:   (a) => a.table,                            // the ARN (a.arnOf(construct) for any construct)
 *     via:  'dynamodb',                                // optional: a KMS call a service makes for the
 *                                                      // caller (kms:ViaService=<via>.<region>.amazonaws.com)
 *     context: (a) => ({ 'aws:SourceArn': ... }),      // optional: context keys beyond the defaults
 *     shapes: ['accounts', 'organization'],            // optional: default all three shapes
 *     why:  'the scan stores its findings',            // the product need (or, for denials, the risk)
 *   }
 * Defaults sent with every request: aws:SecureTransport=true; for roles aws:PrincipalArn,
 * aws:PrincipalAccount (and in the organization shape aws:PrincipalOrgID / aws:ResourceOrgID);
 * with `via`, kms:ViaService and kms:CallerAccount.
 */
import type { App, Stack } from 'aws-cdk-lib';
import { CfnElement, Stack as CdkStack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { READER_IAM_ACTIONS } from '../../lambdas/adapters/collectors/reader-iam-actions';
import { INDEX } from '../../lambdas/adapters/store/table-design';
import type { RedisComplianceStacks } from '../../lib/redis-compliance-app';
import type { ScannerStack } from '../../lib/stacks/scanner-stack';
import { buildTestApp } from './app-fixture';
import { accountOf, Deployment, type DeployedStack } from './deployed-policies';

const SCANNER = '111122223333';
const MEMBER = '444455556666';
const OUTSIDER = '999988887777';
const REGION = 'eu-west-1';
const ORG = 'o-exampleorg1';

type Shape = 'self' | 'accounts' | 'organization';
const COMMON = {
  report: { recipients: ['ops@example.com', 'security@ops.example.org'], sender: 'compliance@example.com' },
  alarms: { email: 'oncall@example.com' },
  // Opt-in exports on in every shape, so their paths are evaluated too.
  securityHub: { enabled: true, memberRoleName: 'RedisComplianceSecurityHubImport' },
  findingEvents: { enabled: true },
};
const SHAPES: Record<Shape, Parameters<typeof buildTestApp>[0]> = {
  // The reader-role stack is part of the app in every shape (deployable to any account).
  self: { ...COMMON, readerRole: { externalId: 'test-external-id', scannerAccountId: SCANNER } },
  accounts: {
    ...COMMON,
    targets: { regions: [REGION], source: 'accounts', accountIds: [MEMBER] },
    readerRole: { externalId: 'test-external-id', scannerAccountId: SCANNER },
  },
  organization: {
    ...COMMON,
    fanOut: { enabled: true },
    targets: { regions: [REGION], source: 'organization' },
    readerRole: { externalId: 'test-external-id', scannerAccountId: SCANNER, stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] },
  },
};

/** What rows refer to: the deployed app of one shape. */
class DeployedApp {
  readonly scanner: ScannerStack;
  constructor(readonly shape: Shape, readonly stacks: RedisComplianceStacks, readonly deployment: Deployment) {
    this.scanner = stacks.scanner;
  }

  private deployedStack(stack: Stack): DeployedStack {
    return this.deployment.stack(stack.node.path);
  }

  /** The deployed ARN of a construct (its CloudFormation resource). */
  arnOf(construct: IConstruct): string {
    const cfn = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(cfn instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
    const stack = CdkStack.of(cfn);
    return this.deployment.arn(this.deployedStack(stack), stack.getLogicalId(cfn));
  }

  /** The role of a scanner function (or any role construct). */
  role(fnOrRole: { role: IConstruct } | IConstruct): string {
    return this.arnOf('role' in fnOrRole ? (fnOrRole.role as IConstruct) : fnOrRole);
  }

  fn(name: keyof ScannerStack['functions']): string {
    return this.arnOf(this.scanner.functions[name].function);
  }

  get table(): string { return `arn:aws:dynamodb:${REGION}:${SCANNER}:table/RedisCompliance-findings`; }
  get tableIndex(): string { return `${this.table}/index/${Object.values(INDEX)[0]}`; }
  get dataKey(): string { return this.arnOf(this.stacks.data.key); }
  get slackSecret(): string { return this.arnOf(this.stacks.data.slackWebhookSecret); }
  /** The bucket of reports too large for an API response (lib/constructs/report-bucket.ts). */
  get reportBucket(): string { return this.arnOf(this.scanner.node.findChild('ReportBucket').node.findChild('Bucket')); }
  get alarmTopic(): string { return this.arnOf(this.scanner.alarmTopic.topic); }
  get alarmKey(): string { return this.arnOf(this.scanner.alarmTopic.key); }
  get deadLetterQueue(): string { return this.arnOf(this.scanner.deadLetterQueue); }
  get eventBus(): string { return this.arnOf(this.scanner.eventBus); }
  get stateMachine(): string { return this.arnOf(this.scanner.fanOut.stateMachine); }
  get stateMachineRole(): string { return this.arnOf(this.scanner.fanOut.stateMachine.role); }
  get scheduleRole(): string { return this.arnOf(this.scanner.node.findChild('ScheduleRole')); }
  get schedule(): string { return this.arnOf(this.scanner.schedule); }
  get scanCompletedRule(): string { return this.arnOf(this.scanner.node.findChild('ScanCompletedRule')); }
  /** Any one alarm of the stack: they all notify the same topic. */
  get alarm(): string {
    const stack = this.deployedStack(this.scanner);
    const id = Object.entries(stack.template.Resources ?? {}).find(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')![0];
    return this.deployment.arn(stack, id);
  }
  get apiExecuteArn(): string {
    const api = this.scanner.api.api;
    return `arn:aws:execute-api:${REGION}:${SCANNER}:${CdkStack.of(api).getLogicalId(api.node.defaultChild as CfnElement)}/v1/POST/scans`;
  }
  /** The reader role as deployed in the member account (by its stack or by the StackSet). */
  get readerRole(): string { return `arn:aws:iam::${MEMBER}:role/RedisComplianceReader`; }
  readerRoleIn(account: string): string { return `arn:aws:iam::${account}:role/RedisComplianceReader`; }
  sesIdentity(identity: string): string { return `arn:aws:ses:${REGION}:${SCANNER}:identity/${identity}`; }
  /** An account's Security Hub custom-integration product ARN (BatchImportFindings' resource). */
  securityHubProduct(account: string, region = REGION): string { return `arn:aws:securityhub:${region}:${account}:product/${account}/default`; }
  /** The Security Hub import role in an account (deployed beside the reader role). */
  importRoleIn(account: string): string { return `arn:aws:iam::${account}:role/RedisComplianceSecurityHubImport`; }
}

interface AccessPath {
  who: (a: DeployedApp) => string;
  does: string;
  on: (a: DeployedApp) => string;
  why: string;
  via?: string;
  context?: (a: DeployedApp) => Record<string, string | string[]>;
  shapes?: Shape[];
}

const FAN_OUT_WORKER_ASSUMES: Shape[] = ['accounts', 'organization'];

const MUST_ALLOW: AccessPath[] = [
  // --- Lambda runs each function with its own role ---
  ...(['scan', 'report', 'api', 'fanout-list-targets', 'fanout-scan-target', 'fanout-merge'] as const).map((name): AccessPath => ({
    who: () => 'lambda.amazonaws.com', does: 'sts:AssumeRole', on: (a) => a.role(a.scanner.functions[name]),
    why: `Lambda assumes the ${name} function's role to run it`,
  })),
  // --- Schedule ---
  { who: () => 'scheduler.amazonaws.com', does: 'sts:AssumeRole', on: (a) => a.scheduleRole, context: (a) => ({ 'aws:SourceAccount': SCANNER, 'aws:SourceArn': a.schedule }), why: 'EventBridge Scheduler assumes the schedule role to start the nightly scan' },
  { who: (a) => a.scheduleRole, does: 'lambda:InvokeFunction', on: (a) => a.fn('scan'), shapes: ['self', 'accounts'], why: 'the nightly schedule runs the scan Lambda' },
  { who: (a) => a.scheduleRole, does: 'states:StartExecution', on: (a) => a.stateMachine, shapes: ['organization'], why: 'the nightly schedule starts the fan-out' },
  { who: (a) => a.scheduleRole, does: 'sqs:SendMessage', on: (a) => a.deadLetterQueue, why: 'an undeliverable schedule event lands in the DLQ' },
  // --- Scan (single Lambda) ---
  ...READER_IAM_ACTIONS.map((action): AccessPath => ({ who: (a) => a.role(a.scanner.functions.scan), does: action, on: () => '*', why: 'the scan reads the estate of its own account' })),
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.readerRole, shapes: ['accounts'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the scan reads each listed account through its reader role' },
  ...(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'] as const).map((action): AccessPath => ({ who: (a) => a.role(a.scanner.functions.scan), does: action, on: (a) => a.table, why: 'the scan stores scans, findings and finding states' })),
  { who: (a) => a.role(a.scanner.functions.scan), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key of the CMK-encrypted table for the scan' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB encrypts with the table key for the scan' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the scan announces Scan Completed' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sqs:SendMessage', on: (a) => a.deadLetterQueue, why: 'a failed asynchronous scan invocation lands in the DLQ' },
  // --- Scan Completed -> report ---
  { who: () => 'events.amazonaws.com', does: 'lambda:InvokeFunction', on: (a) => a.fn('report'), context: (a) => ({ 'aws:SourceArn': a.scanCompletedRule, 'aws:SourceAccount': SCANNER }), why: 'the Scan Completed rule runs the report' },
  { who: () => 'events.amazonaws.com', does: 'sqs:SendMessage', on: (a) => a.deadLetterQueue, context: (a) => ({ 'aws:SourceArn': a.scanCompletedRule, 'aws:SourceAccount': SCANNER }), why: 'an undeliverable Scan Completed event lands in the DLQ' },
  // --- Report ---
  { who: (a) => a.role(a.scanner.functions.report), does: 'dynamodb:GetItem', on: (a) => a.table, why: 'the report loads the scan' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'dynamodb:Query', on: (a) => a.tableIndex, why: 'the report lists previous scans (trend) through an index' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key for the report' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'dynamodb:PutItem', on: (a) => a.table, why: 'the report records which channels it delivered, so a retry sends only the rest' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB encrypts the delivery record for the report' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'secretsmanager:GetSecretValue', on: (a) => a.slackSecret, why: 'the report reads the Slack webhook URL' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'secretsmanager', why: 'Secrets Manager decrypts the webhook secret for the report' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'ses:SendEmail', on: (a) => a.sesIdentity('compliance@example.com'), why: 'SES authorises the sender identity' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'ses:SendEmail', on: (a) => a.sesIdentity('ops@example.com'), why: 'in the SES sandbox SES also authorises each recipient identity' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'ses:SendEmail', on: (a) => a.sesIdentity('ops.example.org'), why: 'in the SES sandbox a recipient may be verified as its domain' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'sqs:SendMessage', on: (a) => a.deadLetterQueue, why: 'a report that fails after its retries lands in the DLQ' },
  // --- API ---
  { who: () => 'apigateway.amazonaws.com', does: 'lambda:InvokeFunction', on: (a) => a.fn('api'), context: (a) => ({ 'aws:SourceArn': a.apiExecuteArn, 'aws:SourceAccount': SCANNER }), why: 'API Gateway runs the api Lambda' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'lambda:InvokeFunction', on: (a) => a.fn('scan'), shapes: ['self', 'accounts'], why: 'POST /scans starts the single-Lambda scan' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'states:StartExecution', on: (a) => a.stateMachine, shapes: ['organization'], why: 'POST /scans starts the fan-out when it is configured' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'dynamodb:Query', on: (a) => a.tableIndex, why: 'the API lists scans and findings (and finds a running scan)' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'dynamodb:PutItem', on: (a) => a.table, why: 'the API records the requested scan and waivers' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key for the API' },
  // --- Fan-out ---
  { who: () => 'states.amazonaws.com', does: 'sts:AssumeRole', on: (a) => a.stateMachineRole, context: (a) => ({ 'aws:SourceArn': a.stateMachine, 'aws:SourceAccount': SCANNER }), why: 'Step Functions runs the fan-out with its role' },
  ...(['fanout-list-targets', 'fanout-scan-target', 'fanout-merge', 'scan-failed'] as const).map((name): AccessPath => ({ who: (a) => a.stateMachineRole, does: 'lambda:InvokeFunction', on: (a) => a.fn(name), why: `the fan-out runs ${name}` })),
  // The scan lease (one scan at a time) and the RUNNING record, taken by the fan-out's first step.
  ...(['dynamodb:PutItem', 'dynamodb:GetItem'] as const).map((action): AccessPath => ({ who: (a) => a.role(a.scanner.functions['fanout-list-targets']), does: action, on: (a) => a.table, context: () => ({ 'dynamodb:LeadingKeys': ['LEASE#SCAN'] }), why: 'the first step takes the scan lease' })),
  { who: (a) => a.role(a.scanner.functions['fanout-list-targets']), does: 'dynamodb:PutItem', on: (a) => a.table, context: () => ({ 'dynamodb:LeadingKeys': ['SCAN#scan-20300101T020000Z-scheduled'] }), why: 'the first step records the scan RUNNING' },
  { who: (a) => a.role(a.scanner.functions['scan-failed']), does: 'dynamodb:DeleteItem', on: (a) => a.table, why: 'the failure path releases the scan lease' },
  { who: (a) => a.role(a.scanner.functions['scan-failed']), does: 'dynamodb:PutItem', on: (a) => a.table, why: 'the failure path records the scan FAILED' },
  { who: (a) => a.role(a.scanner.functions['scan-failed']), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the failure path announces the FAILED scan' },
  { who: (a) => a.stateMachineRole, does: 'dynamodb:PutItem', on: (a) => a.table, why: 'RecordTargetFailure writes a failed target, so the scan is PARTIAL instead of failed' },
  { who: (a) => a.stateMachineRole, does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key for RecordTargetFailure (aws-cdk #10010)' },
  { who: (a) => a.stateMachineRole, does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB encrypts the failure record for RecordTargetFailure' },
  { who: (a) => a.stateMachineRole, does: 'states:StartExecution', on: (a) => a.stateMachine, shapes: ['organization'], why: 'the Distributed Map starts one child execution per target (own history: no 25,000-event cap on the organization)' },
  { who: (a) => a.stateMachineRole, does: 'states:DescribeExecution', on: (a) => `${a.stateMachine.replace(':stateMachine:', ':execution:')}:ScanTargets-0001`, shapes: ['organization'], why: 'the Distributed Map follows its child executions' },
  { who: (a) => a.stateMachineRole, does: 'organizations:ListAccounts', on: () => '*', shapes: ['organization'], why: 'the fan-out lists the ACTIVE accounts of the organization' },
  { who: (a) => a.stateMachineRole, does: 'cloudformation:ListStackInstances', on: () => `arn:aws:cloudformation:${REGION}:${SCANNER}:stackset/RedisCompliance-reader-role:8f2c1b9e-4d6a-4e2b-9c1d-2a3b4c5d6e7f`, shapes: ['organization'], why: 'the fan-out scans only the accounts where the reader role\'s StackSet has a successful instance' },
  ...READER_IAM_ACTIONS.map((action): AccessPath => ({ who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: action, on: () => '*', why: 'the worker reads the estate of the scanner account directly' })),
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'sts:AssumeRole', on: (a) => a.readerRole, shapes: FAN_OUT_WORKER_ASSUMES, context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the worker reads a member account through its reader role' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'dynamodb:BatchWriteItem', on: (a) => a.table, why: 'the worker stores its target chunks' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB encrypts the chunks for the worker' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key for the worker' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'dynamodb:Query', on: (a) => a.table, why: 'the merge reads the stored targets' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'dynamodb', why: 'DynamoDB decrypts the table key for the merge' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the merge announces Scan Completed' },
  // --- Exports: Security Hub import and finding-change events, by the functions that run a scan ---
  { who: (a) => a.role(a.scanner.functions.scan), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER), why: 'the scan imports its findings into the scanner account\'s Security Hub (custom integration)' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER), why: 'the fan-out merge imports its findings into the scanner account\'s Security Hub' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the scan publishes Redis Compliance Finding Changed events' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the merge publishes Redis Compliance Finding Changed events' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(MEMBER), shapes: ['accounts'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the scan imports a listed account\'s findings through that account\'s import role' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(MEMBER), shapes: ['accounts', 'organization'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the merge imports a member account\'s findings through that account\'s import role' },
  { who: (a) => a.importRoleIn(MEMBER), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(MEMBER), shapes: ['accounts', 'organization'], why: 'the import role imports its own account\'s findings into its hub' },
  // --- Member account: the reader role ---
  ...READER_IAM_ACTIONS.map((action): AccessPath => ({ who: (a) => a.readerRole, does: action, on: () => '*', shapes: ['accounts', 'organization'], why: 'the reader role reads the member account\'s estate' })),
  // --- Alarms ---
  { who: () => 'cloudwatch.amazonaws.com', does: 'sns:Publish', on: (a) => a.alarmTopic, context: (a) => ({ 'aws:SourceArn': a.alarm, 'aws:SourceAccount': SCANNER }), why: 'an alarm notifies the alarm topic (aws-solutions/automated-security-response-on-aws #43)' },
  { who: () => 'cloudwatch.amazonaws.com', does: 'kms:GenerateDataKey', on: (a) => a.alarmKey, via: 'sns', context: (a) => ({ 'aws:SourceArn': a.alarm, 'aws:SourceAccount': SCANNER }), why: 'SNS encrypts the alarm message with the topic key for CloudWatch' },
  { who: () => 'cloudwatch.amazonaws.com', does: 'kms:Decrypt', on: (a) => a.alarmKey, via: 'sns', context: (a) => ({ 'aws:SourceArn': a.alarm, 'aws:SourceAccount': SCANNER }), why: 'SNS decrypts the data key for CloudWatch' },
];

// Large reports: the API stores them in S3 and hands out presigned URLs signed with its role.
const REPORT_ROWS: AccessPath[] = [
  { who: (a) => a.role(a.scanner.functions.api), does: 's3:PutObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.json`, why: 'the API stores a report too large for an API response' },
  { who: (a) => a.role(a.scanner.functions.api), does: 's3:GetObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.json`, why: 'a presigned URL, signed with the API role, reads the stored report' },
  // The e-mail links to the full HTML report: stored by the report function, presigned with its role.
  { who: (a) => a.role(a.scanner.functions.report), does: 's3:PutObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.html`, why: 'the report function stores the full HTML report the e-mail links to' },
  { who: (a) => a.role(a.scanner.functions.report), does: 's3:GetObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.html`, why: "the e-mail's presigned URL, signed with the report role, reads it" },
  { who: (a) => a.role(a.scanner.functions.report), does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 's3', why: 'S3 encrypts the stored report with the data key for the report function' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'kms:GenerateDataKey', on: (a) => a.dataKey, via: 's3', why: 'S3 encrypts the stored report with the data key for the API' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 's3', why: 'S3 decrypts the stored report for the presigned download' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'dynamodb:Query', on: (a) => a.table, why: 'a worker continued after its deadline reads back its continuation' },
];
const REPORT_DENIALS: AccessPath[] = [
  { who: (a) => a.role(a.scanner.functions.api), does: 's3:GetObject', on: (a) => `${a.reportBucket}/other/object.json`, why: 'the API reads only reports/ of the bucket' },
  { who: (a) => a.role(a.scanner.functions.api), does: 's3:DeleteObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.json`, why: 'reports expire by lifecycle; the API deletes nothing' },
  { who: (a) => a.role(a.scanner.functions.report), does: 's3:GetObject', on: (a) => `${a.reportBucket}/other/object.json`, why: 'the report function reads only reports/ of the bucket' },
  { who: (a) => a.role(a.scanner.functions.report), does: 's3:DeleteObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.html`, why: 'reports expire by lifecycle; the report function deletes nothing' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 's3:PutObject', on: (a) => `${a.reportBucket}/reports/scan-1/report.json`, why: 'only the API and the e-mail write stored reports' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'secretsmanager', why: 'the API role uses the data key only through DynamoDB and S3' },
];

const MUST_DENY: AccessPath[] = [
  // The fan-out's first step writes the lease and scan records only.
  { who: (a) => a.role(a.scanner.functions['fanout-list-targets']), does: 'dynamodb:PutItem', on: (a) => a.table, context: () => ({ 'dynamodb:LeadingKeys': ['SUPPRESSION#sup-1'] }), why: 'the first step cannot write a waiver' },
  { who: (a) => a.role(a.scanner.functions['fanout-list-targets']), does: 'dynamodb:DeleteItem', on: (a) => a.table, context: () => ({ 'dynamodb:LeadingKeys': ['LEASE#SCAN'] }), why: 'the first step never releases a lease' },
  // The reader writes nothing.
  ...(['ec2:TerminateInstances', 'ec2:ModifyInstanceAttribute', 'ssm:SendCommand', 'ssm:PutInventory', 'iam:PassRole'] as const).map((action): AccessPath => ({
    who: (a) => a.readerRole, does: action, on: () => '*', shapes: ['accounts', 'organization'], why: 'the reader role is read-only',
  })),
  { who: (a) => a.readerRole, does: 'dynamodb:PutItem', on: (a) => a.table, shapes: ['accounts', 'organization'], why: 'the reader role cannot write the findings table' },
  // The scanner cannot assume other roles.
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.readerRole, shapes: ['self'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'in self mode the scan assumes nothing' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'sts:AssumeRole', on: (a) => a.readerRole, shapes: ['self'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'in self mode the worker assumes nothing' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: () => `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, why: 'the scan assumes no role but the reader' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'sts:AssumeRole', on: () => `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, why: 'the worker assumes no role but the reader' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.readerRoleIn(OUTSIDER), shapes: ['accounts'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the scan assumes the reader role only in the listed accounts' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'sts:AssumeRole', on: (a) => a.readerRoleIn(OUTSIDER), shapes: ['accounts'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the worker assumes the reader role only in the listed accounts' },
  { who: (a) => a.role(a.scanner.functions['fanout-scan-target']), does: 'sts:AssumeRole', on: (a) => a.readerRoleIn(OUTSIDER), shapes: ['organization'], context: () => ({ 'sts:ExternalId': 'test-external-id', 'aws:ResourceOrgID': 'o-someoneelse' }), why: 'the worker assumes the reader role only inside its own organization' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'sts:AssumeRole', on: (a) => a.readerRole, shapes: ['accounts', 'organization'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'only scanning roles reach member accounts' },
  { who: (a) => a.stateMachineRole, does: 'cloudformation:ListStackInstances', on: () => `arn:aws:cloudformation:${REGION}:${SCANNER}:stackset/SomeoneElses-stack-set:8f2c1b9e-4d6a-4e2b-9c1d-2a3b4c5d6e7f`, shapes: ['organization'], why: 'the fan-out reads the instances of the reader role\'s StackSet only' },
  { who: (a) => a.stateMachineRole, does: 'cloudformation:DescribeStackSet', on: () => `arn:aws:cloudformation:${REGION}:${SCANNER}:stackset/RedisCompliance-reader-role:8f2c1b9e-4d6a-4e2b-9c1d-2a3b4c5d6e7f`, shapes: ['organization'], why: 'the fan-out only lists the StackSet\'s instances' },
  // Keys are used only through the services that need them.
  { who: (a) => a.role(a.scanner.functions.report), does: 'kms:Decrypt', on: (a) => a.dataKey, why: 'the report cannot use the table key directly (only through DynamoDB and Secrets Manager)' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'kms:Decrypt', on: (a) => a.dataKey, why: 'the scan cannot use the data key directly (e.g. to read the Slack secret\'s ciphertext)' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'kms:Encrypt', on: (a) => a.dataKey, why: 'no function encrypts arbitrary data with the data key' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'kms:ReEncryptFrom', on: (a) => a.dataKey, why: 'no function re-encrypts with the data key directly' },
  { who: (a) => a.stateMachineRole, does: 'kms:Decrypt', on: (a) => a.dataKey, why: 'the state machine uses the data key only through DynamoDB' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'kms:Decrypt', on: (a) => a.dataKey, via: 'secretsmanager', why: 'only the report reads the Slack secret' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'secretsmanager:GetSecretValue', on: (a) => a.slackSecret, why: 'only the report reads the Slack secret' },
  // The report sends only from and to the configured identities.
  { who: (a) => a.role(a.scanner.functions.report), does: 'ses:SendEmail', on: (a) => a.sesIdentity('attacker@example.net'), why: 'the report cannot send as or to unrelated identities' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'dynamodb:DeleteItem', on: (a) => a.table, why: 'the report deletes nothing' },
  // Nothing outside the account publishes to the alarm topic.
  { who: () => 'cloudwatch.amazonaws.com', does: 'sns:Publish', on: (a) => a.alarmTopic, context: () => ({ 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OUTSIDER}:alarm:theirs`, 'aws:SourceAccount': OUTSIDER }), why: 'another account\'s alarms cannot notify our on-call' },
  { who: () => `arn:aws:iam::${OUTSIDER}:role/Someone`, does: 'sns:Publish', on: (a) => a.alarmTopic, why: 'no principal of another account publishes to the topic' },
  { who: () => 'events.amazonaws.com', does: 'sns:Publish', on: (a) => a.alarmTopic, context: () => ({ 'aws:SourceArn': `arn:aws:events:${REGION}:${SCANNER}:rule/other`, 'aws:SourceAccount': SCANNER }), why: 'only CloudWatch alarms publish to the topic' },
  { who: () => 'cloudwatch.amazonaws.com', does: 'sns:Publish', on: (a) => a.alarmTopic, context: (a) => ({ 'aws:SourceArn': a.alarm, 'aws:SourceAccount': SCANNER, 'aws:SecureTransport': 'false' }), why: 'the topic refuses unencrypted transport' },
  { who: (a) => a.stateMachineRole, does: 'states:StartExecution', on: (a) => a.stateMachine, shapes: ['self', 'accounts'], why: 'an inline Map starts no executions' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'lambda:InvokeFunction', on: (a) => a.fn('scan'), shapes: ['organization'], why: 'with the fan-out, POST /scans starts the state machine, never the single-Lambda scan of one account' },
  // Security Hub: the scanner account's own custom integration, in its target regions, by scanning functions only.
  { who: (a) => a.role(a.scanner.functions.scan), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(MEMBER), why: 'a member account\'s findings are imported by that account (BatchImportFindings is called by the finding\'s account)' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER, 'ap-south-1'), why: 'only the hubs of the target regions' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'securityhub:BatchImportFindings', on: () => `arn:aws:securityhub:${REGION}:${SCANNER}:product/aws/guardduty`, why: 'the scanner imports as no other product' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'securityhub:BatchUpdateFindings', on: () => `arn:aws:securityhub:${REGION}:${SCANNER}:hub/default`, why: 'the investigation workflow belongs to the security team' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER), why: 'only the functions that run a scan import findings' },
  { who: (a) => a.role(a.scanner.functions.api), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER), why: 'only the functions that run a scan import findings' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'events:PutEvents', on: (a) => a.eventBus, why: 'the report publishes no events' },
  { who: (a) => a.importRoleIn(MEMBER), does: 'securityhub:BatchImportFindings', on: (a) => a.securityHubProduct(SCANNER), shapes: ['accounts', 'organization'], why: 'the import role imports into its own account only' },
  { who: (a) => a.importRoleIn(MEMBER), does: 'securityhub:BatchUpdateFindings', on: () => `arn:aws:securityhub:${REGION}:${MEMBER}:hub/default`, shapes: ['accounts', 'organization'], why: 'the import role changes no workflow' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(OUTSIDER), shapes: ['accounts'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'the scan assumes the import role only in the listed accounts' },
  { who: (a) => a.role(a.scanner.functions['fanout-merge']), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(OUTSIDER), shapes: ['organization'], context: () => ({ 'sts:ExternalId': 'test-external-id', 'aws:ResourceOrgID': 'o-someoneelse' }), why: 'the merge assumes the import role only inside its own organization' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(MEMBER), shapes: ['accounts', 'organization'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'only scanning roles reach the import role' },
  { who: (a) => a.role(a.scanner.functions.scan), does: 'sts:AssumeRole', on: (a) => a.importRoleIn(MEMBER), shapes: ['self'], context: () => ({ 'sts:ExternalId': 'test-external-id' }), why: 'in self mode nothing is imported for other accounts' },
  // Only the schedule / rule / API reach the functions.
  { who: () => 'events.amazonaws.com', does: 'lambda:InvokeFunction', on: (a) => a.fn('report'), context: () => ({ 'aws:SourceArn': `arn:aws:events:${REGION}:${OUTSIDER}:rule/theirs`, 'aws:SourceAccount': OUTSIDER }), why: 'another account\'s rule cannot run the report' },
  { who: (a) => a.role(a.scanner.functions.report), does: 'lambda:InvokeFunction', on: (a) => a.fn('scan'), why: 'the report starts no scan' },
];

function requestContext(a: DeployedApp, row: AccessPath, principal: string, resource: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true' };
  const principalAccount = accountOf(principal);
  if (principalAccount) {
    context['aws:PrincipalArn'] = principal;
    context['aws:PrincipalAccount'] = principalAccount;
    if (a.shape === 'organization' && principalAccount !== OUTSIDER) context['aws:PrincipalOrgID'] = ORG;
  }
  const resourceAccount = accountOf(resource);
  if (resourceAccount) {
    context['aws:ResourceAccount'] = resourceAccount;
    if (a.shape === 'organization') context['aws:ResourceOrgID'] = ORG;
  }
  if (row.via) {
    context['kms:ViaService'] = `${row.via}.${REGION}.amazonaws.com`;
    context['kms:CallerAccount'] = principalAccount ?? SCANNER;
  }
  return { ...context, ...(row.context?.(a) ?? {}) };
}

function describeRow(row: AccessPath, a: DeployedApp): string {
  const who = row.who(a).replace(/^arn:aws:iam::\d+:role\/(redis-compliance\/)?/, '');
  return `${who} ${row.does} on ${row.on(a).replace(/^arn:aws:[a-z-]+:[a-z0-9-]*:\d*:/, '')}${row.via ? ` via ${row.via}` : ''} (${row.why})`;
}

const built = new Map<Shape, DeployedApp>();
function deployed(shape: Shape): DeployedApp {
  let app = built.get(shape);
  if (!app) {
    const { app: cdkApp, stacks } = buildTestApp(SHAPES[shape]);
    const assembly = (cdkApp as App).synth();
    app = new DeployedApp(shape, stacks, new Deployment(assembly, { memberAccount: MEMBER, defaultRegion: REGION }));
    built.set(shape, app);
  }
  return app;
}

const cases = (rows: AccessPath[]) =>
  (Object.keys(SHAPES) as Shape[]).flatMap((shape) => rows.filter((r) => !r.shapes || r.shapes.includes(shape)).map((row) => [shape, row.does, row.why, row] as const));

describe.each(['Allowed', 'Denied'] as const)('access paths that must be %s', (expected) => {
  test.each(cases(expected === 'Allowed' ? [...MUST_ALLOW, ...REPORT_ROWS] : [...MUST_DENY, ...REPORT_DENIALS]))('[%s] %s: %s', async (shape, _does, _why, row) => {
    const a = deployed(shape);
    const principal = row.who(a);
    const resource = row.on(a);
    const decision = await a.deployment.evaluate({ principal, action: row.does, resource, context: requestContext(a, row, principal, resource) });
    const verdict = decision.result === 'Allowed' ? 'Allowed' : 'Denied';
    if (verdict !== expected) throw new Error(`${describeRow(row, a)}: expected ${expected}, the policies give ${decision.result}\n${decision.detail}`);
    expect(verdict).toBe(expected);
  });
});
