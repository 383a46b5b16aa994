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

/** The first problem a schema check found, as a SnapshotError at `prefix` followed by the problem's own path. */
export function firstIssueError(source: string, error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }, prefix: readonly PropertyKey[] = []): SnapshotError {
  const issue = error.issues[0]!;
  return new SnapshotError(source, toJsonPath([...prefix, ...issue.path]), issue.message);
}
