/**
 * An incremental JSON scanner that hands out the values at chosen places of a document as their
 * raw UTF-8 text, chunk by chunk, without ever holding the whole document. It walks the document's
 * structure (objects and arrays) itself, checks the punctuation between values, and lets the caller
 * decide at each value whether to descend into it (an object or array whose members matter one by
 * one) or to take it whole (then the value's text, however many chunks it spans, is handed over and
 * parsed by the caller with JSON.parse, which does the full syntax check of its inside).
 *
 * Why: a snapshot of about 50k Redis servers (~10.5 kB a server as `capture` indents it) reaches
 * V8's longest string (2^29 - 24 characters); reading it with readFile + JSON.parse needs the text and the parsed tree at once,
 * and a slightly larger estate cannot be read at all. Pure: no I/O, data in, events out.
 */

import { FORBIDDEN_KEY, firstLimitProblemInText, KEY_TOO_LONG, MAX_NESTING_DEPTH, MAX_STRING_LENGTH, MAX_STRING_TEXT_BYTES, MAX_TAKEN_VALUE_BYTES, TOO_DEEP, tooDeep, VALUE_TOO_LARGE } from './reader-limits';

/** A step of a JSON path: an object key or an array index. */
export type JsonPathStep = string | number;

export type ScanDecision = 'descend' | 'take';

export interface JsonValueScannerHandler {
  /**
   * Called at the start of every object or array met while descending: 'descend' walks it member by
   * member, 'take' hands the whole value to onValue. A string, number or literal is always taken.
   */
  decide(path: readonly JsonPathStep[], kind: 'object' | 'array'): ScanDecision;
  /**
   * A taken value: its exact text (UTF-8 chunks, in order) and where it stands. `withinLimits`:
   * the text alone shows that the parsed value is within the reader's limits (reader-limits.ts):
   * no string or key of more than MAX_STRING_LENGTH units, no key `__proto__`, no nesting past
   * the limit (the scanner refuses a taken value nested deeper). False says only that the text
   * does not show it (an escape, a long string, a 9-byte string starting with `_`).
   */
  onValue(path: readonly JsonPathStep[], text: string, withinLimits: boolean): void;
  /** An object or array that was descended into has closed. */
  onClose?(path: readonly JsonPathStep[]): void;
  /** A key of an object that was descended into (`path` is the object's), before its value. */
  onKey?(path: readonly JsonPathStep[], key: string): void;
}

/** Malformed JSON: the path of the value being read and what was wrong. */
export class JsonScanError extends Error {
  constructor(
    readonly path: readonly JsonPathStep[],
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'JsonScanError';
  }
}

const enum Expect {
  /** A value (the document's, or after ':' ). */
  Value,
  /** A value or ']' (just after '['). */
  ValueOrArrayEnd,
  /** A key string or '}' (just after '{'). */
  KeyOrObjectEnd,
  /** A key string (after ',' in an object). */
  Key,
  Colon,
  /** ',' or the container's end. */
  CommaOrEnd,
  /** Nothing but white space (after the document's value). */
  End,
}

interface Frame {
  isArray: boolean;
  /** The path of this container. */
  path: JsonPathStep[];
  /** The next member's key (objects) or index (arrays). */
  key: string;
  index: number;
}

/** A UTF-8 byte-order mark (what PowerShell and some editors write first): read and skipped. */
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The limits as local constants: the scanner's inner loops read them once per string or nesting
 * level, and when the sources run through tsx (the CLI, the benchmarks) each read of an imported
 * binding is a getter call on the module's exports.
 */
const MAX_STRING_BYTES = MAX_STRING_TEXT_BYTES;
const MAX_DEPTH = MAX_NESTING_DEPTH;
const MAX_STRING_UNITS = MAX_STRING_LENGTH;
/** The bytes of the text of the key `__proto__` without escapes, and the byte it starts with. */
const FORBIDDEN_KEY_BYTES = FORBIDDEN_KEY.length;
const UNDERSCORE = FORBIDDEN_KEY.charCodeAt(0);

function isWhiteSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The bytes that may end a number or literal (true, false, null) outside a string. */
function endsScalar(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhiteSpace(byte);
}

function joinBytes(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.length;
  }
  return joined;
}

