/**
 * Captures a whole estate: every account x region target, at most `concurrency` at a time (default
 * 4), each on its own clients and counters so one failing account or region does not stop the
 * others. Each target is validated against the snapshot schema before it is handed on.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DEFAULT_CONFIG, type ScanConfig } from '../../core/config';
import { validateSnapshotTarget } from '../../core/snapshot/parse-snapshot';
import { SNAPSHOT_FORMAT, type CollectionError, type Snapshot, type SnapshotTarget } from '../../core/snapshot/schema';
import { ApiCallCounter } from './api-call-counter';
import type { ClientOptions } from './client-options';
import type { CaptureDeadline } from './capture-deadline';
import { captureTarget, captureTargetUntil, type CapturedTarget, type TargetSpec } from './capture-target';
import { toCollectionError } from './collection-error';
import { PerInstanceFailures } from './per-instance-failures';
import { LIST_INVENTORY_ENTRIES } from './ssm-collector';
import type { TargetContinuation } from './target-continuation';
import type { SsmCollectionOptions } from './ssm-collector';
import { runWithConcurrency } from './run-with-concurrency';
import { createStsClient } from './target-credentials';

export const DEFAULT_CONCURRENCY = 4;

export interface CaptureEstateOptions extends ClientOptions, SsmCollectionOptions {
  regions: readonly string[];
  /** Accounts to scan through AssumeRole; without them, the account of the default credentials. */
  accounts?: readonly string[];
  /** Role assumed in every account (`arn:aws:iam::<account>:role/<roleName>`); needed with `accounts`. */
  roleName?: string;
  externalId?: string;
  /** Targets captured at once; default 4. */
  concurrency?: number;
  config?: ScanConfig;
  now?: () => Date;
  /**
   * Stop starting SSM inventory reads when this expires (the scan Lambda's remaining time). A target
   * stopped by it is kept with what was read and a `DeadlineReached` error naming the instances not
   * read, so the scan is PARTIAL instead of killed with nothing; the fan-out worker continues such a
   * target instead (lambdas/handlers/fanout-scan-target.ts).
   */
  deadline?: CaptureDeadline;
}

export class CaptureOptionsError extends Error {
  override readonly name = 'CaptureOptionsError';
}

/**
 * Nothing can be captured: no credentials could be loaded, or no region's STS answered
 * GetCallerIdentity (so the account to label the targets with is unknown). `cause` is the error met.
 */
