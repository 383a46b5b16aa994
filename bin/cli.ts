#!/usr/bin/env node
/** The CLI entry point: `redis-compliance <command>`. */
import { runCli } from '../cli/program';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => (process.exitCode = code),
  isTTY: !!process.stdout.isTTY,
  columns: process.stdout.columns || 160,
  stderrIsTTY: !!process.stderr.isTTY,
}).then((code) => {
  process.exitCode = code;
});
