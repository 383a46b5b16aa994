/**
 * Fan-out step 1 (and each Organizations page): the scan id, the expiry of the per-target items,
 * and the account x region targets. Input from the state machine:
 * `{ scanId: <execution name>, startedAt, input: <execution input> }` for the start, or
 * `{ scanId, startedAt, accounts: <ListAccounts page> }` for a page of organization accounts.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import '../core/zod-messages';
import { FANOUT_ITEM_TTL_SECONDS } from '../adapters/fanout/fanout-keys';
import { activeAccountIds, configuredTargets, crossTargets, OrganizationAccountSchema, TARGET_SOURCES, type FanOutTarget } from '../adapters/fanout/plan-targets';
import { EnvironmentError, listEnv, optionalEnv } from './wiring/environment';
import { logger } from './wiring/logger';
import { parseEvent } from './wiring/parse-event';
import { ScanIdSchema, scheduledScanId } from './wiring/scan-id';

const StartSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  startedAt: z.iso.datetime({ offset: true }),
  // `scanId`: set by POST /scans (StateMachineScanInvoker), which has already answered with it.
  input: z.optional(z.looseObject({ trigger: z.optional(z.enum(['scheduled', 'api', 'cli'])), scanId: z.optional(ScanIdSchema) })),
});
const PageSchema = z.strictObject({
  scanId: z.string().check(z.minLength(1)),
  startedAt: z.iso.datetime({ offset: true }),
  accounts: z.array(OrganizationAccountSchema),
});

export interface FanOutStart {
  scanId: string;
  startedAt: string;
  trigger: 'scheduled' | 'api' | 'cli';
  /** Epoch seconds, as a string (the state machine puts it in a DynamoDB N attribute). */
  expiresAt: string;
  targets: FanOutTarget[];
}

function settings(env: NodeJS.ProcessEnv = process.env) {
  const source = optionalEnv('TARGET_SOURCE', env) ?? 'self';
  if (!(TARGET_SOURCES as readonly string[]).includes(source)) throw new EnvironmentError(`environment variable TARGET_SOURCE must be one of ${TARGET_SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
  const regions = listEnv('TARGET_REGIONS', env);
  if (regions.length === 0) throw new EnvironmentError('environment variable TARGET_REGIONS is required');
  return { source: source as (typeof TARGET_SOURCES)[number], regions, accounts: listEnv('TARGET_ACCOUNTS', env) };
}

export async function listTargets(event: unknown, context: Pick<Context, 'invokedFunctionArn'>): Promise<FanOutStart | { targets: FanOutTarget[] }> {
  const { source, regions, accounts } = settings();
  const page = PageSchema.safeParse(event);
  if (page.success) {
    const targets = crossTargets(activeAccountIds(page.data.accounts), regions);
    logger.info('organization page expanded', { scanId: page.data.scanId, accounts: page.data.accounts.length, targets: targets.length });
    return { targets };
  }
  const start = parseEvent(StartSchema, event);
  const ownAccountId = context.invokedFunctionArn.split(':')[4] ?? '';
  const scanId = start.input?.scanId ?? scheduledScanId({ id: start.scanId, time: start.startedAt });
  const expiresAt = String(Math.floor(Date.parse(start.startedAt) / 1000) + FANOUT_ITEM_TTL_SECONDS);
  const targets = configuredTargets(source, accounts, ownAccountId, regions);
  logger.info('fan-out planned', { scanId, source, targets: targets.length });
  return { scanId, startedAt: start.startedAt, trigger: start.input?.trigger ?? 'cli', expiresAt, targets };
}

export const handler = middy(listTargets).use(injectLambdaContext(logger, { resetKeys: true }));
