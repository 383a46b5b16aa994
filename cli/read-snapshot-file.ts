import type { EvaluateOptions } from '../lambdas/core/evaluate';
import type { ScanResult } from '../lambdas/core/model';
import { SnapshotError } from '../lambdas/core/snapshot/parse-snapshot';
import type { Snapshot } from '../lambdas/core/snapshot/schema';
import { evaluateSnapshotFile, readSnapshotFile as readSnapshotFileStream, type SnapshotFileLimits } from '../lambdas/adapters/snapshots/snapshot-file';
import { UsageError } from './usage-error';

/** Any problem reading a snapshot file becomes a UsageError naming the file (and the JSON path). */
async function asUsageErrors<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SnapshotError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`${path}: cannot read the snapshot (${code})`);
    throw error;
  }
}

/** Reads and validates a snapshot file (streamed: the file's text is never held whole). */
export function readSnapshotFile(path: string, limits: SnapshotFileLimits = {}): Promise<Snapshot> {
  return asUsageErrors(path, () => readSnapshotFileStream(path, limits));
}

/** `--max-snapshot-bytes N`: a positive whole number of bytes. */
export function parseMaxSnapshotBytes(text: string): number {
  const bytes = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new UsageError(`--max-snapshot-bytes needs a positive whole number of bytes, not ${JSON.stringify(text)}`);
  return bytes;
}

/** Evaluates a snapshot file target by target, holding one target's records at a time. */
export function evaluateSnapshotFileOrExplain(path: string, options: EvaluateOptions, limits: SnapshotFileLimits = {}): Promise<ScanResult> {
  return asUsageErrors(path, () => evaluateSnapshotFile(path, options, limits));
}
