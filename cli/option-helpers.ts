/**
 * Options every command spells the same way: choices matched without regard to case (`--fail-on
 * HIGH` is `high`), `--output` with the older `--out` kept as a hidden alias, and an output path
 * checked before any work starts (a live scan is not thrown away for a missing folder).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { UsageError } from './usage-error';

/** An option whose value is one of `choices`, accepted in any case; `aliases` map other spellings onto a choice. */
export function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[], aliases: Readonly<Record<string, T>> = {}): Option {
  const option = new Option(flags, `${description} (${choices.join(', ')})`);
  option.argParser((value: string) => {
    const match = choices.find((c) => c.toLowerCase() === value.toLowerCase()) ?? Object.entries(aliases).find(([alias]) => alias.toLowerCase() === value.toLowerCase())?.[1];
    if (match === undefined) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return match;
  });
  return option;
}

/** `--output <path>` and the hidden older spelling `--out <path>` (the same option for the reader). */
export function outputOptions(valueName: string, description: string): Option[] {
  return [new Option(`--output <${valueName}>`, description), new Option(`--out <${valueName}>`, 'the same as --output').hideHelp()];
}

/** The path given by --output or --out (--output wins when both are given). */
export function outputPath(options: { output?: string; out?: string }): string | undefined {
  return options.output ?? options.out;
}

/** A file can be written at `path`: its folder exists and the path is not a folder itself. */
export function checkOutputFile(path: string, flag = '--output'): void {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${flag} ${path} is a folder; give a file name`);
  const folder = dirname(full);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${flag} ${path}: the folder ${folder} does not exist`);
}

/** A folder can be written at `path`: it is a folder, or does not exist yet and can be created there. */
export function checkOutputFolder(path: string, flag = '--output'): void {
  const full = resolve(path);
  if (existsSync(full)) {
    if (!statSync(full).isDirectory()) throw new UsageError(`${flag} ${path} is a file; give a folder`);
    return;
  }
  let parent = dirname(full);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new UsageError(`${flag} ${path}: ${parent} is a file, not a folder`);
}
