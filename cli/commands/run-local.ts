/**
 * `redis-compliance run-local`: the whole pipeline on this machine, no AWS account. An embedded
 * DynamoDB (dynalite on 127.0.0.1) holds the findings, kept in --local-db between runs so that the
 * report shows the trend and the changes since the previous run (--fresh starts over); the scan and
 * report Lambda cores run as they do in AWS; the reports are written to --out; Slack and e-mail are
 * sent when asked.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { Option, type Command } from 'commander';
import { EvidenceCoverage } from '../../lambdas/core/evidence-coverage';
import { SEVERITIES } from '../../lambdas/core/model';
import { addGateOptions, findingCounts, gateExitCode, type GateFlags } from '../exit-gate';
import { EmailNotifier } from '../../lambdas/adapters/notifiers/email-notifier';
import { StaticSecretProvider } from '../../lambdas/adapters/notifiers/secret-provider';
import { SlackNotifier } from '../../lambdas/adapters/notifiers/slack-notifier';
import { systemClock, type Clock } from '../../lambdas/adapters/store/clock';
import { DEFAULT_RETENTION_DAYS, DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { exportItems } from '../../lambdas/core/export/export-items';
import { renderExportItems } from '../../lambdas/core/export/render-export';
import { renderCsv } from '../../lambdas/core/report/render-csv';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { renderJson } from '../../lambdas/core/report/render-json';
import { renderMarkdown } from '../../lambdas/core/report/render-markdown';
import { renderTextSummary } from '../../lambdas/core/report/render-text-summary';
import { configSuppressions } from '../../lambdas/core/suppressions/suppression-schema';
import { runReport } from '../../lambdas/handlers/report';
import { loadReportModel } from '../../lambdas/handlers/wiring/load-report-model';
import { runScan } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import type { ReportNotifier } from '../../lambdas/handlers/wiring/notifiers';
import { logger } from '../../lambdas/handlers/wiring/logger';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { loadConfig } from '../load-config';
import { LocalDbInUseError, startLocalDynamoDb, type LocalDynamoDb } from '../local-dynamodb';
import { parseMaxSnapshotBytes, readSnapshotFile } from '../read-snapshot-file';
import { EXIT, UsageError } from '../usage-error';
import { checkOutputFolder, outputOptions, outputPath } from '../option-helpers';
import type { CommandIo } from './scan';

export const DEFAULT_SAMPLE_SNAPSHOT = 'examples/estate.sample.json';
/** Where run-local writes the reports. */
export const DEFAULT_OUTPUT_DIR = 'out';
/** Where run-local keeps its embedded table between runs (git-ignored). */
export const DEFAULT_LOCAL_DB = '.redis-compliance/local-db';

export interface RunLocalOptions extends GateFlags {
  snapshot: string;
  maxSnapshotBytes?: number;
  config?: string;
  output?: string;
  out?: string;
  localDb: string;
  fresh?: boolean;
  slackWebhook?: string;
  sesEndpoint?: string;
  emailFrom?: string;
  emailTo?: string;
}

/** The process edges run-local touches beyond the terminal (tests pin the clock). */
export interface RunLocalEnvironment {
  clock?: Clock;
  /** Starts the embedded DynamoDB kept in the folder `path`; tests may point it elsewhere. */
  startDynamoDb?: (path: string) => Promise<Pick<LocalDynamoDb, 'tableName' | 'documentClient' | 'stop'>>;
}

