/**
 * The deployment configuration of the CDK app, one typed object validated with zod at synth.
 * It comes from the CDK context key `redisCompliance` (cdk.json or `-c`), optionally merged over a
 * JSON file named by the context key `redisComplianceConfigFile`. See lib/config/load-app-config.ts.
 */
import { z } from 'zod';
import { ConfigSchema as ScanConfigSchema } from '../../lambdas/core/config';
import { FindingEventsSchema, SecurityHubExportSchema } from './finding-exports-config';
import { ACCOUNT_LIST_CONDITION_LIMIT } from '../constructs/reader-permissions';
import { smallestScheduleGap } from './schedule-gap';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** IAM role names: 1-64 characters of [\w+=,.@-]. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** sts:ExternalId: 2-1224 characters of [\w+=,.@:/-]. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** EventBridge / State Manager cron: `cron(minutes hours day-of-month month day-of-week year)`. */
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const RATE = /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/;

/** CloudWatch Logs retention values (days) that the service accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The external id cdk.json ships with: never deployed to a member account (see the superRefine below). */
export const PLACEHOLDER_EXTERNAL_ID = 'redis-compliance-CHANGE-ME';

/** Accounts a configuration may list (the fan-out's definition carries them: 15 bytes each of its 1 MB). */
export const MAX_ACCOUNT_IDS = 5000;
/**
 * Accounts the scan Lambda alone may be configured for: its 15 minutes do not scan more, and its
 * environment (4 KB for all variables) holds the list. Beyond it the Step Functions fan-out scans them.
 */
export const SCAN_LAMBDA_MAX_ACCOUNTS = 100;

const email = z.email({ message: 'an e-mail address such as ops@example.com' });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const ScheduleSchema = z.strictObject({
  /** EventBridge Scheduler cron expression (six fields; one of day-of-month / day-of-week is `?`). */
  cron: z.string().regex(CRON, 'a cron expression such as cron(0 2 * * ? *)').default('cron(0 2 * * ? *)'),
  /** IANA time zone the cron is read in. */
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Lisbon or UTC').default('UTC'),
  /** false deploys the schedule disabled (the API still works). */
  enabled: z.boolean().default(true),
});

export const TargetsSchema = z.strictObject({
  /** Regions scanned in every account. */
  regions: z.array(z.string().regex(REGION, 'an AWS region name such as eu-west-1')).min(1, 'list at least one region to scan'),
  /**
   * Where the accounts come from: `self` (only the account the scanner is deployed in),
   * `accounts` (the `accountIds` list) or `organization` (every ACTIVE account from
   * AWS Organizations ListAccounts; the scanner account must be the management or a delegated
   * administrator account).
   */
  source: z.enum(['self', 'accounts', 'organization']).default('self'),
  accountIds: z.array(z.string().regex(ACCOUNT_ID, 'an AWS account id has 12 digits')).max(MAX_ACCOUNT_IDS, `at most ${MAX_ACCOUNT_IDS} account ids`).default([]),
  /**
   * `accounts` mode: every listed account is in the scanner account's AWS Organizations
   * organization. The scanner's roles may then assume the reader role in any account of the
   * organization (aws:ResourceOrgID), instead of naming each account (aws:ResourceAccount), which
   * IAM's policy size limits allow only up to ACCOUNT_LIST_CONDITION_LIMIT accounts.
   */
  accountsInOrganization: z.boolean().default(false),
});

export const ReaderRoleSchema = z.strictObject({
  /** Name of the read-only role in every member account (the reader-role stack creates it). */
  name: z.string().regex(ROLE_NAME, 'an IAM role name: 1-64 characters of letters, digits and +=,.@_-').default('RedisComplianceReader'),
  /** External id the scanner presents when it assumes the reader role. Not a secret, but unguessable is better. */
  externalId: z.string().regex(EXTERNAL_ID, 'an sts external id: 2-1224 characters of letters, digits and +=,.@:/_-'),
  /** Account the scanner runs in; the reader role trusts only scanner roles of this account. */
  scannerAccountId: z.string().regex(ACCOUNT_ID, 'an AWS account id has 12 digits').optional(),
  /** Organizational units the StackSets deploy the member resources to (empty: no StackSet stack). */
  stackSetOrganizationalUnitIds: z.array(z.string().regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/, 'an OU id such as ou-ab12-cdef3456 or a root id r-ab12')).default([]),
  /**
   * Account the StackSets stack is deployed in: the organization's management account, or an
   * account registered as a CloudFormation StackSets delegated administrator. Defaults to the
   * scanner account.
   */
  stackSetAccountId: z.string().regex(ACCOUNT_ID, 'an AWS account id has 12 digits').optional(),
  /**
   * CloudFormation CallAs of the service-managed StackSets: `SELF` in the management account,
   * `DELEGATED_ADMIN` in a delegated administrator account.
   */
  stackSetCallAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('SELF'),
});

