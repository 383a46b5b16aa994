/** `redis-compliance capture`: reads the estate from AWS (EC2, SSM) and writes a snapshot file. */
import type { Command } from 'commander';
import type { ClientOptions } from '../../lambdas/adapters/collectors/client-options';
import { snapshotTextBatches, writeSnapshotFile } from '../../lambdas/adapters/snapshots/snapshot-file';
import { addLiveCaptureOptions, captureLive, describeCaptureErrors, evaluateLive, type LiveCaptureFlags } from '../live-capture-options';
import type { EvaluateOptions } from '../../lambdas/core/evaluate';
import { loadConfig, type TagFlags } from '../load-config';
import { addTagOptions } from '../tag-options';
import { checkOutputFile, outputOptions, outputPath } from '../option-helpers';
import type { CommandIo } from './scan';
import { RuntimeFailure } from '../usage-error';

export function registerCaptureCommand(program: Command, io: CommandIo, clientOptions: ClientOptions = {}): Command {
  const command = program
    .command('capture')
    .description('Capture the Redis servers and front-ends (and what they reference) from AWS into a snapshot file.')
    .option('--config <file>', 'configuration file: tag conventions (default: ./redis-compliance.config.json when present)');
  for (const option of outputOptions('file', 'snapshot file to write (default: standard output)')) command.addOption(option);
  addLiveCaptureOptions(command);
  addTagOptions(command);
  command.action(async (options: LiveCaptureFlags & TagFlags & { output?: string; out?: string; config?: string }) => {
    const output = outputPath(options);
    // Checked before the capture, so a mistyped folder costs nothing.
    if (output) checkOutputFile(output);
    const snapshot = await captureLive(options, loadConfig(options.config, options), clientOptions, io);
    io.stderr(describeCaptureErrors(snapshot));
    const calls = snapshot.targets.reduce((sum, t) => sum + Object.values(t.apiCalls ?? {}).reduce((a, b) => a + b, 0), 0);
    const instances = snapshot.targets.reduce((sum, t) => sum + t.ec2.Reservations.reduce((n, r) => n + (r.Instances?.length ?? 0), 0), 0);
    if (output) {
      // Written record by record: one JSON string of a large estate would pass V8's longest string.
      try {
        await writeSnapshotFile(output, snapshot);
      } catch (error) {
        throw new RuntimeFailure(`cannot write ${output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the directory exists and is writable, and the disk has room`);
      }
      io.stderr(`Wrote ${output}: ${snapshot.targets.length} targets, ${instances} instances, ${calls} API calls.\n`);
    } else {
      for (const batch of snapshotTextBatches(snapshot)) io.stdout(batch);
    }
  });
  return command;
}

/** The `scan --live` source: the same flags, captured in memory and evaluated in one step. */
export function liveScanLoader(clientOptions: ClientOptions = {}) {
  return {
    configure(command: Command) {
      command.option('--live', 'capture the estate from AWS now instead of reading --snapshot');
      addLiveCaptureOptions(command);
    },
    isLive(options: Record<string, unknown>) {
      return options.live === true;
    },
    async load(options: Record<string, unknown>) {
      return captureLive(options as LiveCaptureFlags, loadConfig(options.config as string | undefined, options as TagFlags), clientOptions);
    },
    /** Captures and evaluates target by target (what `scan --live` does). */
    async evaluate(options: Record<string, unknown>, evaluateOptions: EvaluateOptions, io?: CommandIo) {
      return evaluateLive(options as LiveCaptureFlags, loadConfig(options.config as string | undefined, options as TagFlags), evaluateOptions, clientOptions, io);
    },
  };
}
