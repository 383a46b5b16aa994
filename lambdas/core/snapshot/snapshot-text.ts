/**
 * A snapshot's JSON text, piece by piece: the same characters as `JSON.stringify(snapshot, null, 2)`
 * followed by a newline, produced one record at a time so a capture of any size can be written
 * (one JSON.stringify of the whole snapshot stops at V8's longest string, 2^29 - 24 characters,
 * which an indented snapshot reaches at about 50k Redis servers of the synthetic estate, ~10.5 kB a
 * server). Pure.
 */
import type { Snapshot } from './schema';

const INDENT = '  ';

/** Containers at these depths (root 0, targets 1, a target 2, ec2/ssm 3, their lists 4) are written member by member. */
const SPLIT_DEPTH = 4;

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** A leaf value as JSON.stringify(value, null, 2) would write it at this depth (undefined: left out). */
function leafText(value: unknown, prefix: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return text === undefined ? undefined : text.replace(/\n/g, `\n${prefix}`);
}

function* valueText(value: unknown, depth: number): Generator<string> {
  const prefix = INDENT.repeat(depth);
  if (!isContainer(value) || depth > SPLIT_DEPTH) {
    yield leafText(value, prefix) ?? 'null';
    return;
  }
  const inner = prefix + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      // JSON.stringify writes undefined (and functions) inside arrays as null.
      const item = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* valueText(item, depth + 1);
    }
    yield `\n${prefix}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* valueText(item, depth + 1);
  }
  yield `\n${prefix}}`;
}

/** The snapshot's indented JSON text and a final newline, in pieces of about one record each. */
export function* snapshotTextPieces(snapshot: Snapshot): Generator<string> {
  yield* valueText(snapshot, 0);
  yield '\n';
}