export const ReportSchema = z.strictObject({
  /** Post the report to Slack (the webhook URL goes in the secret after deploy). */
  slack: z.boolean().default(true),
  /** E-mail recipients of the nightly report (empty: no e-mail, and no ses:SendEmail permission). */
  recipients: z.array(email).default([]),
  /** From address of the report e-mail. */
  sender: email.optional(),
  /** SES identity that authorises the sender: the address itself or its domain. Defaults to the sender address. */
  senderIdentity: z.string().min(3).optional(),
});

export const AlarmsSchema = z.strictObject({
  /**
   * E-mail subscribed to the alarm topic (confirm the subscription after deploy). Without it the
   * topic has no subscriber unless one is added outside this app: synth warns.
   */
  email: email.optional(),
  /**
   * The dead man's switch: alarm when no scan has finished for this many hours (rounded up to the
   * alarm's 2-hour periods). The default suits a nightly schedule; raise it for a weekly one.
   */
  noScanFinishedHours: z.number().int().min(2).max(168).default(26),
  /** Alarm when a scan finds this share (%) of its Redis servers without a reported version (inventory gap). */
  inventoryGapPercent: z.number().int().min(1).max(100).default(50),
  /** An alarm fires when a function's maximum duration passes this share of its timeout. */
  durationThresholdRatio: z.number().gt(0).lt(1).default(0.8),
});

export const ApiSchema = z.strictObject({
  /** Steady-state requests per second for the whole stage. */
  throttlingRateLimit: z.number().positive().max(10000).default(5),
  throttlingBurstLimit: z.number().int().positive().max(5000).default(10),
  /** Origins allowed by CORS. Empty (the default) keeps CORS off. */
  corsAllowOrigins: z.array(z.url()).default([]),
  /**
   * Create the regional API Gateway account setting with a CloudWatch role, needed for execution
   * logs. Set false if the account already has one (it is one setting per account and region).
   */
  createCloudWatchRole: z.boolean().default(true),
});

export const FanOutSchema = z.strictObject({
  /** The nightly schedule starts the Step Functions fan-out instead of the single scan Lambda. */
  enabled: z.boolean().default(false),
  /** Scan workers running at the same time (Map MaxConcurrency). */
  maxConcurrency: z.number().int().min(1).max(40).default(4),
  /**
   * Minutes one account x region target may take (its worker invocations, continuations included).
   * With the target count it sizes the execution timeout (lib/constructs/fan-out-budget.ts).
   */
  minutesPerTarget: z.number().int().min(1).max(600).default(10),
  /**
   * Organization mode: the most account x region targets expected (the accounts are only known at
   * run time). Sizes the execution timeout; accounts and self mode count their own.
   */
  maxTargets: z.number().int().min(1).max(100000).default(2000),
});

export const InventorySchema = z.strictObject({
  /** Deploy the Redis inventory association (SSM document + State Manager) in the scanner account's regions. */
  deployInScannerAccount: z.boolean().default(true),
  /** State Manager schedule (UTC; cron or rate). Run it before the scan. */
  schedule: z.string().refine((s) => CRON.test(s) || RATE.test(s), 'a cron(...) or rate(...) expression').default('cron(0 1 * * ? *)'),
  /**
   * Minutes the association needs before the scan reads its inventory (it runs 10 % of the
   * instances at a time, each probe up to 5 minutes). The synth checks that the daily association
   * starts at least this long before the daily scan on every day of the year, daylight saving included.
   */
  minutesBeforeScan: z.number().int().min(0).max(720).default(60),
});