export class JsonValueScanner {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly stack: Frame[] = [];
  private expect: Expect = Expect.Value;
  /** Bytes read so far (for error messages). */
  private offset = 0;

  // A taken value in progress: its chunks, nesting depth inside it, and string state.
  private taking = false;
  private takenPath: JsonPathStep[] = [];
  private takenPieces: Uint8Array[] = [];
  private takenDepth = 0;
  private takenIsScalar = false;
  private inString = false;
  private escaped = false;

  // A key string in progress (keys of descended objects are short; kept as bytes).
  private readingKey = false;
  private keyPieces: Uint8Array[] = [];
  private keyBytes = 0;
  /** Bytes of the string being read inside a taken value, before the current chunk. */
  private stringBytesBefore = 0;
  /** Byte-order-mark bytes matched at the start of the document. */
  private bomMatched = 0;
  /** Bytes of the taken value kept from earlier chunks. */
  private takenBytes = 0;
  /** Whether a string of the taken value has an escape (its text then says less about what it decodes to). */
  private takenHasEscape = false;
  /** Whether a string of the taken value may be over the string limit or be the key `__proto__`. */
  private takenMaybeOverLimits = false;

  constructor(private readonly handler: JsonValueScannerHandler) {}

  /** Reads the next chunk of the document. */
  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (this.offset + i < BYTE_ORDER_MARK.length && this.bomMatched === this.offset + i && i < n && chunk[i] === BYTE_ORDER_MARK[this.bomMatched]) {
      this.bomMatched++;
      i++;
    }
    while (i < n) {
      if (this.taking) {
        i = this.continueTaking(chunk, i);
        continue;
      }
      if (this.readingKey) {
        i = this.continueKey(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (isWhiteSpace(byte)) {
        i++;
        continue;
      }
      i = this.structural(chunk, i, byte);
    }
    this.offset += n;
  }

  /** The document has ended: throws when it stopped inside a value. */
  end(): void {
    if (this.taking && this.takenIsScalar) this.finishTaking(undefined, 0, 0);
    if (this.taking || this.readingKey || this.stack.length > 0 || this.expect !== Expect.End) {
      throw new JsonScanError(this.currentPath(), 'not valid JSON (the document ends before it is complete)');
    }
  }

  private currentPath(): JsonPathStep[] {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) return [];
    return [...frame.path, frame.isArray ? frame.index : frame.key];
  }

