/**
 * The limits every snapshot reader enforces, whatever the input's origin (a file read as a stream,
 * text given to parseSnapshot, data already parsed by the Lambda runtime). A value over a limit is
 * rejected with the JSON path where it stands, before it can cost unbounded memory or time:
 *
 * - a string (a value or a key) of at most MAX_STRING_LENGTH characters (UTF-16 code units); the
 *   fields AWS itself bounds (tag keys and values, resource ids) have their own, shorter limits in
 *   schema.ts;
 * - at most MAX_NESTING_DEPTH nested objects and arrays (the format itself needs 13);
 * - no key named `__proto__`: JavaScript reads it as an object's prototype, not as data.
 *
 * The checks run in document order (depth first, keys before their values), so the first problem
 * reported is the first one in the text. Pure.
 */
import type { JsonPathStep } from './json-value-scanner';

export const MAX_STRING_LENGTH = 65_536;
export const MAX_NESTING_DEPTH = 64;
/**
 * JSON text of a string of MAX_STRING_LENGTH code units is at most this many bytes between its
 * quotes (every code unit written as a 6-byte `\uXXXX` escape): a string whose text is longer is
 * over the limit for certain, which a streamed reader can tell before it has read the whole string.
 */
export const MAX_STRING_TEXT_BYTES = 6 * MAX_STRING_LENGTH;

/**
 * A streamed reader parses each record (and each other value it does not walk member by member)
 * from its own text: one such value of more than 256 MiB is refused (JSON.parse could not take much
 * more: V8's longest string is 2^29 - 24 characters).
 */
export const MAX_TAKEN_VALUE_BYTES = 256 * 1024 ** 2;

export const FORBIDDEN_KEY = '__proto__';

export interface LimitProblem {
  path: JsonPathStep[];
  problem: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export const STRING_TOO_LONG = `a string longer than ${fmt(MAX_STRING_LENGTH)} characters (the reader's limit)`;
export const KEY_TOO_LONG = `a key longer than ${fmt(MAX_STRING_LENGTH)} characters (the reader's limit)`;
export const TOO_DEEP = `nested deeper than ${MAX_NESTING_DEPTH} levels of objects and arrays (the reader's limit)`;
export const VALUE_TOO_LARGE = `a single value larger than ${fmt(MAX_TAKEN_VALUE_BYTES)} bytes of JSON text (the reader's limit)`;
export const FORBIDDEN_KEY_PROBLEM = `the key "${FORBIDDEN_KEY}" is not accepted (JavaScript reads it as an object's prototype)`;

/** The problem with an object key, reported at the path of the object that holds it. */
export function keyProblem(key: string): string | undefined {
  if (key.length > MAX_STRING_LENGTH) return KEY_TOO_LONG;
  if (key === FORBIDDEN_KEY) return FORBIDDEN_KEY_PROBLEM;
  return undefined;
}

/** Whether a container at `path` is deeper than the limit (the document's own value is level 1). */
export function tooDeep(pathLength: number): boolean {
  return pathLength >= MAX_NESTING_DEPTH;
}

/** Stands in the walk for a key over a limit, at the place of the key's value. */
class KeyProblemMarker {
  constructor(readonly problem: string) {}
}

/**
 * Whether `node` (at depth `depth`, the length of its path) and everything in it is within the
 * limits. Allocates nothing: it runs on every record read. It may answer false where
 * firstLimitProblem finds nothing (it also looks at inherited enumerable keys, which plain data
 * has none of), never true where firstLimitProblem finds a problem. Recursion stops at the depth
 * limit, so the call stack stays within MAX_NESTING_DEPTH frames.
 */
function surelyWithinLimits(node: unknown, depth: number): boolean {
  if (typeof node === 'string') return node.length <= MAX_STRING_LENGTH;
  if (node === null || typeof node !== 'object') return true;
  if (depth >= MAX_NESTING_DEPTH) return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (!surelyWithinLimits(node[i], depth + 1)) return false;
    return true;
  }
  for (const key in node) {
    if (key.length > MAX_STRING_LENGTH || key === FORBIDDEN_KEY) return false;
    if (!surelyWithinLimits((node as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** The first value of `value` (standing at `path`) over a limit, in document order. */
export function firstLimitProblem(value: unknown, path: readonly JsonPathStep[]): LimitProblem | undefined {
  if (surelyWithinLimits(value, path.length)) return undefined;
  return firstLimitProblemFound(value, path);
}

/** firstLimitProblem's walk with paths, for a value that may be over a limit; without recursion. */
function firstLimitProblemFound(value: unknown, path: readonly JsonPathStep[]): LimitProblem | undefined {
  const stack: Array<{ value: unknown; path: JsonPathStep[] }> = [{ value, path: [...path] }];
  while (stack.length > 0) {
    const { value: node, path: at } = stack.pop()!;
    if (node instanceof KeyProblemMarker) return { path: at, problem: node.problem };
    if (typeof node === 'string') {
      if (node.length > MAX_STRING_LENGTH) return { path: at, problem: STRING_TOO_LONG };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (tooDeep(at.length)) return { path: at, problem: TOO_DEEP };
    const children: Array<{ value: unknown; path: JsonPathStep[] }> = [];
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) children.push({ value: node[i], path: [...at, i] });
    } else {
      for (const key of Object.keys(node)) {
        const problem = keyProblem(key);
        // A key is read before its value, and after every value of the keys before it.
        children.push(problem ? { value: new KeyProblemMarker(problem), path: at } : { value: (node as Record<string, unknown>)[key], path: [...at, key] });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

/**
 * The first problem firstLimitProblem would report, found in the text of a value that is not
 * complete yet (a streamed reader stops reading at a string or a nesting level over the limit and
 * asks where it stands). `base` is the path of the value whose text begins `text`. A string still
 * open at the end of `text` is the one that went over the limit.
 */
export function firstLimitProblemInText(text: string, base: readonly JsonPathStep[]): LimitProblem | undefined {
  interface Frame {
    isArray: boolean;
    index: number;
    key: string;
    path: JsonPathStep[];
  }
  const stack: Frame[] = [];
  let expectingKey = false;
  const here = (): JsonPathStep[] => {
    const frame = stack[stack.length - 1];
    return frame ? [...frame.path, frame.isArray ? frame.index : frame.key] : [...base];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const complete = j < text.length;
      let decoded: string | undefined;
      if (complete) {
        try {
          decoded = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return undefined;
        }
      }
      const tooLong = decoded === undefined || decoded.length > MAX_STRING_LENGTH;
      const frame = stack[stack.length - 1];
      if (frame && !frame.isArray && expectingKey) {
        const problem = tooLong ? KEY_TOO_LONG : keyProblem(decoded!);
        if (problem) return { path: frame.path, problem };
        frame.key = decoded!;
        expectingKey = false;
      } else if (tooLong) {
        return { path: here(), problem: STRING_TOO_LONG };
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const path = here();
      if (tooDeep(path.length)) return { path, problem: TOO_DEEP };
      stack.push({ isArray: c === '[', index: 0, key: '', path });
      expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectingKey = false;
    } else if (c === ',') {
      const frame = stack[stack.length - 1];
      if (frame?.isArray) frame.index++;
      else if (frame) expectingKey = true;
    }
    i++;
  }
  return undefined;
}