export const AppConfigSchema = z.strictObject({
  /** Prefix of stack names. */
  stackPrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,40}$/, 'letters, digits and hyphens, starting with a letter').default('RedisCompliance'),
  /** Tags put on every resource. */
  resourceTags: z.record(z.string().min(1).max(128), z.string().max(256)).default({ Project: 'redis-compliance' }),
  /** Tag conventions and Redis ports used by the scanner (lambdas/core/config.ts, a zod/mini schema). */
  scan: z._default(ScanConfigSchema, ScanConfigSchema.parse({})),
  schedule: ScheduleSchema.default(ScheduleSchema.parse({})),
  targets: TargetsSchema,
  readerRole: ReaderRoleSchema,
  report: ReportSchema.default(ReportSchema.parse({})),
  alarms: AlarmsSchema.default(AlarmsSchema.parse({})),
  api: ApiSchema.default(ApiSchema.parse({})),
  fanOut: FanOutSchema.default(FanOutSchema.parse({})),
  inventory: InventorySchema.default(InventorySchema.parse({})),
  /** Import the findings into Security Hub (opt-in): lib/config/finding-exports-config.ts. */
  securityHub: SecurityHubExportSchema.default(SecurityHubExportSchema.parse({})),
  /** Publish `Redis Compliance Finding Changed` events on the scanner's bus (opt-in). */
  findingEvents: FindingEventsSchema.default(FindingEventsSchema.parse({})),
  /**
   * Reserved concurrency of the scan and merge Lambdas (0: none): a cap on what they may cost, not
   * the one-scan-at-a-time guard (that is the scan lease every start path takes,
   * lambdas/core/scan-lease.ts). A throttled invocation is retried: by Lambda for the asynchronous
   * scan, by the fan-out task's Retry on Lambda.TooManyRequestsException for the merge. Lambda
   * refuses a reservation that leaves the account fewer than 10 unreserved executions (new accounts
   * may have only 10 in total): set 0 there (docs/deploy.md).
   */
  scanReservedConcurrency: z.number().int().min(0).max(10).default(1),
  /** Days a scan and its findings stay in the table (DynamoDB TTL). */
  retentionDays: z.number().int().min(1).max(3650).default(90),
  /** CloudWatch Logs retention of every log group. */
  logRetentionDays: z.number().int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
  }).default(90),
  /** Powertools log level of every function. */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
}).superRefine((config, ctx) => {
  if (config.targets.source === 'accounts' && config.targets.accountIds.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['targets', 'accountIds'], message: 'targets.source is "accounts": list at least one account id' });
  }
  if (config.targets.source !== 'accounts' && config.targets.accountIds.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['targets', 'accountIds'], message: `targets.source is "${config.targets.source}": accountIds are only read when source is "accounts"` });
  }
  const accounts = new Set(config.targets.accountIds).size;
  if (accounts > ACCOUNT_LIST_CONDITION_LIMIT && !config.targets.accountsInOrganization) {
    ctx.addIssue({ code: 'custom', path: ['targets', 'accountsInOrganization'], message: `${accounts} accounts do not fit an IAM policy's account list (at most ${ACCOUNT_LIST_CONDITION_LIMIT}): if they are all in the scanner account's organization, set targets.accountsInOrganization to true (the reader role is then granted in any account of the organization); else split them over deployments` });
  }
  if (accounts > SCAN_LAMBDA_MAX_ACCOUNTS && !config.fanOut.enabled) {
    ctx.addIssue({ code: 'custom', path: ['fanOut', 'enabled'], message: `${accounts} accounts are more than the scan Lambda alone scans (at most ${SCAN_LAMBDA_MAX_ACCOUNTS}): set fanOut.enabled to true` });
  }
  // (An invalid time zone is reported by its own field.)
  const gap = isTimeZone(config.schedule.timeZone) ? smallestScheduleGap(config.schedule, config.inventory.schedule, new Date()) : undefined;
  if (config.schedule.enabled && gap && gap.minutes < config.inventory.minutesBeforeScan) {
    ctx.addIssue({ code: 'custom', path: ['inventory', 'schedule'], message: `the scan (${config.schedule.cron} in ${config.schedule.timeZone}) runs at ${gap.scanUtc} UTC on ${gap.day}, only ${gap.minutes} minutes after the inventory association starts (${config.inventory.schedule}, UTC): it would read the previous day's inventory. Move the association at least ${config.inventory.minutesBeforeScan} minutes (inventory.minutesBeforeScan) before the scan's earliest UTC time` });
  }
  if (config.targets.source === 'organization' && !config.fanOut.enabled) {
    ctx.addIssue({ code: 'custom', path: ['fanOut', 'enabled'], message: 'targets.source "organization" lists accounts in the Step Functions fan-out: set fanOut.enabled to true' });
  }
  if (config.report.recipients.length > 0 && !config.report.sender) {
    ctx.addIssue({ code: 'custom', path: ['report', 'sender'], message: 'report.recipients are set: give the sender address (a verified SES identity)' });
  }
  if (config.report.sender && config.report.senderIdentity) {
    const identity = config.report.senderIdentity.toLowerCase();
    const sender = config.report.sender.toLowerCase();
    if (identity !== sender && !sender.endsWith(`@${identity}`)) {
      ctx.addIssue({ code: 'custom', path: ['report', 'senderIdentity'], message: `the SES identity "${config.report.senderIdentity}" does not authorise the sender "${config.report.sender}" (use the address or its domain)` });
    }
  }
  const externalIdUsed = config.targets.source !== 'self' || config.readerRole.scannerAccountId !== undefined;
  if (externalIdUsed && config.readerRole.externalId === PLACEHOLDER_EXTERNAL_ID) {
    ctx.addIssue({ code: 'custom', path: ['readerRole', 'externalId'], message: `"${PLACEHOLDER_EXTERNAL_ID}" is the placeholder from cdk.json: set a long random value (for example \`openssl rand -hex 24\`) before the reader role is deployed or assumed` });
  }
  if (config.readerRole.stackSetOrganizationalUnitIds.length > 0 && !config.readerRole.scannerAccountId) {
    ctx.addIssue({ code: 'custom', path: ['readerRole', 'scannerAccountId'], message: 'StackSets need the scanner account id the reader role trusts' });
  }
});

export type AppConfig = z.infer<typeof AppConfigSchema>;
export type AppConfigInput = z.input<typeof AppConfigSchema>;

/** The SES identity that must authorise the report e-mail, or undefined when e-mail is off. */
export function reportSenderIdentity(config: AppConfig): string | undefined {
  if (config.report.recipients.length === 0 || !config.report.sender) return undefined;
  return config.report.senderIdentity ?? config.report.sender;
}