export function registerRunLocalCommand(program: Command, io: CommandIo, environment: RunLocalEnvironment = {}): Command {
  const command = program
    .command('run-local')
    .description('Run the whole pipeline locally: scan a snapshot, store findings in an embedded DynamoDB, write the reports, optionally post to Slack and send the e-mail.')
    .option('--snapshot <file>', 'snapshot file to scan', DEFAULT_SAMPLE_SNAPSHOT)
    .option('--max-snapshot-bytes <bytes>', 'largest snapshot file read (default 2 GiB)', parseMaxSnapshotBytes)
    .option('--config <file>', 'configuration file (default: ./redis-compliance.config.json when present)')
    .addOption(outputOptions('dir', 'folder for report.html, report.md, report.csv, report.json, findings.asff.json and findings.ocsf.json (default: out)')[0]!)
    .addOption(outputOptions('dir', '')[1]!)
    .option('--local-db <dir>', 'folder that keeps the embedded DynamoDB table between runs (for the trend and the changes since the previous run)', DEFAULT_LOCAL_DB)
    .option('--fresh', 'delete the kept table first: start a new history')
    .option('--slack-webhook <url>', 'post the Slack message to this incoming-webhook URL (https, or http to 127.0.0.1)')
    .option('--ses-endpoint <url>', 'send the e-mail through this SES v2 endpoint (e.g. aws-ses-v2-local)')
    .option('--email-from <address>', 'sender of the e-mail (with --ses-endpoint)')
    .option('--email-to <addresses>', 'comma-separated recipients of the e-mail (with --ses-endpoint)')
    .addOption(new Option('--fail-on <severity>', 'gate like scan: exit 1 on a FAIL of this severity or higher, 3 on incomplete evidence (without it run-local exits 0 once the reports are written)').choices([...SEVERITIES]));
  addGateOptions(command);
  return command.action(async (options: RunLocalOptions) => {
    io.setExitCode(await runLocal(options, io, environment));
  });
}

export async function runLocal(options: RunLocalOptions, io: CommandIo, environment: RunLocalEnvironment = {}): Promise<number> {
  const output = outputPath(options) ?? DEFAULT_OUTPUT_DIR;
  // Checked before the scan, so a mistyped path costs nothing.
  checkOutputFolder(output);
  const outDir = resolve(output);
  const config = loadConfig(options.config);
  const snapshot = await readSnapshotFile(options.snapshot, { maxBytes: options.maxSnapshotBytes });
  const notifiers = notifiersFor(options);
  const clock = environment.clock ?? systemClock;
  // The Lambda cores log JSON for CloudWatch; here the terminal gets the summary instead.
  logger.setLogLevel('SILENT');
  const localDb = resolve(options.localDb);
  if (options.fresh === true) deleteLocalDb(localDb);
  const dynamo = await (environment.startDynamoDb ?? ((path: string) => startLocalDynamoDb(undefined, { path })))(localDb).catch((error: unknown) => {
    throw error instanceof LocalDbInUseError ? new UsageError(error.message) : error;
  });
  try {
    const store = new DynamoDbFindingsStore(dynamo.documentClient, { tableName: dynamo.tableName, retentionDays: DEFAULT_RETENTION_DAYS, clock });
    const scan = await runScan({ trigger: 'cli' }, { store, snapshots: fixedSnapshotSource(snapshot), publisher: new CollectingPublisher(), clock, config });

    const htmlPath = resolve(outDir, 'report.html');
    const reportSources = {
      store,
      configSuppressions: configSuppressions(config.suppressions ?? [], clock.now(), config.waiverPolicy),
      reportUrl: pathToFileURL(htmlPath).href,
    };
    const { model: sent, outcome } = await runReport(scan.scanId, { ...reportSources, notifiers, clock });
    // The files list every finding: the full model, as of the report that was sent.
    const model = await loadReportModel(sent.scan, { ...reportSources, now: new Date(sent.generatedAt) });
    mkdirSync(outDir, { recursive: true });
    // What the deployed scanner would import into Security Hub / give an OCSF consumer, with the
    // first observation from the stored finding states.
    const exported = exportItems(model.findings, await store.listFindingStates(), { scanId: scan.scanId, at: model.scan.startedAt });
    const written: Array<[string, string]> = [
      ['report.html', renderHtml(model)],
      ['report.md', renderMarkdown(model)],
      ['report.csv', renderCsv(model)],
      ['report.json', renderJson(model)],
      ['findings.asff.json', renderExportItems(exported, 'asff')],
      ['findings.ocsf.json', renderExportItems(exported, 'ocsf')],
    ];
    for (const [name, content] of written) writeFileSync(resolve(outDir, name), content);

    io.stdout(`${renderTextSummary(model)}\n`);
    io.stdout(`\nFindings stored in the embedded DynamoDB table ${dynamo.tableName} in ${localDb} (scan ${scan.scanId}, ${model.findings.length} findings; kept for the next run's trend and changes, --fresh starts over).\n`);
    io.stdout(`Reports: ${written.map(([name]) => resolve(outDir, name)).join(', ')}\n`);
    for (const channel of outcome.delivered) io.stdout(`Sent the report by ${channel === 'email' ? 'e-mail' : channel}.\n`);
    for (const failure of outcome.failed) io.stderr(`redis-compliance: the report was not sent by ${failure.channel}: ${failure.error}\n`);
    if (outcome.failed.length > 0) return EXIT.RUNTIME_FAILURE;
    // Gated only when asked: the bundled sample is PARTIAL on purpose, to show capture errors.
    if (!options.failOn && !options.failOnUnknown) return EXIT.OK;
    const coverage = new EvidenceCoverage(config.tags);
    for (const target of snapshot.targets) coverage.add(target);
    return gateExitCode(
      findingCounts(model.findings),
      {
        status: model.scan.status === 'RUNNING' ? 'PARTIAL' : model.scan.status,
        partialTargets: [...new Set(model.scan.errors.map((e) => `${e.accountId}/${e.region}`))],
        emptyTargets: coverage.emptyTargets().map((t) => `${t.accountId}/${t.region}`),
        redisServers: model.scan.redisServers,
        roleTag: `${config.tags.roleKey}=${config.tags.redisRole}`,
        roleLikeTags: coverage.roleLikeTagsSeen(),
      },
      options,
      io.stderr,
    );
  } finally {
    await dynamo.stop();
  }
}

