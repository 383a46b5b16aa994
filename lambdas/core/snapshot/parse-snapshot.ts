import type * as z from 'zod/mini';
import { findConflictingDuplicate } from './duplicate-records';
import { SnapshotSchema, TargetSchema, type Snapshot, type SnapshotTarget } from './schema';

/** A snapshot that failed validation: names the source and the JSON path of the first problem. */
export class SnapshotError extends Error {
  constructor(
    readonly source: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${source}: invalid snapshot at ${jsonPath}: ${problem}`);
    this.name = 'SnapshotError';
  }
}

/** Renders a zod issue path as a JSON path: `$.targets[0].ec2.Subnets[3].SubnetId`. */
export function toJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Parses snapshot text (JSON) and validates it; throws SnapshotError naming `source` and the path. */
export function parseSnapshot(text: string, source: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(source, '$', `not valid JSON (${(error as Error).message})`);
  }
  return validateSnapshot(data, source);
}

/** The first problem a schema check found, as a SnapshotError at `prefix` followed by the problem's own path. */
export function firstIssueError(source: string, error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }, prefix: readonly PropertyKey[] = []): SnapshotError {
  const issue = error.issues[0]!;
  return new SnapshotError(source, toJsonPath([...prefix, ...issue.path]), issue.message);
}

/** Throws when target `index` repeats an id with different contents (see duplicate-records.ts). */
function rejectConflictingDuplicate(target: SnapshotTarget, index: number, source: string): void {
  const conflict = findConflictingDuplicate(target, `$.targets[${index}]`);
  if (conflict) throw new SnapshotError(source, conflict.jsonPath, conflict.problem);
}

/** Validates already-parsed data as a snapshot. */
export function validateSnapshot(data: unknown, source: string): Snapshot {
  const result = SnapshotSchema.safeParse(data);
  if (!result.success) throw firstIssueError(source, result.error);
  result.data.targets.forEach((target, index) => rejectConflictingDuplicate(target, index, source));
  return result.data;
}

/**
 * Validates one target of a snapshot on its own (a caller that evaluates targets one at a time):
 * the checks validateSnapshot makes of `$.targets[index]`, with the same paths and messages.
 */
export function validateSnapshotTarget(data: unknown, index: number, source: string, schema: z.ZodMiniType = TargetSchema): SnapshotTarget {
  const result = schema.safeParse(data);
  if (!result.success) throw firstIssueError(source, result.error, ['targets', index]);
  // The schema is TargetSchema, or one that checked the same records (snapshot-stream-reader.ts).
  const target = result.data as SnapshotTarget;
  rejectConflictingDuplicate(target, index, source);
  return target;
}
