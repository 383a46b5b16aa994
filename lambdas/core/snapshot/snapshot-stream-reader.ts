/**
 * The one snapshot reader. Every way a snapshot comes in goes through SnapshotDocumentReader, so
 * they accept and reject the same documents with the same messages (source and JSON path):
 *
 * - SnapshotStreamReader reads a document's bytes chunk by chunk (scan --snapshot, parseSnapshot)
 *   and hands out each target as soon as its closing brace is read. Only one target's records are
 *   held at a time, and never the document's text: each record of the big lists (ec2.Reservations,
 *   ssm.Entities, ...) is parsed on its own from its own text.
 * - readParsedSnapshot walks data that is already parsed (the scan Lambda's event) and gives the
 *   document reader the same events in the same order.
 *
 * The document reader checks each value against the reader's limits (reader-limits.ts) as it
 * arrives, each record against its list's record schema (through its compiled form,
 * compiled-schema.ts, with zod deciding and wording every record that form does not vouch for), each target (the rest of TargetSchema and
 * the duplicate-record check) when it closes, and the document-level fields (format, capturedAt)
 * at the end, wherever they stand. Input keys are held in Maps and null-prototype objects only.
 * Pure: chunks or values in, targets out.
 */
import { JsonScanError, JsonValueScanner, type JsonPathStep, type ScanDecision } from './json-value-scanner';
import * as z from 'zod/mini';
import { findConflictingDuplicate } from './duplicate-records';
import { compileSchema, UNDECIDED, type CompiledSchema } from './compiled-schema';
import { firstLimitProblem, keyProblem } from './reader-limits';
import { SnapshotSchema, TargetSchema, type Snapshot, type SnapshotTarget } from './schema';
import { firstIssueError, SnapshotError, toJsonPath } from './snapshot-error';

/** The document-level fields of a snapshot that was read (format, capturedAt and any other field but targets). */
export interface SnapshotHeader {
  format: Snapshot['format'];
  capturedAt: string;
  [field: string]: unknown;
}

type Json = unknown;
type Section = 'ec2' | 'ssm';

/** The sections of a target whose lists are read record by record. */
const STREAMED_SECTIONS: ReadonlySet<JsonPathStep> = new Set<JsonPathStep>(['ec2', 'ssm']);

const SECTION_SHAPES = { ec2: TargetSchema.shape.ec2.shape, ssm: TargetSchema.shape.ssm.shape };

interface RecordCheck {
  /** The record schema (TargetSchema's own): the judge of every record, and the source of every message. */
  schema: z.ZodMiniType;
  /**
   * The same schema compiled: the checked record for a record the schema accepts, or UNDECIDED.
   * Compiled at the first record of its list, so loading the reader (a Lambda's cold start)
   * compiles nothing.
   */
  compiled?: CompiledSchema;
}

/** The record check of each list of each streamed section, by section and list name. */
const RECORD_CHECKS: ReadonlyMap<string, ReadonlyMap<string, RecordCheck>> = new Map(
  Object.entries(SECTION_SHAPES).map(([section, shape]) => [
    section,
    new Map(
      Object.entries(shape as Record<string, { _zod: { def: { element: z.ZodMiniType } } }>).map(([list, listSchema]) => {
        const check: RecordCheck = { schema: listSchema._zod.def.element };
        return [list, check];
      }),
    ),
  ]),
);

/**
 * TargetSchema with each list's records taken as already checked: the reader validates every record
 * as soon as it is parsed (and drops its raw copy), so the whole-target check only checks the rest.
 */
const CHECKED_RECORDS = z.array(z.unknown());
const TargetOfCheckedRecordsSchema = z.extend(TargetSchema, {
  ec2: z.looseObject(Object.fromEntries(Object.keys(SECTION_SHAPES.ec2).map((list) => [list, CHECKED_RECORDS]))),
  ssm: z.looseObject(Object.fromEntries(Object.keys(SECTION_SHAPES.ssm).map((list) => [list, CHECKED_RECORDS]))),
});

/** An object built from input keys: no prototype, so no key of the input can reach one. */
function inputObject(): Record<string, Json> {
  return Object.create(null) as Record<string, Json>;
}