export class CaptureIdentityError extends Error {
  override readonly name = 'CaptureIdentityError';
  constructor(message: string, override readonly cause: unknown) {
    super(message);
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function checkOptions(options: CaptureEstateOptions): void {
  if (options.regions.length === 0) throw new CaptureOptionsError('at least one region is required');
  for (const region of options.regions) if (!REGION.test(region)) throw new CaptureOptionsError(`not an AWS region name: ${JSON.stringify(region)}`);
  for (const account of options.accounts ?? []) if (!ACCOUNT_ID.test(account)) throw new CaptureOptionsError(`not a 12-digit AWS account id: ${JSON.stringify(account)}`);
  if (options.accounts?.length && !options.roleName) throw new CaptureOptionsError('a role name is required to scan other accounts (AssumeRole)');
  if (options.externalId !== undefined && !options.roleName) throw new CaptureOptionsError('an external id only applies with a role name');
}

export async function captureEstate(options: CaptureEstateOptions): Promise<Snapshot> {
  const targets: SnapshotTarget[] = [];
  const { capturedAt } = await captureEstateTargets(options, (target) => targets.push(target));
  return { format: SNAPSHOT_FORMAT, capturedAt, targets };
}

/**
 * Captures every target and hands each one, validated, to `onTarget` in account x region order as
 * soon as it and the targets before it are captured, so a caller that evaluates them one by one
 * holds at most the targets in flight (and those finished ahead of a slower one), not the estate.
 * Resolves to the capture time once every target has been handed on.
 */
export async function captureEstateTargets(options: CaptureEstateOptions, onTarget: (target: SnapshotTarget, index: number) => void): Promise<{ capturedAt: string }> {
  checkOptions(options);
  const config = options.config ?? DEFAULT_CONFIG;
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();
  const regions = [...new Set(options.regions)];
  let accounts = [...new Set(options.accounts ?? [])];
  const identityCounter = new ApiCallCounter();
  // A region whose STS did not answer GetCallerIdentity keeps that failure as its own error.
  let identityErrors = new Map<string, CollectionError>();
  if (accounts.length === 0) {
    const identity = await callerAccount(regions, identityCounter, options);
    accounts = [identity.account];
    identityErrors = identity.errors;
  } else if (options.roleName) {
    await checkBaseCredentials(regions[0]!, options);
  }

  const specs: TargetSpec[] = accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  options.progress?.targetsPlanned(specs.length);
  // Targets finished ahead of an earlier one wait here; the next in order is handed on at once.
  const waiting = new Map<number, CapturedTarget>();
  let next = 0;
  const handOn = (index: number, target: CapturedTarget): void => {
    waiting.set(index, target);
    for (let ready = waiting.get(next); ready !== undefined; ready = waiting.get(next)) {
      waiting.delete(next);
      if (next === 0) addCalls(ready, identityCounter.toRecord());
      const identityError = identityErrors.get(ready.region);
      if (identityError) (ready.errors ??= []).unshift(identityError);
      onTarget(validateSnapshotTarget(ready, next, 'live capture'), next);
      next++;
    }
  };
  await runWithConcurrency(specs, options.concurrency ?? DEFAULT_CONCURRENCY, async (spec, index) => {
    const targetOptions = {
      ...options,
      tags: config.tags,
      ...(options.roleName ? { assumeRole: { roleName: options.roleName, ...(options.externalId ? { externalId: options.externalId } : {}) } } : {}),
    };
    let target: CapturedTarget;
    if (!options.deadline) target = await captureTarget(spec, targetOptions);
    else {
      const captured = await captureTargetUntil(spec, targetOptions, options.deadline);
      target = captured.target;
      if (captured.continuation) (target.errors ??= []).push(...unreadAtDeadline(captured.continuation));
    }
    options.progress?.targetDone();
    handOn(index, target);
  });
  return { capturedAt };
}

/**
 * The account of the default credentials (sts:GetCallerIdentity needs no IAM permission), asked of
 * each region's STS in turn until one answers; the regions that failed keep their error. When none
 * answers, or the credentials cannot be loaded at all, nothing can be captured.
 */
async function callerAccount(regions: readonly string[], counter: ApiCallCounter, options: ClientOptions): Promise<{ account: string; errors: Map<string, CollectionError> }> {
  const errors = new Map<string, CollectionError>();
  let lastError: unknown;
  for (const region of regions) {
    const sts = createStsClient(region, counter, options);
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
      return { account: identity.Account, errors };
    } catch (error) {
      if (isMissingCredentials(error)) throw new CaptureIdentityError(`no AWS credentials could be loaded (${(error as Error).message})`, error);
      errors.set(region, toCollectionError('sts', 'GetCallerIdentity', error));
      lastError = error;
    } finally {
      sts.destroy();
    }
  }
  const tried = [...errors.entries()].map(([region, e]) => `${region}: ${e.code} ${e.message}`).join('; ');
  throw new CaptureIdentityError(`sts:GetCallerIdentity failed in every region, so the account of the credentials is unknown (${tried})`, lastError);
}

function isMissingCredentials(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'CredentialsProviderError';
}

/** Before assuming roles everywhere: the base credentials must load, else every target would fail the same way. */
async function checkBaseCredentials(region: string, options: ClientOptions): Promise<void> {
  const sts = createStsClient(region, new ApiCallCounter(), options);
  try {
    await sts.config.credentials();
  } catch (error) {
    if (isMissingCredentials(error)) throw new CaptureIdentityError(`no AWS credentials could be loaded to assume the reader role (${(error as Error).message})`, error);
    throw error;
  } finally {
    sts.destroy();
  }
}

function addCalls(target: CapturedTarget | undefined, calls: Record<string, number>): void {
  if (!target || Object.keys(calls).length === 0) return;
  const merged = { ...(target.apiCalls ?? {}) };
  for (const [key, count] of Object.entries(calls)) merged[key] = (merged[key] ?? 0) + count;
  target.apiCalls = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The errors of a target whose inventory reads stopped at the deadline: the failures met before it
 * (as one uninterrupted capture would record them), and the instances not read. Their rules then say
 * UNKNOWN, citing it; the scan is PARTIAL.
 */
function unreadAtDeadline(continuation: TargetContinuation): CollectionError[] {
  const { pending, asked, reader } = continuation.inventory;
  const errors: CollectionError[] = [];
  const failed = new PerInstanceFailures('ssm', LIST_INVENTORY_ENTRIES).restore(reader.failures).toError(asked);
  if (failed) errors.push(failed);
  const shown = pending.slice(0, 5).map((p) => p.id).join(', ');
  errors.push({
    service: 'ssm',
    operation: LIST_INVENTORY_ENTRIES,
    code: 'DeadlineReached',
    message: `The capture reached the Lambda's deadline before reading the inventory of ${pending.length} of ${asked} instance(s) (${shown}${pending.length > 5 ? ', ...' : ''}); scan this region with the fan-out, which continues a target across invocations.`,
  });
  return errors;
}
