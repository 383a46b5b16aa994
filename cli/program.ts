/** The `redis-compliance` command line: builds the commander program with every command. */
import { Command, CommanderError } from 'commander';
import type { ClientOptions } from '../lambdas/adapters/collectors/client-options';
import { liveScanLoader, registerCaptureCommand } from './commands/capture';
import { registerScanCommand, type CommandIo } from './commands/scan';
import { registerRunLocalCommand } from './commands/run-local';
import { registerRemoteCommand, type RemoteEnvironment } from './commands/remote';
import { explainRuntimeFailure } from './runtime-failure';
import { EXIT, UsageError } from './usage-error';
import packageJson from '../package.json';

/** `awsClientOptions` reach the AWS clients of `capture` and `scan --live` (tests give a fake transport). */
export function buildProgram(io: CommandIo, awsClientOptions: ClientOptions = {}, remoteEnvironment: RemoteEnvironment = {}): Command {
  const program = new Command('redis-compliance')
    .description('Checks the Redis servers behind OutSystems session storage against the vendor requirements.')
    .version(packageJson.version, '--version', 'print the version and exit')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes (scan, run-local --fail-on, remote scan --wait):
  0 everything in scope checked, nothing failing at or above --fail-on
  1 a FAIL at or above --fail-on (UNKNOWN too with --fail-on-unknown)
  2 bad input or usage
  3 incomplete evidence: the scan is PARTIAL, a target yielded nothing, or no Redis server matched
    the role tag (--allow-partial / --allow-empty accept it)
  4 the run failed: credentials, network, I/O (the message says what to do)
Examples:
  redis-compliance run-local --output out
  redis-compliance scan --snapshot examples/estate.sample.json
  redis-compliance scan --snapshot estate.json --format json --output findings.json --fail-on high
  redis-compliance capture --regions eu-west-1,us-east-1 --output estate.json
  redis-compliance scan --live --regions eu-west-1 --accounts 111122223333 --role-name RedisComplianceReader
  redis-compliance remote scan --api https://abc123.execute-api.eu-west-1.amazonaws.com/prod --wait --fail-on high`,
  );
  registerScanCommand(program, io, liveScanLoader(awsClientOptions));
  registerCaptureCommand(program, io, awsClientOptions);
  registerRunLocalCommand(program, io);
  registerRemoteCommand(program, io, remoteEnvironment);
  return program;
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CommandIo, awsClientOptions: ClientOptions = {}, remoteEnvironment: RemoteEnvironment = {}): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = buildProgram({ ...io, setExitCode: (code) => (exitCode = code) }, awsClientOptions, remoteEnvironment);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    if (error instanceof UsageError) {
      io.stderr(`redis-compliance: ${error.message}\n`);
      return EXIT.BAD_INPUT;
    }
    io.stderr(`redis-compliance: ${explainRuntimeFailure(error).replace(/[\r\n]+/g, ' ')}\n`);
    return EXIT.RUNTIME_FAILURE;
  }
}
