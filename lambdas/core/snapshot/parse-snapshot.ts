/**
 * Whole-snapshot entry points of the one reader (snapshot-stream-reader.ts): text, already-parsed
 * data and a single target all get the same limits, checks, JSON paths and messages.
 */
import { type Snapshot, type SnapshotTarget } from './schema';
import { SnapshotDocumentReader, SnapshotStreamReader, readParsedSnapshot, walkParsedValue } from './snapshot-stream-reader';
import { SnapshotError } from './snapshot-error';

export { SnapshotError, toJsonPath, firstIssueError } from './snapshot-error';

/** Parses snapshot text (JSON) and validates it; throws SnapshotError naming `source` and the path. */
export function parseSnapshot(text: string, source: string): Snapshot {
  const targets: SnapshotTarget[] = [];
  const reader = new SnapshotStreamReader(source, (target) => targets.push(target));
  reader.push(new TextEncoder().encode(text));
  return { ...reader.end(), targets };
}

/** Validates already-parsed data as a snapshot. */
export function validateSnapshot(data: unknown, source: string): Snapshot {
  const targets: SnapshotTarget[] = [];
  const header = readParsedSnapshot(data, source, (target) => targets.push(target));
  return { ...header, targets };
}

/**
 * Validates one target of a snapshot on its own (a caller that evaluates targets one at a time):
 * the checks validateSnapshot makes of `$.targets[index]`, with the same paths and messages.
 */
export function validateSnapshotTarget(data: unknown, index: number, source: string): SnapshotTarget {
  let delivered: SnapshotTarget | undefined;
  const document = new SnapshotDocumentReader(source, (target) => {
    delivered = target;
  });
  walkParsedValue(document, data, ['targets', index]);
  if (delivered === undefined) throw new SnapshotError(source, `$.targets[${index}]`, 'no target was read');
  return delivered;
}
