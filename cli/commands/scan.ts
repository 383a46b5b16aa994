/** `redis-compliance scan`: evaluates a captured estate (snapshot file) and reports the findings. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluateSnapshot, type EvaluateOptions } from '../../lambdas/core/evaluate';
import { EvidenceCoverage } from '../../lambdas/core/evidence-coverage';
import { SEVERITIES, type ScanResult, type Severity } from '../../lambdas/core/model';
import type { ScanConfig } from '../../lambdas/core/config';
import { configSuppressions } from '../../lambdas/core/suppressions/suppression-schema';
import { waiveScanResult, type WaivedScanResult } from '../../lambdas/core/suppressions/waive-scan-result';
import type { Snapshot } from '../../lambdas/core/snapshot/schema';
import { loadConfig, type TagFlags } from '../load-config';
import { OUTPUT_FORMATS, renderResult, type OutputFormat } from '../output-formats';
import { evaluateSnapshotFileOrExplain, parseMaxSnapshotBytes } from '../read-snapshot-file';
import { addGateOptions, findingCounts, gateExitCode, type GateEvidence, type GateFlags } from '../exit-gate';
import { RuntimeFailure, UsageError } from '../usage-error';
import { addTagOptions } from '../tag-options';
import { checkOutputFile, choiceOption } from '../option-helpers';

export interface ScanOptions extends TagFlags, GateFlags {
  snapshot?: string;
  maxSnapshotBytes?: number;
  config?: string;
  format: OutputFormat;
  output?: string;
  failOn?: Severity;
  all?: boolean;
  color?: boolean;
}

/** Where the snapshot of a scan comes from; `--live` collectors register another source. */
export type SnapshotLoader = (options: ScanOptions & Record<string, unknown>) => Promise<Snapshot>;

export function registerScanCommand(
  program: Command,
  io: CommandIo,
  liveLoader?: { configure(command: Command): void; load: SnapshotLoader; isLive(options: Record<string, unknown>): boolean; evaluate?(options: Record<string, unknown>, evaluateOptions: EvaluateOptions, io?: CommandIo): Promise<ScanResult> },
): Command {
  const command = program
    .command('scan')
    .description('Evaluate an estate against the OutSystems Redis requirements and report the findings.')
    .option('--snapshot <file>', 'snapshot file (format redis-compliance/snapshot@1) to evaluate')
    .option('--max-snapshot-bytes <bytes>', 'largest snapshot file read (default 2 GiB)', parseMaxSnapshotBytes)
    .option('--config <file>', 'configuration file (default: ./redis-compliance.config.json when present)')
    .addOption(choiceOption('--format <format>', 'output format', OUTPUT_FORMATS).default('table'))
    .option('--output <file>', 'write the report to this file instead of standard output')
    .addOption(choiceOption('--fail-on <severity>', 'exit with code 1 when a FAIL finding of this severity or higher exists', SEVERITIES));
  addGateOptions(command);
  command
    .option('--all', 'table format: also list PASS and NOT_APPLICABLE findings')
    .option('--no-color', 'table format: no colours');
  addTagOptions(command);
  liveLoader?.configure(command);
  command.action(async (options: ScanOptions & Record<string, unknown>) => {
    // Checked before the (possibly live) scan, so a mistyped folder costs nothing.
    if (options.output) checkOutputFile(options.output);
    const config = loadConfig(options.config, options);
    const now = new Date();
    const coverage = new EvidenceCoverage(config.tags);
    const evaluateOptions = { config, now: () => now, observeTarget: (target: Parameters<EvidenceCoverage['add']>[0]) => coverage.add(target) };
    let evaluated: ScanResult;
    if (liveLoader?.isLive(options)) evaluated = liveLoader.evaluate ? await liveLoader.evaluate(options, evaluateOptions, io) : evaluateSnapshot(await liveLoader.load(options), evaluateOptions);
    // A file is evaluated as it is read, one target at a time.
    else if (options.snapshot) evaluated = await evaluateSnapshotFileOrExplain(options.snapshot, evaluateOptions, { maxBytes: options.maxSnapshotBytes });
    else throw new UsageError('scan needs --snapshot FILE' + (liveLoader ? ' or --live' : ''));
    // Waivers of the config file apply here as in the deployed scanner: a waived failure is
    // SUPPRESSED, listed as such, and does not trip --fail-on.
    const result = waiveScanResult(evaluated, configSuppressions(config.suppressions ?? [], now, config.waiverPolicy), now, `cli-${now.toISOString()}`, config.waiverPolicy);
    const text = renderResult(result, options.format, { color: options.color !== false && !options.output && io.isTTY, width: io.columns, all: !!options.all });
    if (options.output) {
      try {
        writeFileSync(options.output, text);
      } catch (error) {
        throw new RuntimeFailure(`cannot write ${options.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the directory exists and is writable`);
      }
      io.stderr(`Wrote ${options.format} report to ${options.output} (${result.summary.total} findings, ${result.summary.byStatus.FAIL} failing).\n`);
    } else {
      io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
    io.setExitCode(gateExitCode(findingCounts(result.findings), scanEvidence(result, coverage, config), options, io.stderr));
  });
  return command;
}

/** What the exit gate needs to know of a local or live scan's evidence. */
export function scanEvidence(result: WaivedScanResult | ScanResult, coverage: EvidenceCoverage, config: ScanConfig): GateEvidence {
  return {
    status: result.scan.status,
    partialTargets: result.scan.targets.filter((t) => t.errors.length > 0).map((t) => `${t.accountId}/${t.region}`),
    emptyTargets: coverage.emptyTargets().map((t) => `${t.accountId}/${t.region}`),
    redisServers: result.summary.redisServers,
    roleTag: `${config.tags.roleKey}=${config.tags.redisRole}`,
    roleLikeTags: coverage.roleLikeTagsSeen(),
  };
}

/** The process edges a command touches, injectable for tests. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  isTTY: boolean;
  columns: number;
  /** Standard error is a terminal (progress lines are redrawn in place). */
  stderrIsTTY?: boolean;
  /** A capture shows its progress once it has run this long (default 3 s). */
  progressAfterMs?: number;
}
