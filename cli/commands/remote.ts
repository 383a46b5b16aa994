/**
 * `redis-compliance remote scan|findings|report`: the deployed scanner's API from the command line
 * (requests signed with SigV4, credentials from the usual chain), so a pipeline can start a scan,
 * wait for it and gate a release on the result. `remote scan --wait` exits as `scan` does
 * (cli/exit-gate.ts); a refused request, an unreachable API or a scan that failed is 4.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { isAtOrAbove, SEVERITIES, type FindingStatus, type ScanRecord, type Severity, type StoredFinding } from '../../lambdas/core/model';
import { addGateOptions, gateExitCode, type GateFlags } from '../exit-gate';
import { ApiError, SignedApiClient } from '../remote/signed-api-client';
import { networkErrorCause } from '../../lambdas/adapters/network-error';
import { safeTerminalText } from '../terminal-text';
import { EXIT, RuntimeFailure, UsageError } from '../usage-error';
import { checkOutputFile, choiceOption, outputOptions, outputPath } from '../option-helpers';
import type { CommandIo } from './scan';

/** What the remote commands touch beyond the terminal; tests shorten the waits. */
export interface RemoteEnvironment {
  credentials?: AwsCredentialIdentityProvider;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const REPORT_FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
const PAGE_LIMIT = '100';

interface CommonOptions {
  api: string;
  region?: string;
  customDomain?: boolean;
}

export function registerRemoteCommand(program: Command, io: CommandIo, environment: RemoteEnvironment = {}): Command {
  const remote = program.command('remote').description('Use the deployed scanner through its API (SigV4-signed with your AWS credentials).');
  const common = (command: Command) =>
    command
      .requiredOption('--api <url>', 'the API invoke URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod')
      .option('--region <region>', 'region of the API (default: from the URL, else AWS_REGION)')
      .option('--custom-domain', "the --api host is the API's custom domain name: sign requests for it (by default only <id>.execute-api.<region>.amazonaws.com[.cn] hosts are signed for)");
  const client = (options: CommonOptions) =>
    new SignedApiClient({ apiUrl: options.api, ...(options.region ? { region: options.region } : {}), ...(options.customDomain ? { customDomain: true } : {}), ...(environment.credentials ? { credentials: environment.credentials } : {}), ...(environment.fetch ? { fetch: environment.fetch } : {}) });

  common(remote.command('scan').description('Start a scan on the deployed scanner; with --wait, wait for it and print its summary.'))
    .option('--regions <list>', 'comma-separated regions to scan (default: the deployed targets)')
    .option('--accounts <list>', 'comma-separated account ids to scan (default: the deployed targets)')
    .option('--wait', 'wait until the scan has finished, with a progress line, and print its summary')
    .addOption(choiceOption('--fail-on <severity>', 'with --wait: exit 1 when a FAIL of this severity or higher exists (waived findings do not count)', SEVERITIES));
  addGateOptions(remote.commands.find((c) => c.name() === 'scan')!, 'with --wait --fail-on')
    .option('--poll-seconds <seconds>', 'with --wait: seconds between status checks', '5')
    .option('--timeout-minutes <minutes>', 'with --wait: give up (exit 2) after this long', '30')
    .action(async (options: CommonOptions & GateFlags & { regions?: string; accounts?: string; wait?: boolean; pollSeconds: string; timeoutMinutes: string }) => {
      for (const [set, flag] of [[options.failOn, '--fail-on'], [options.failOnUnknown, '--fail-on-unknown'], [options.allowPartial, '--allow-partial'], [options.allowEmpty, '--allow-empty']] as const) {
        if (set && !options.wait) throw new UsageError(`${flag} needs --wait (the result is only known when the scan has finished)`);
      }
      const regions = list(options.regions, REGION, '--regions', 'an AWS region name such as eu-west-1');
      const accounts = list(options.accounts, ACCOUNT, '--accounts', 'a 12-digit account id');
      const pollMs = positive(options.pollSeconds, '--poll-seconds') * 1000;
      const timeoutMs = positive(options.timeoutMinutes, '--timeout-minutes') * 60_000;
      const api = client(options);
      const started = await startScan(api, { ...(regions ? { regions } : {}), ...(accounts ? { accounts } : {}) });
      io.stderr(started.alreadyRunning
        ? `A scan is already running (one runs at a time): following ${safeTerminalText(started.scanId)}.\n`
        : `Started scan ${safeTerminalText(started.scanId)}.\n`);
      if (!options.wait) {
        io.stdout(`${JSON.stringify({ scanId: started.scanId, status: 'RUNNING', ...(started.alreadyRunning ? { alreadyRunning: true } : {}) })}\n`);
        io.setExitCode(EXIT.OK);
        return;
      }
      const scan = await waitForScan(api, started.scanId, { pollMs, timeoutMs, io, environment });
      io.stdout(summary(scan));
      const unknownBySeverity = options.failOnUnknown && scan.status !== 'FAILED' ? await unknownCounts(api, scan.scanId) : undefined;
      io.setExitCode(gateExitCode(
        { count: (status: FindingStatus, severity: Severity) => (status === 'FAIL' ? (scan.failBySeverity[severity] ?? 0) : status === 'UNKNOWN' ? (unknownBySeverity?.[severity] ?? 0) : 0) },
        {
          status: scan.status === 'RUNNING' ? 'PARTIAL' : scan.status,
          partialTargets: [...new Set(scan.errors.map((e) => `${e.accountId}/${e.region}`))],
          emptyTargets: [],
          redisServers: scan.redisServers,
          roleTag: 'of the deployed configuration',
        },
        options,
        io.stderr,
      ));
    });

  common(remote.command('findings').description('List the findings of a scan (default: the latest scan).'))
    .option('--scan <id>', 'scan id (default: the latest scan)')
    .addOption(choiceOption('--status <status>', 'only findings with this status', ['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'] as const))
    .addOption(choiceOption('--severity <severity>', 'only findings of this severity', SEVERITIES))
    .option('--rule <ruleId>', 'only findings of this rule')
    .addOption(choiceOption('--format <format>', 'output format, as scan --format names them (text: the same as table)', ['table', 'json'] as const, { text: 'table' }).default('table'))
    .addOption(choiceOption('--fail-on <severity>', 'exit 1 when a listed FAIL of this severity or higher exists', SEVERITIES))
    .action(async (options: CommonOptions & { scan?: string; status?: string; severity?: string; rule?: string; format: 'table' | 'json'; failOn?: Severity }) => {
      const api = client(options);
      const scanId = options.scan ?? (await latestScanId(api));
      const findings: StoredFinding[] = [];
      let nextToken: string | undefined;
      // A token seen before would page for ever: the API is misbehaving, and the listing stops with an error.
      const tokensSeen = new Set<string>();
      do {
        const page = await call(() => api.json<{ items: StoredFinding[]; nextToken?: string }>('GET', `/scans/${encodeURIComponent(scanId)}/findings`, { status: options.status, severity: options.severity, rule: options.rule, limit: PAGE_LIMIT, nextToken }));
        findings.push(...page.items);
        nextToken = page.nextToken;
        if (nextToken !== undefined && tokensSeen.has(nextToken)) throw new RuntimeFailure(`the API repeated a nextToken after ${tokensSeen.size + 1} pages; stopped listing the findings`);
        if (nextToken !== undefined) tokensSeen.add(nextToken);
      } while (nextToken);
      if (options.format === 'json') io.stdout(`${JSON.stringify({ scanId, findings }, null, 2)}\n`);
      else io.stdout(findings.map(findingLine).join('') + `${findings.length} findings in scan ${safeTerminalText(scanId)}.\n`);
      const failing = options.failOn ? findings.some((f) => f.status === 'FAIL' && isAtOrAbove(f.severity, options.failOn!)) : false;
      io.setExitCode(failing ? EXIT.FAILED_CHECKS : EXIT.OK);
    });

  common(remote.command('report').description('Fetch the latest report.'))
    .addOption(choiceOption('--format <format>', 'report format', REPORT_FORMATS).default('html'))
    .addOption(outputOptions('file', 'write the report to this file instead of standard output')[0]!)
    .addOption(outputOptions('file', '')[1]!)
    .action(async (options: CommonOptions & { format: (typeof REPORT_FORMATS)[number]; output?: string; out?: string }) => {
      const output = outputPath(options);
      if (output) checkOutputFile(output);
      const api = client(options);
      const response = await call(() => api.request('GET', '/reports/latest', { format: options.format }));
      if (output) {
        writeFileSync(output, response.body);
        io.stderr(`Wrote the ${options.format} report to ${output} (${Buffer.byteLength(response.body)} bytes).\n`);
      } else {
        io.stdout(response.body.endsWith('\n') ? response.body : `${response.body}\n`);
      }
      io.setExitCode(EXIT.OK);
    });
  return remote;
}

async function waitForScan(api: SignedApiClient, scanId: string, options: { pollMs: number; timeoutMs: number; io: CommandIo; environment: RemoteEnvironment }): Promise<ScanRecord> {
  const now = options.environment.now ?? Date.now;
  const sleep = options.environment.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = now();
  for (;;) {
    const scan = await call(() => api.json<ScanRecord>('GET', `/scans/${encodeURIComponent(scanId)}`));
    const elapsed = Math.round((now() - start) / 1000);
    if (scan.status !== 'RUNNING') {
      if (options.io.isTTY) options.io.stderr('\r\u001b[K');
      options.io.stderr(`Scan ${safeTerminalText(scanId)} ${scan.status} after ${elapsed} s.\n`);
      return scan;
    }
    const line = `Scan ${safeTerminalText(scanId)} running… ${elapsed} s`;
    options.io.stderr(options.io.isTTY ? `\r\u001b[K${line}` : `${line}\n`);
    if (now() - start >= options.timeoutMs) throw new RuntimeFailure(`scan ${scanId} still running after ${Math.round(options.timeoutMs / 60000)} min (--timeout-minutes); it continues on the server`);
    await sleep(options.pollMs);
  }
}

/** POST /scans; a 409 (a scan is running: one at a time) names the running scan, which is followed instead. */
async function startScan(api: SignedApiClient, body: Record<string, unknown>): Promise<{ scanId: string; alreadyRunning: boolean }> {
  try {
    const started = await api.json<{ scanId: string }>('POST', '/scans', {}, body);
    return { scanId: started.scanId, alreadyRunning: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      try {
        const running = (JSON.parse(error.body) as { scanId?: unknown }).scanId;
        if (typeof running === 'string' && running.length > 0) return { scanId: running, alreadyRunning: true };
      } catch {
        // fall through to the error
      }
    }
    return call(() => Promise.reject(error));
  }
}

async function latestScanId(api: SignedApiClient): Promise<string> {
  const page = await call(() => api.json<{ items: ScanRecord[] }>('GET', '/scans', { limit: '1' }));
  const latest = page.items[0];
  if (!latest) throw new UsageError('the deployed scanner has no scans yet');
  return latest.scanId;
}

/** The scan's UNKNOWN findings (after waivers) by severity, read from the API. */
async function unknownCounts(api: SignedApiClient, scanId: string): Promise<Record<Severity, number>> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let nextToken: string | undefined;
  do {
    const page = await call(() => api.json<{ items: StoredFinding[]; nextToken?: string }>('GET', `/scans/${encodeURIComponent(scanId)}/findings`, { status: 'UNKNOWN', limit: PAGE_LIMIT, nextToken }));
    for (const f of page.items) if (f.status === 'UNKNOWN') counts[f.severity]++;
    nextToken = page.nextToken;
  } while (nextToken);
  return counts;
}