/** Deletes the kept table's folder, but only a LevelDB folder (or an empty one): never what a mistyped path names. */
function deleteLocalDb(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes('CURRENT')) throw new UsageError(`--fresh: ${dir} does not look like an embedded DynamoDB folder (no LevelDB CURRENT file); not deleting it`);
  rmSync(dir, { recursive: true, force: true });
}

function notifiersFor(options: RunLocalOptions): ReportNotifier[] {
  const notifiers: ReportNotifier[] = [];
  if (options.slackWebhook !== undefined) {
    const slack = new SlackNotifier({ secrets: new StaticSecretProvider({ 'slack-webhook': options.slackWebhook }), webhookSecretId: 'slack-webhook' });
    notifiers.push({ channel: 'slack', notify: (model) => slack.notify(model) });
  }
  const emailFlags = [options.sesEndpoint, options.emailFrom, options.emailTo].filter((v) => v !== undefined).length;
  if (emailFlags > 0 && emailFlags < 3) throw new UsageError('sending the e-mail needs --ses-endpoint, --email-from and --email-to together');
  if (options.sesEndpoint !== undefined && options.emailFrom !== undefined && options.emailTo !== undefined) {
    let endpoint: URL;
    try {
      endpoint = new URL(options.sesEndpoint);
    } catch {
      throw new UsageError(`--ses-endpoint is not a URL: ${JSON.stringify(options.sesEndpoint)}`);
    }
    const to = options.emailTo.split(',').map((a) => a.trim()).filter(Boolean);
    if (to.length === 0) throw new UsageError('--email-to needs at least one address');
    // A local SES endpoint accepts any credentials; a real one would take them from the environment.
    const local = endpoint.hostname === '127.0.0.1' || endpoint.hostname === 'localhost';
    const client = new SESv2Client({
      endpoint: endpoint.href,
      region: process.env.AWS_REGION ?? 'us-east-1',
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    const email = new EmailNotifier({ client, from: options.emailFrom, to });
    notifiers.push({ channel: 'email', notify: (model) => email.notify(model) });
  }
  return notifiers;
}