/**
 * The checks of a snapshot document, fed with its structure: `decide` at each object or array
 * (descend into it, or take it whole), `key` at each key of a descended object, `value` with each
 * taken value (parsed), `close` when a descended container ends, then `end`.
 */
export class SnapshotDocumentReader {
  /** Root-level fields other than the targets list, as parsed. */
  private readonly header = new Map<string, Json>();
  /** The root value when it is not an object (rejected by the schema at the end). */
  private rootValue: { value: Json } | undefined;
  private targetsDescended = false;
  private current: Record<string, Json> | undefined;
  /** Keys seen in each descended object still open, by the object's depth. */
  private readonly keysSeen = new Map<number, Set<string>>();

  /**
   * @param valuesOwned whether the values handed to `value` are the reader's own (parsed from the
   *   text for this reader, held by nothing else): then a record already in its checked form is
   *   kept as it is instead of copied. Data from a caller is always copied, as zod copies it.
   */
  constructor(
    private readonly source: string,
    private readonly onTarget: (target: SnapshotTarget, index: number) => void,
    private readonly valuesOwned = false,
  ) {}

  decide(path: readonly JsonPathStep[], kind: 'object' | 'array'): ScanDecision {
    const decision = this.decision(path, kind);
    if (decision === 'descend' && kind === 'object') this.keysSeen.set(path.length, new Set());
    return decision;
  }

  private decision(path: readonly JsonPathStep[], kind: 'object' | 'array'): ScanDecision {
    switch (path.length) {
      case 0:
        return kind === 'object' ? 'descend' : 'take';
      case 1:
        if (path[0] === 'targets' && kind === 'array') {
          this.targetsDescended = true;
          return 'descend';
        }
        return 'take';
      case 2:
        if (path[0] === 'targets' && kind === 'object') {
          this.current = inputObject();
          return 'descend';
        }
        return 'take';
      case 3:
        if (this.current && kind === 'object' && STREAMED_SECTIONS.has(path[2]!)) {
          this.current[path[2] as string] = inputObject();
          return 'descend';
        }
        return 'take';
      case 4:
        if (this.current && kind === 'array' && STREAMED_SECTIONS.has(path[2]!)) {
          (this.current[path[2] as string] as Record<string, Json>)[path[3] as string] = [];
          return 'descend';
        }
        return 'take';
      default:
        return 'take';
    }
  }

  /** A key of a descended object (root, target, ec2, ssm): within the limits and not there twice. */
  key(path: readonly JsonPathStep[], key: string): void {
    const problem = keyProblem(key);
    if (problem) throw new SnapshotError(this.source, toJsonPath(path), problem);
    const seen = this.keysSeen.get(path.length);
    // JSON.parse would keep the last of two values; a stream has read (and evaluated) the first already.
    if (seen?.has(key)) throw new SnapshotError(this.source, toJsonPath([...path, key]), `the key ${JSON.stringify(key)} appears twice`);
    seen?.add(key);
  }

  /** A taken value, parsed. `withinLimits`: its text showed it within the reader's limits (see JsonValueScannerHandler.onValue), so they are not checked again. */
  value(path: readonly JsonPathStep[], value: Json, withinLimits = false): void {
    if (!withinLimits) {
      const over = firstLimitProblem(value, path);
      if (over) throw new SnapshotError(this.source, toJsonPath(over.path), over.problem);
    }
    switch (path.length) {
      case 0:
        this.rootValue = { value };
        return;
      case 1:
        this.header.set(path[0] as string, value);
        return;
      case 2:
        // A target that is not an object: the schema rejects it with its path.
        this.deliver(value, path[1] as number);
        return;
      case 3:
        this.current![path[2] as string] = value;
        return;
      case 4:
        (this.current![path[2] as string] as Record<string, Json>)[path[3] as string] = value;
        return;
      default:
        ((this.current![path[2] as string] as Record<string, Json>)[path[3] as string] as Json[]).push(this.checkedRecord(path, value));
    }
  }

  close(path: readonly JsonPathStep[]): void {
    this.keysSeen.delete(path.length);
    if (path.length === 2 && path[0] === 'targets') {
      const raw = this.current!;
      this.current = undefined;
      this.deliver(raw, path[1] as number);
    }
  }