function summary(scan: ScanRecord): string {
  const counts = Object.entries(scan.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  const failing = SEVERITIES.map((s) => `${s} ${scan.failBySeverity[s] ?? 0}`).join(', ');
  const lines = [
    `Scan ${safeTerminalText(scan.scanId)}: ${scan.status}`,
    `Findings: ${counts}`,
    `Failing by severity: ${failing}`,
    `Redis servers ${scan.redisServers}, front-ends ${scan.frontends}, clusters ${scan.clusters}`,
    ...scan.errors.map((e) => `Error: ${safeTerminalText(`${e.accountId} ${e.region} ${e.service}:${e.operation} ${e.code} ${e.message}`)}`),
  ];
  return `${lines.join('\n')}\n`;
}

function findingLine(f: StoredFinding): string {
  return `${f.status.padEnd(14)} ${f.severity.padEnd(8)} ${f.ruleId.padEnd(34)} ${safeTerminalText(`${f.accountId} ${f.region} ${f.resourceId}${f.resourceName ? ` (${f.resourceName})` : ''}`)}\n`;
}

/**
 * API and network failures become one clear line: a request the API rejects as malformed (400, 404,
 * 422) is bad input (exit 2); a refused one (401, 403), throttling, a server error or an unreachable
 * API is a failure of the run (exit 4).
 */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UsageError || error instanceof RuntimeFailure) throw error;
    if (error instanceof ApiError) {
      if ([400, 404, 409, 422].includes(error.status)) throw new UsageError(error.message);
      throw new RuntimeFailure(error.status === 401 || error.status === 403 ? `${error.message}; refresh the credentials (aws sso login) or use a profile allowed to invoke the API` : `${error.message}; run again later`);
    }
    const cause = networkErrorCause(error);
    throw new RuntimeFailure(`the API could not be reached: ${(error as Error).message}${cause !== undefined ? ` (${cause})` : ''}; check the --api URL, the network and any proxy`);
  }
}

function list(value: string | undefined, pattern: RegExp, flag: string, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} is empty`);
  const bad = items.find((v) => !pattern.test(v));
  if (bad !== undefined) throw new UsageError(`${flag}: ${JSON.stringify(bad)} is not ${what}`);
  return items;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}
