/** The flags shared by `capture` and `scan --live`: where to read the estate from in AWS. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { captureEstate, captureEstateTargets, CaptureIdentityError, CaptureOptionsError, DEFAULT_CONCURRENCY, type CaptureEstateOptions } from '../lambdas/adapters/collectors/capture-estate';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../lambdas/adapters/collectors/bounded-calls';
import { CaptureProgress } from '../lambdas/adapters/collectors/capture-progress';
import { reportCaptureProgress } from './capture-progress-line';
import { DEFAULT_MAX_ATTEMPTS, type ClientOptions } from '../lambdas/adapters/collectors/client-options';
import { SSM_INVENTORY_CONCURRENCY } from '../lambdas/adapters/collectors/api-limits';
import type { ScanConfig } from '../lambdas/core/config';
import { evaluateTargetFeed, type EvaluateOptions } from '../lambdas/core/evaluate';
import type { ScanResult } from '../lambdas/core/model';
import type { Snapshot } from '../lambdas/core/snapshot/schema';
import { RuntimeFailure, UsageError } from './usage-error';

export interface LiveCaptureFlags {
  regions?: string;
  accounts?: string;
  accountsFile?: string;
  roleName?: string;
  externalId?: string;
  concurrency?: string;
  maxAttempts?: string;
  inventoryConcurrency?: string;
  connectTimeout?: string;
  requestTimeout?: string;
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
    .option('--inventory-concurrency <n>', `SSM ListInventoryEntries calls in flight per target, one instance each (default ${SSM_INVENTORY_CONCURRENCY})`)
    .option('--connect-timeout <seconds>', `seconds an AWS endpoint has to accept the connection (default ${DEFAULT_CONNECT_TIMEOUT_MS / 1000})`)
    .option('--request-timeout <seconds>', `seconds an AWS call has to answer; a call that times out is retried once, then recorded as a capture error (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})`);
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

function positiveSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
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
  const connectTimeoutMs = positiveSeconds('--connect-timeout', flags.connectTimeout);
  const requestTimeoutMs = positiveSeconds('--request-timeout', flags.requestTimeout);
  return {
    ...clientOptions,
    regions: list(flags.regions),
    ...(accounts ? { accounts } : {}),
    ...(flags.roleName ? { roleName: flags.roleName } : {}),
    ...(flags.externalId ? { externalId: flags.externalId } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
    ...(inventoryConcurrency ? { inventoryConcurrency } : {}),
    ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    config,
  };
}

/** Option problems of a capture become usage errors. */
async function withUsageErrors<T>(capture: () => Promise<T>): Promise<T> {
  try {
    return await capture();
  } catch (error) {
    if (error instanceof CaptureOptionsError) throw new UsageError(error.message);
    if (error instanceof CaptureIdentityError) {
      const missing = (error.cause as { name?: string } | undefined)?.name === 'CredentialsProviderError';
      throw new RuntimeFailure(`${error.message}: ${missing ? 'set AWS_PROFILE, run aws sso login / aws configure, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' : 'check the network, proxy and any AWS_ENDPOINT_URL override, or name the accounts with --accounts and --role-name'}`);
    }
    throw error;
  }
}

/** Where the capture's progress line goes (standard error). */
export interface ProgressOutput {
  stderr(text: string): void;
  stderrIsTTY?: boolean;
  progressAfterMs?: number;
}

/** Runs a capture with its progress on standard error. */
async function withProgress<T>(output: ProgressOutput | undefined, clientOptions: ClientOptions, capture: (options: ClientOptions) => Promise<T>): Promise<T> {
  if (!output) return capture(clientOptions);
  const progress = new CaptureProgress();
  const stop = reportCaptureProgress(progress, { stderr: output.stderr, tty: !!output.stderrIsTTY, ...(output.progressAfterMs !== undefined ? { afterMs: output.progressAfterMs } : {}) });
  try {
    return await capture({ ...clientOptions, progress });
  } finally {
    stop();
  }
}

/** Captures the estate, turning option problems into usage errors. */
export function captureLive(flags: LiveCaptureFlags, config: ScanConfig, clientOptions: ClientOptions = {}, output?: ProgressOutput): Promise<Snapshot> {
  return withUsageErrors(() => withProgress(output, clientOptions, (options) => captureEstate(captureOptionsFrom(flags, config, options))));
}

/** Captures and evaluates the estate target by target (each target released once evaluated). */
export function evaluateLive(flags: LiveCaptureFlags, config: ScanConfig, evaluateOptions: EvaluateOptions, clientOptions: ClientOptions = {}, output?: ProgressOutput): Promise<ScanResult> {
  return withUsageErrors(() => withProgress(output, clientOptions, (options) => evaluateTargetFeed(evaluateOptions, (onTarget) => captureEstateTargets(captureOptionsFrom(flags, config, options), onTarget))));
}

/** One line per target that met errors, for standard error. */
export function describeCaptureErrors(snapshot: Snapshot): string {
  return snapshot.targets
    .filter((t) => t.errors.length > 0)
    .map((t) => `warning: ${t.accountId}/${t.region}: ${t.errors.map((e) => `${e.service}:${e.operation} ${e.code}`).join(', ')}\n`)
    .join('');
}
