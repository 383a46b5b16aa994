/**
 * Makes an SDK v3 output object JSON-safe for a snapshot: Date -> ISO-8601 string, `$metadata`
 * dropped, undefined members left out; everything else keeps its SDK shape.
 */
export type JsonSafe<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T as K extends '$metadata' ? never : K]: JsonSafe<T[K]> }
      : T;

export function toJsonSafe<T>(value: T): JsonSafe<T> {
  return convert(value) as JsonSafe<T>;
}

function convert(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(convert);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === '$metadata' || member === undefined) continue;
      out[key] = convert(member);
    }
    return out;
  }
  return value;
}