  private fail(position: number, byte: number, wanted: string): never {
    const shown = byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16)}`;
    throw new JsonScanError(this.currentPath(), `not valid JSON (${shown} at byte ${this.offset + position}, expected ${wanted})`);
  }

  private structural(chunk: Uint8Array, i: number, byte: number): number {
    const frame = this.stack[this.stack.length - 1];
    switch (this.expect) {
      case Expect.End:
        return this.fail(i, byte, 'the end of the document');
      case Expect.Colon:
        if (byte !== COLON) this.fail(i, byte, "':'");
        this.expect = Expect.Value;
        return i + 1;
      case Expect.KeyOrObjectEnd:
      case Expect.Key:
        if (byte === CLOSE_BRACE && this.expect === Expect.KeyOrObjectEnd) return this.closeContainer(i);
        if (byte !== QUOTE) this.fail(i, byte, this.expect === Expect.Key ? 'a key' : "a key or '}'");
        this.readingKey = true;
        this.keyPieces = [];
        this.keyBytes = 0;
        this.inString = true;
        this.escaped = false;
        // The opening quote is part of the key's text (parsed with JSON.parse).
        return this.continueKey(chunk, i, true);
      case Expect.CommaOrEnd:
        if (byte === COMMA) {
          if (frame!.isArray) {
            frame!.index++;
            this.expect = Expect.Value;
          } else {
            this.expect = Expect.Key;
          }
          return i + 1;
        }
        if ((byte === CLOSE_BRACKET && frame!.isArray) || (byte === CLOSE_BRACE && !frame!.isArray)) return this.closeContainer(i);
        return this.fail(i, byte, frame!.isArray ? "',' or ']'" : "',' or '}'");
      case Expect.ValueOrArrayEnd:
        if (byte === CLOSE_BRACKET) return this.closeContainer(i);
        return this.startValue(chunk, i, byte);
      case Expect.Value:
        return this.startValue(chunk, i, byte);
    }
  }

  private startValue(chunk: Uint8Array, i: number, byte: number): number {
    if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === COMMA || byte === COLON) this.fail(i, byte, 'a value');
    const path = this.currentPath();
    const kind = byte === OPEN_BRACE ? 'object' : byte === OPEN_BRACKET ? 'array' : 'scalar';
    if (kind !== 'scalar' && tooDeep(path.length)) throw new JsonScanError(path, TOO_DEEP);
    if (kind !== 'scalar' && this.handler.decide(path, kind) === 'descend') {
      this.stack.push({ isArray: kind === 'array', path, key: '', index: 0 });
      this.expect = kind === 'array' ? Expect.ValueOrArrayEnd : Expect.KeyOrObjectEnd;
      return i + 1;
    }
    this.taking = true;
    this.takenPath = path;
    this.takenPieces = [];
    // A number or literal; a string is read as a container's strings are, at depth 0.
    this.takenIsScalar = kind === 'scalar' && byte !== QUOTE;
    this.takenDepth = 0;
    this.inString = false;
    this.escaped = false;
    this.stringBytesBefore = 0;
    this.takenBytes = 0;
    this.takenHasEscape = false;
    this.takenMaybeOverLimits = false;
    this.takeStart = i;
    return this.continueTaking(chunk, i);
  }

  /** Where, in the current chunk, the taken value's unsaved bytes begin. */
  private takeStart = 0;

  private continueTaking(chunk: Uint8Array, from: number): number {
    if (this.takenIsScalar) return this.continueScalar(chunk, from);
    let i = from;
    const n = chunk.length;
    const start = from === this.takeStart ? from : 0;
    let depth = this.takenDepth;
    let inString = this.inString;
    /** Where the open string's text begins in this chunk (0: it began in an earlier chunk). */
    let stringStart = 0;
    if (inString && this.escaped) {
      // The character a backslash at the end of the previous chunk escapes.
      this.escaped = false;
      i++;
    } else if (i === start && this.takenPieces.length === 0 && chunk[i] === QUOTE) {
      // A taken string scalar: its opening quote.
      inString = true;
      i++;
      stringStart = i;
      this.stringBytesBefore = 0;
    }
    while (i < n) {
      if (inString) {
        // Most of a record is string text, mostly short strings (keys, ids): a plain loop to the
        // closing quote, stepping over each escaped character.
        while (i < n) {
          let byte = chunk[i]!;
          while (byte !== QUOTE && byte !== BACKSLASH) {
            if (++i === n) break;
            byte = chunk[i]!;
          }
          if (i === n || byte === QUOTE) break;
          // A backslash: the next character is escaped (it may be in the next chunk).
          this.takenHasEscape = true;
          if (i + 1 === n) {
            this.escaped = true;
            i = n;
            break;
          }
          i += 2;
        }
        if (i >= n) {
          if (this.stringBytesBefore + n - stringStart > MAX_STRING_BYTES) this.overLimit(chunk, start, n);
          break;
        }
        const textBytes = this.stringBytesBefore + i - stringStart;
        if (textBytes > MAX_STRING_BYTES) this.overLimit(chunk, start, i);
        // A string may be over the length limit (it has at least as many bytes of text as UTF-16
        // units), or may be the key `__proto__` (9 bytes; counted in when its start is not seen).
        if (textBytes > MAX_STRING_UNITS || (textBytes === FORBIDDEN_KEY_BYTES && (this.stringBytesBefore > 0 || chunk[stringStart] === UNDERSCORE))) this.takenMaybeOverLimits = true;
        this.stringBytesBefore = 0;
        inString = false;
        i++;
        if (depth === 0) {
          // A taken string scalar ends at its closing quote.
          this.finishTaking(chunk, start, i);
          return i;
        }
        continue;
      }
      // Outside strings: white space, punctuation, digits and the literals' letters pass; a quote
      // opens a string; a bracket changes the depth.
      let byte = chunk[i]!;
      while (byte !== QUOTE && (byte < OPEN_BRACKET || (byte !== OPEN_BRACE && byte !== CLOSE_BRACE && byte !== CLOSE_BRACKET && byte !== OPEN_BRACKET))) {
        if (++i === n) break;
        byte = chunk[i]!;
      }
      if (i === n) break;
      if (byte === QUOTE) {
        inString = true;
        stringStart = i + 1;
        this.stringBytesBefore = 0;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
        if (this.takenPath.length + depth - 1 >= MAX_DEPTH) this.overLimit(chunk, start, i + 1);
      } else {
        depth--;
        if (depth === 0) {
          this.finishTaking(chunk, start, i + 1);
          return i + 1;
        }
      }
      i++;
    }
    // The chunk ended inside the value: keep its bytes and carry the state over.
    if (inString) this.stringBytesBefore += n - stringStart;
    this.keepTaken(chunk, start);
    this.takenDepth = depth;
    this.inString = inString;
    return n;
  }

  /** A taken number or literal (true, false, null): it ends before the first byte that may follow a value. */
  private continueScalar(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    const start = from === this.takeStart ? from : 0;
    for (let i = from; i < n; i++) {
      if (endsScalar(chunk[i]!)) {
        this.finishTaking(chunk, start, i);
        return i;
      }
    }
    this.keepTaken(chunk, start);
    return n;
  }

  /** The chunk ended inside the taken value: keeps the value's bytes of it. */
  private keepTaken(chunk: Uint8Array, start: number): void {
    this.takenPieces.push(chunk.subarray(start, chunk.length));
    this.takenBytes += chunk.length - start;
    if (this.takenBytes > MAX_TAKEN_VALUE_BYTES) throw new JsonScanError(this.takenPath, VALUE_TOO_LARGE);
    this.takeStart = -1;
  }

  /** A string or a nesting level in the taken value is over a limit: finds the first problem in the text read so far and throws it. */
  private overLimit(chunk: Uint8Array, start: number, end: number): never {
    const text = new TextDecoder('utf-8').decode(joinBytes([...this.takenPieces, chunk.subarray(start, end)]));
    const found = firstLimitProblemInText(text, this.takenPath);
    throw new JsonScanError(found?.path ?? this.takenPath, found?.problem ?? TOO_DEEP);
  }

  private finishTaking(chunk: Uint8Array | undefined, start: number, end: number): void {
    if (chunk) this.takenPieces.push(chunk.subarray(start, end));
    const text = this.decode(this.takenPieces);
    this.taking = false;
    this.takenPieces = [];
    this.handler.onValue(this.takenPath, text, !this.takenHasEscape && !this.takenMaybeOverLimits);
    this.afterValue();
  }

  private continueKey(chunk: Uint8Array, from: number, opening = false): number {
    let i = opening ? from + 1 : from;
    const start = from;
    const n = chunk.length;
    let escaped = this.escaped;
    while (i < n) {
      const byte = chunk[i]!;
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) {
        this.keyPieces.push(chunk.subarray(start, i + 1));
        this.readingKey = false;
        this.inString = false;
        const frame = this.stack[this.stack.length - 1]!;
        if (this.keyBytes + i - start > MAX_STRING_TEXT_BYTES) throw new JsonScanError([...frame.path], KEY_TOO_LONG);
        try {
          frame.key = JSON.parse(this.decode(this.keyPieces)) as string;
        } catch (error) {
          throw new JsonScanError([...frame.path], `not valid JSON (a key: ${(error as Error).message})`);
        }
        this.handler.onKey?.(frame.path, frame.key);
        this.expect = Expect.Colon;
        return i + 1;
      }
      i++;
    }
    this.keyPieces.push(chunk.subarray(start, n));
    this.keyBytes += n - start;
    if (this.keyBytes > MAX_STRING_TEXT_BYTES) throw new JsonScanError([...this.stack[this.stack.length - 1]!.path], KEY_TOO_LONG);
    this.escaped = escaped;
    return n;
  }

  private decode(pieces: Uint8Array[]): string {
    try {
      return this.decoder.decode(joinBytes(pieces));
    } catch {
      throw new JsonScanError(this.currentPath(), 'not valid UTF-8 text');
    }
  }

  private closeContainer(i: number): number {
    const frame = this.stack.pop()!;
    this.handler.onClose?.(frame.path);
    this.afterValue();
    return i + 1;
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? Expect.End : Expect.CommaOrEnd;
  }
}
