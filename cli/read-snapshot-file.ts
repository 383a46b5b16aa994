import { readFileSync } from 'node:fs';
import { parseSnapshot, SnapshotError } from '../lambdas/core/snapshot/parse-snapshot';
import type { Snapshot } from '../lambdas/core/snapshot/schema';
import { UsageError } from './usage-error';

/** Reads and validates a snapshot file; any problem becomes a UsageError naming the file and JSON path. */
export function readSnapshotFile(path: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the snapshot (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return parseSnapshot(text, path);
  } catch (error) {
    if (error instanceof SnapshotError) throw new UsageError(error.message);
    throw error;
  }
}
