/**
 * The Redis probe the SSM document runs: inventory/redis-probe.sh, read at synth so the file is the
 * single source (no shell code in TypeScript). The document carries it line by line in
 * `runCommand`; the agent writes those lines, joined by newlines, to a script file and runs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REDIS_PROBE_SCRIPT_PATH = join(__dirname, '..', '..', 'inventory', 'redis-probe.sh');

/** The probe's lines (the file without its final newline, split on newlines). */
export function redisProbeScriptLines(path: string = REDIS_PROBE_SCRIPT_PATH): string[] {
  const text = readFileSync(path, 'utf8');
  if (text.includes('\r')) throw new Error(`${path} has CR line endings; the probe must be a Unix sh script`);
  return text.replace(/\n$/, '').split('\n');
}
