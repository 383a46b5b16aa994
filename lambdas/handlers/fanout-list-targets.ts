/**
 * Fan-out step 1 (and each Organizations page): the scan id, the scan lease, the expiry of the
 * per-target items, and the account x region targets. Input from the state machine:
 * `{ scanId: <execution name>, startedAt, input: <execution input>, accounts?: <configured account ids> }`
 * for the start, `{ scanId, startedAt, accounts: <ListAccounts page>, enrolment, enrolledOnly }`
 * for a page of organization accounts, or `{ scanId, enrolment, instances: <ListStackInstances page> }`
 * for a page of the reader role StackSet's instances (organization mode; adapters/fanout/plan-targets.ts).
 *
 * The start takes the scan lease (lambdas/core/scan-lease.ts) before anything else: while another
 * scan holds it, it throws ScanAlreadyRunning and the state machine ends the execution there. Then
 * it records the scan RUNNING (unless POST /scans did).
 * The configured account ids come in the input (the state machine definition holds them), not in
 * the environment, which Lambda limits to 4 KB.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { FANOUT_ITEM_TTL_SECONDS } from '../adapters/fanout/fanout-keys';
import { addEnrolledInstances, configuredTargets, EMPTY_ENROLMENT, EnrolmentSchema, OrganizationAccountSchema, planOrganizationPage, StackInstanceSummarySchema, TARGET_SOURCES, type Enrolment, type FanOutTarget } from '../adapters/fanout/plan-targets';
import type { FindingsStore } from '../adapters/store/findings-store';
import { ScanAlreadyRunningError } from '../core/scan-lease';
import { runningScanRecord } from '../core/scan-record';
import { EnvironmentError, listEnv, optionalEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';
import { fanOutScanId, ScanIdSchema } from './wiring/scan-id';
import { scanLeaseMsFromEnv } from './wiring/scan-lease-duration';
import { storeFromEnv } from './wiring/store';

const StartSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  startedAt: z.iso.datetime({ offset: true }),
  // `scanId`: set by POST /scans (StateMachineScanInvoker), which has already answered with it.
  // `scheduledTime`: set by the Scheduler (<aws.scheduler.scheduled-time>), the same for every attempt of one run.
  input: z.optional(z.looseObject({ trigger: z.optional(z.enum(['scheduled', 'api', 'cli'])), scanId: z.optional(ScanIdSchema), scheduledTime: z.optional(z.iso.datetime({ offset: true })) })),
  /** The configured account ids (accounts mode), from the state machine definition. */
  accounts: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id')))),
});
const PageSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  startedAt: z.iso.datetime({ offset: true }),
  accounts: z.array(OrganizationAccountSchema),
  /** Which accounts have the reader role so far (absent: every ACTIVE account is a target). */
  enrolment: z.optional(EnrolmentSchema),
  /** true: only accounts with the reader role are targets (the reader role's StackSet is listed first). */
  enrolledOnly: z.optional(z.boolean()),
});
const InstancesPageSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  enrolment: EnrolmentSchema,
  instances: z.array(StackInstanceSummarySchema),
});

export interface FanOutStart {
  scanId: string;
  startedAt: string;
  trigger: 'scheduled' | 'api' | 'cli';
  /** Epoch seconds, as a string (the state machine puts it in a DynamoDB N attribute). */
  expiresAt: string;
  targets: FanOutTarget[];
  /** Organization mode: the first page's input (no targets yet, no account enrolled yet). */
  expanded?: { targets: FanOutTarget[]; enrolment: Enrolment };
}

function settings(env: NodeJS.ProcessEnv = process.env) {
  const source = optionalEnv('TARGET_SOURCE', env) ?? 'self';
  if (!(TARGET_SOURCES as readonly string[]).includes(source)) throw new EnvironmentError(`environment variable TARGET_SOURCE must be one of ${TARGET_SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
  const regions = listEnv('TARGET_REGIONS', env);
  if (regions.length === 0) throw new EnvironmentError('environment variable TARGET_REGIONS is required');
  return { source: source as (typeof TARGET_SOURCES)[number], regions, accounts: listEnv('TARGET_ACCOUNTS', env) };
}

export const listTargetsStore = lazy<FindingsStore>(() => storeFromEnv());

export async function listTargets(event: unknown, context: Pick<Context, 'invokedFunctionArn'>, store?: FindingsStore, now: () => Date = () => new Date()): Promise<FanOutStart | { targets: FanOutTarget[]; enrolment: Enrolment } | Enrolment> {
  const { source, regions, accounts: envAccounts } = settings();
  const ownAccountId = context.invokedFunctionArn.split(':')[4] ?? '';
  const instances = InstancesPageSchema.safeParse(event);
  if (instances.success) {
    const enrolment = addEnrolledInstances(instances.data.enrolment, instances.data.instances);
    logger.info('reader role instances read', { scanId: instances.data.scanId, instances: instances.data.instances.length, enrolled: enrolment.enrolled.length });
    return enrolment;
  }
  const page = PageSchema.safeParse(event);
  if (page.success) {
    const planned = planOrganizationPage(page.data.accounts, regions, page.data.enrolment ?? EMPTY_ENROLMENT, { enrolledOnly: page.data.enrolledOnly ?? false, ownAccountId });
    logger.info('organization page expanded', { scanId: page.data.scanId, accounts: page.data.accounts.length, targets: planned.targets.length, notEnrolled: planned.enrolment.notEnrolled.length });
    return planned;
  }
  const start = parseEvent(StartSchema, event);
  const scanId = fanOutScanId(start.scanId, start.startedAt, start.input);
  const lease = await (store ?? listTargetsStore.get()).acquireScanLease(scanId, now(), scanLeaseMsFromEnv());
  if (!lease.acquired) {
    logger.warn('scan refused: one is running', { scanId, runningScanId: lease.holder.scanId, leaseExpiresAt: lease.holder.expiresAt });
    throw new ScanAlreadyRunningError(scanId, lease.holder);
  }
  const trigger = start.input?.trigger ?? (start.input?.scheduledTime ? 'scheduled' : 'cli');
  // The scan exists from its first step (GET /scans/{id} answers, and a 409 names a scan one can follow);
  // POST /scans has recorded its own already.
  const scans = store ?? listTargetsStore.get();
  if (!(await scans.getScan(scanId))) await scans.putScan(runningScanRecord(scanId, trigger, start.startedAt));
  const expiresAt = String(Math.floor(Date.parse(start.startedAt) / 1000) + FANOUT_ITEM_TTL_SECONDS);
  const targets = configuredTargets(source, start.accounts ?? envAccounts, ownAccountId, regions);
  logger.info('fan-out planned', { scanId, source, targets: targets.length });
  return { scanId, startedAt: start.startedAt, trigger, expiresAt, targets, ...(source === 'organization' ? { expanded: { targets: [], enrolment: EMPTY_ENROLMENT } } : {}) };
}

export const handler = middy((event: unknown, context: Context) => listTargets(event, context)).use(injectLambdaContext(logger, { resetKeys: true }));
