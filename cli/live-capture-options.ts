/** The flags shared by `capture` and `scan --live`: where to read the estate from in AWS. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { captureEstate, captureEstateTargets, CaptureOptionsError, DEFAULT_CONCURRENCY, type CaptureEstateOptions } from '../lambdas/adapters/collectors/capture-estate';
import { DEFAULT_MAX_ATTEMPTS, type ClientOptions } from '../lambdas/adapters/collectors/client-options';
import { SSM_INVENTORY_CONCURRENCY } from '../lambdas/adapters/collectors/api-limits';
import type { ScanConfig } from '../lambdas/core/config';
import { evaluateTargetFeed, type EvaluateOptions } from '../lambdas/core/evaluate';
import type { ScanResult } from '../lambdas/core/model';
import type { Snapshot } from '../lambdas/core/snapshot/schema';
import { UsageError } from './usage-error';

export interface LiveCaptureFlags {
  regions?: string;
  accounts?: string;
  accountsFile?: string;
  roleName?: string;
  externalId?: string;
  concurrency?: string;
  maxAttempts?: string;
  inventoryConcurrency?: string;
}

export function addLiveCaptureOptions(command: Command): Command {
  return command
    .option('--regions <list>', 'comma-separated AWS regions to scan, e.g. eu-west-1,us-east-1')
    .option('--accounts <list>', 'comma-separated account ids to scan through AssumeRole (default: the account of your credentials)')
    .option('--accounts-file <file>', 'file of account ids (one per line or comma-separated; # starts a comment)')
    .option('--role-name <name>', 'role to assume in each account: arn:aws:iam::<account>:role/<name>')
    .option('--external-id <id>', 'ExternalId for AssumeRole')
    .option('--concurrency <n>', `account x region targets captured at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--max-attempts <n>', `attempts per AWS call, retries included, adaptive retry mode (default ${DEFAULT_MAX_ATTEMPTS})`)
    .option('--inventory-concurrency <n>', `SSM ListInventoryEntries calls in flight per target, one instance each (default ${SSM_INVENTORY_CONCURRENCY})`);
}

function list(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function readAccountsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the accounts file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return list(text.split('\n').map((line) => line.replace(/#.*/, '')).join('\n'));
}

export function captureOptionsFrom(flags: LiveCaptureFlags, config: ScanConfig, clientOptions: ClientOptions = {}): CaptureEstateOptions {
  if (!flags.regions) throw new UsageError('--regions is required (e.g. --regions eu-west-1,us-east-1)');
  if (flags.accounts && flags.accountsFile) throw new UsageError('give --accounts or --accounts-file, not both');
  const accounts = flags.accountsFile ? readAccountsFile(flags.accountsFile) : flags.accounts ? list(flags.accounts) : undefined;
  const concurrency = positiveInteger('--concurrency', flags.concurrency);
  const maxAttempts = positiveInteger('--max-attempts', flags.maxAttempts);
  const inventoryConcurrency = positiveInteger('--inventory-concurrency', flags.inventoryConcurrency);
  return {
    ...clientOptions,
    regions: list(flags.regions),
    ...(accounts ? { accounts } : {}),
    ...(flags.roleName ? { roleName: flags.roleName } : {}),
    ...(flags.externalId ? { externalId: flags.externalId } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
    ...(inventoryConcurrency ? { inventoryConcurrency } : {}),
    config,
  };
}

/** Option problems of a capture become usage errors. */
async function withUsageErrors<T>(capture: () => Promise<T>): Promise<T> {
  try {
    return await capture();
  } catch (error) {
    if (error instanceof CaptureOptionsError) throw new UsageError(error.message);
    throw error;
  }
}

/** Captures the estate, turning option problems into usage errors. */
export function captureLive(flags: LiveCaptureFlags, config: ScanConfig, clientOptions: ClientOptions = {}): Promise<Snapshot> {
  return withUsageErrors(() => captureEstate(captureOptionsFrom(flags, config, clientOptions)));
}

/** Captures and evaluates the estate target by target (each target released once evaluated). */
export function evaluateLive(flags: LiveCaptureFlags, config: ScanConfig, evaluateOptions: EvaluateOptions, clientOptions: ClientOptions = {}): Promise<ScanResult> {
  return withUsageErrors(() => evaluateTargetFeed(evaluateOptions, (onTarget) => captureEstateTargets(captureOptionsFrom(flags, config, clientOptions), onTarget)));
}

/** One line per target that met errors, for standard error. */
export function describeCaptureErrors(snapshot: Snapshot): string {
  return snapshot.targets
    .filter((t) => t.errors.length > 0)
    .map((t) => `warning: ${t.accountId}/${t.region}: ${t.errors.map((e) => `${e.service}:${e.operation} ${e.code}`).join(', ')}\n`)
    .join('');
}
