/** `redis-compliance scan`: evaluates a captured estate (snapshot file) and reports the findings. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluateSnapshot, type EvaluateOptions } from '../../lambdas/core/evaluate';
import { SEVERITIES, isAtOrAbove, type ScanResult, type Severity } from '../../lambdas/core/model';
import { configSuppressions } from '../../lambdas/core/suppressions/suppression-schema';
import { waiveScanResult, type WaivedScanResult } from '../../lambdas/core/suppressions/waive-scan-result';
import type { Snapshot } from '../../lambdas/core/snapshot/schema';
import { loadConfig, type TagFlags } from '../load-config';
import { OUTPUT_FORMATS, renderResult, type OutputFormat } from '../output-formats';
import { evaluateSnapshotFileOrExplain } from '../read-snapshot-file';
import { EXIT, UsageError } from '../usage-error';
import { addTagOptions } from '../tag-options';
import { checkOutputFile, choiceOption } from '../option-helpers';

export interface ScanOptions extends TagFlags {
  snapshot?: string;
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
  liveLoader?: { configure(command: Command): void; load: SnapshotLoader; isLive(options: Record<string, unknown>): boolean; evaluate?(options: Record<string, unknown>, evaluateOptions: EvaluateOptions): Promise<ScanResult> },
): Command {
  const command = program
    .command('scan')
    .description('Evaluate an estate against the OutSystems Redis requirements and report the findings.')
    .option('--snapshot <file>', 'snapshot file (format redis-compliance/snapshot@1) to evaluate')
    .option('--config <file>', 'configuration file (default: ./redis-compliance.config.json when present)')
    .addOption(choiceOption('--format <format>', 'output format', OUTPUT_FORMATS).default('table'))
    .option('--output <file>', 'write the report to this file instead of standard output')
    .addOption(choiceOption('--fail-on <severity>', 'exit with code 1 when a FAIL finding of this severity or higher exists', SEVERITIES))
    .option('--all', 'table format: also list PASS and NOT_APPLICABLE findings')
    .option('--no-color', 'table format: no colours');
  addTagOptions(command);
  liveLoader?.configure(command);
  command.action(async (options: ScanOptions & Record<string, unknown>) => {
    // Checked before the (possibly live) scan, so a mistyped folder costs nothing.
    if (options.output) checkOutputFile(options.output);
    const config = loadConfig(options.config, options);
    const now = new Date();
    const evaluateOptions = { config, now: () => now };
    let evaluated: ScanResult;
    if (liveLoader?.isLive(options)) evaluated = liveLoader.evaluate ? await liveLoader.evaluate(options, evaluateOptions) : evaluateSnapshot(await liveLoader.load(options), evaluateOptions);
    // A file is evaluated as it is read, one target at a time.
    else if (options.snapshot) evaluated = await evaluateSnapshotFileOrExplain(options.snapshot, evaluateOptions);
    else throw new UsageError('scan needs --snapshot FILE' + (liveLoader ? ' or --live' : ''));
    // Waivers of the config file apply here as in the deployed scanner: a waived failure is
    // SUPPRESSED, listed as such, and does not trip --fail-on.
    const result = waiveScanResult(evaluated, configSuppressions(config.suppressions ?? [], now), now, `cli-${now.toISOString()}`);
    const text = renderResult(result, options.format, { color: options.color !== false && !options.output && io.isTTY, width: io.columns, all: !!options.all });
    if (options.output) {
      writeFileSync(options.output, text);
      io.stderr(`Wrote ${options.format} report to ${options.output} (${result.summary.total} findings, ${result.summary.byStatus.FAIL} failing).\n`);
    } else {
      io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
    io.setExitCode(exitCodeFor(result, options.failOn));
  });
  return command;
}

/** 1 when a FAIL (after waivers) at or above the threshold exists, else 0. */
export function exitCodeFor(result: WaivedScanResult, failOn: Severity | undefined): number {
  if (!failOn) return EXIT.OK;
  return result.findings.some((f) => f.status === 'FAIL' && isAtOrAbove(f.severity, failOn)) ? EXIT.FAILED_CHECKS : EXIT.OK;
}

/** The process edges a command touches, injectable for tests. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  isTTY: boolean;
  columns: number;
}
