/** Runs a measurement in a fresh Node.js process and reads the JSON line it prints last. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface ChildResult<T> {
  value: T;
  /** Wall-clock time of the whole child process. */
  wallMs: number;
}

export function runNode<T>(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildResult<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited with ${signal ?? code}: ${(stderr.trim().split('\n').find((l) => /Error|error/.test(l)) ?? stderr.trim().split('\n').pop() ?? '').slice(0, 300)}`));
      try {
        resolve({ value: JSON.parse(last) as T, wallMs });
      } catch {
        reject(new Error(`child ${args.join(' ')} printed no JSON result: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** Arguments that run a TypeScript file of this repository through tsx. */
export function tsxArgs(file: string, ...rest: string[]): string[] {
  return ['--import', 'tsx', path.join(REPO_ROOT, file), ...rest];
}