  /** The document has ended: checks its fields and returns them; throws SnapshotError when anything is wrong. */
  end(): SnapshotHeader {
    let document: Json;
    if (this.rootValue) document = this.rootValue.value;
    else {
      const fields = inputObject();
      for (const [key, value] of this.header) fields[key] = value;
      if (this.targetsDescended) fields.targets = [];
      document = fields;
    }
    const result = SnapshotSchema.safeParse(document);
    if (!result.success) throw firstIssueError(this.source, result.error);
    const { targets: _targets, ...header } = result.data;
    return header;
  }

  /** A record of a streamed list, validated now by its list's record schema (the raw copy is dropped). */
  private checkedRecord(path: readonly JsonPathStep[], value: Json): Json {
    const check = RECORD_CHECKS.get(path[2] as Section)?.get(path[3] as string);
    if (!check) return value;
    check.compiled ??= compileSchema(check.schema);
    const compiled = check.compiled(value, this.valuesOwned);
    if (compiled !== UNDECIDED) return compiled;
    const result = check.schema.safeParse(value);
    if (result.success) return result.data;
    throw firstIssueError(this.source, result.error, path);
  }

  private deliver(raw: Json, index: number): void {
    // Every record was checked against its schema as it was read: the target check takes them as checked.
    const result = TargetOfCheckedRecordsSchema.safeParse(raw);
    if (!result.success) throw firstIssueError(this.source, result.error, ['targets', index]);
    const target = result.data as SnapshotTarget;
    const conflict = findConflictingDuplicate(target, `$.targets[${index}]`);
    if (conflict) throw new SnapshotError(this.source, conflict.jsonPath, conflict.problem);
    this.onTarget(target, index);
  }
}

/** Reads a snapshot document's bytes, chunk by chunk. */
export class SnapshotStreamReader {
  private readonly scanner: JsonValueScanner;
  private readonly document: SnapshotDocumentReader;

  constructor(
    private readonly source: string,
    onTarget: (target: SnapshotTarget, index: number) => void,
  ) {
    const document = new SnapshotDocumentReader(source, onTarget, true);
    this.document = document;
    this.scanner = new JsonValueScanner({
      decide: (path, kind) => document.decide(path, kind),
      onKey: (path, key) => document.key(path, key),
      onValue: (path, text, withinLimits) => {
        let value: Json;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new SnapshotError(source, toJsonPath(path), `not valid JSON (${(error as Error).message})`);
        }
        document.value(path, value, withinLimits);
      },
      onClose: (path) => document.close(path),
    });
  }

  push(chunk: Uint8Array): void {
    try {
      this.scanner.push(chunk);
    } catch (error) {
      throw this.asSnapshotError(error);
    }
  }

  /** The document has ended: checks its fields and returns them; throws SnapshotError when anything is wrong. */
  end(): SnapshotHeader {
    try {
      this.scanner.end();
    } catch (error) {
      throw this.asSnapshotError(error);
    }
    return this.document.end();
  }

  private asSnapshotError(error: unknown): unknown {
    if (error instanceof JsonScanError) return new SnapshotError(this.source, toJsonPath(error.path), error.problem);
    return error;
  }
}

/**
 * Gives `document` the events a stream of `value`'s JSON text would give, from `path` on. Object
 * keys in the order Object.keys gives (the text's order, but for array-index-like keys, which
 * JavaScript puts first). Recursion only where the reader descends (five levels at most).
 */
export function walkParsedValue(document: SnapshotDocumentReader, value: Json, path: JsonPathStep[]): void {
  const kind = Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
  if (kind === undefined || document.decide(path, kind) === 'take') {
    document.value(path, value);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walkParsedValue(document, value[i], [...path, i]);
  } else {
    for (const key of Object.keys(value as object)) {
      document.key(path, key);
      walkParsedValue(document, (value as Record<string, Json>)[key], [...path, key]);
    }
  }
  document.close(path);
}

/** Reads data that is already parsed (e.g. by the Lambda runtime) exactly as the stream reads its text. */
export function readParsedSnapshot(data: Json, source: string, onTarget: (target: SnapshotTarget, index: number) => void): SnapshotHeader {
  const document = new SnapshotDocumentReader(source, onTarget);
  walkParsedValue(document, data, []);
  return document.end();
}
