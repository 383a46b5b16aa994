/**
 * Reads a snapshot document chunk by chunk and hands out each target as soon as its closing brace
 * is read, validated exactly as parseSnapshot validates it (the same schema, the same JSON paths,
 * the same duplicate-record check). Only one target's records are held at a time, and never the
 * document's text: each record of the big lists (ec2.Reservations, ssm.Entities, ...) is parsed on
 * its own from its own text. The document-level fields (format, capturedAt) are checked at the end,
 * wherever they stand in the document. Pure: chunks in, targets out.
 */
import { JsonScanError, JsonValueScanner, type JsonPathStep, type ScanDecision } from './json-value-scanner';
import { firstIssueError, SnapshotError, toJsonPath, validateSnapshotTarget } from './parse-snapshot';
import * as z from 'zod/mini';
import { SnapshotSchema, TargetSchema, type SnapshotTarget } from './schema';

/** The document-level fields of a snapshot that was read as a stream. */
export interface SnapshotHeader {
  format: string;
  capturedAt: string;
}

type Json = unknown;
type RawTarget = Record<string, Json>;

/** The sections of a target whose lists are read record by record. */
const STREAMED_SECTIONS = new Set(['ec2', 'ssm']);

type Section = 'ec2' | 'ssm';
const SECTION_SHAPES = { ec2: TargetSchema.shape.ec2.shape, ssm: TargetSchema.shape.ssm.shape };

/** The schema of one record of `section.list` (TargetSchema's own), or undefined for a list the schema does not name. */
function recordSchemaOf(section: Section, list: string): z.ZodMiniType | undefined {
  const shape = SECTION_SHAPES[section] as Record<string, { _zod: { def: { element?: z.ZodMiniType } } }>;
  return Object.hasOwn(shape, list) ? shape[list]!._zod.def.element : undefined;
}

/**
 * TargetSchema with each list's records taken as already checked: the stream validates every record
 * as soon as it is parsed (and drops its raw copy), so the whole-target check only checks the rest.
 */
const CHECKED_RECORDS = z.array(z.unknown());
const TargetOfCheckedRecordsSchema = z.extend(TargetSchema, {
  ec2: z.looseObject(Object.fromEntries(Object.keys(SECTION_SHAPES.ec2).map((list) => [list, CHECKED_RECORDS]))),
  ssm: z.looseObject(Object.fromEntries(Object.keys(SECTION_SHAPES.ssm).map((list) => [list, CHECKED_RECORDS]))),
});

export class SnapshotStreamReader {
  private readonly scanner: JsonValueScanner;
  /** Root-level fields other than the streamed targets list, as parsed. */
  private readonly header: Record<string, Json> = {};
  /** The root value when it is not an object (rejected by the schema at the end). */
  private rootValue: { value: Json } | undefined;
  private targetsStreamed = false;
  private current: RawTarget | undefined;

  constructor(
    private readonly source: string,
    private readonly onTarget: (target: SnapshotTarget, index: number) => void,
  ) {
    this.scanner = new JsonValueScanner({
      decide: (path, kind) => this.decide(path, kind),
      onValue: (path, text) => this.onValue(path, text),
      onClose: (path) => this.onClose(path),
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
    const document = this.rootValue ? this.rootValue.value : { ...this.header, ...(this.targetsStreamed ? { targets: [] } : {}) };
    const result = SnapshotSchema.safeParse(document);
    if (!result.success) throw firstIssueError(this.source, result.error);
    return { format: result.data.format, capturedAt: result.data.capturedAt };
  }

  private decide(path: readonly JsonPathStep[], kind: 'object' | 'array'): ScanDecision {
    switch (path.length) {
      case 0:
        return kind === 'object' ? 'descend' : 'take';
      case 1:
        if (path[0] === 'targets' && kind === 'array') {
          // JSON.parse would keep the last of two lists; a stream has evaluated the first already.
          if (this.targetsStreamed) throw new SnapshotError(this.source, '$.targets', 'the key "targets" appears twice');
          this.targetsStreamed = true;
          return 'descend';
        }
        return 'take';
      case 2:
        if (path[0] === 'targets' && kind === 'object') {
          this.current = {};
          return 'descend';
        }
        return 'take';
      case 3:
        if (this.current && kind === 'object' && STREAMED_SECTIONS.has(path[2] as string)) {
          this.current[path[2] as string] = {};
          return 'descend';
        }
        return 'take';
      case 4:
        if (this.current && kind === 'array' && STREAMED_SECTIONS.has(path[2] as string)) {
          (this.current[path[2] as string] as Record<string, Json>)[path[3] as string] = [];
          return 'descend';
        }
        return 'take';
      default:
        return 'take';
    }
  }

  private onValue(path: readonly JsonPathStep[], text: string): void {
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new SnapshotError(this.source, toJsonPath(path), `not valid JSON (${(error as Error).message})`);
    }
    switch (path.length) {
      case 0:
        this.rootValue = { value };
        return;
      case 1:
        if (path[0] === 'targets') this.targetsStreamed = false;
        this.header[path[0] as string] = value;
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

  /** A record of a streamed list, validated now by its list's record schema (the raw copy is dropped). */
  private checkedRecord(path: readonly JsonPathStep[], value: Json): Json {
    const schema = recordSchemaOf(path[2] as Section, path[3] as string);
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw firstIssueError(this.source, result.error, path);
  }

  private onClose(path: readonly JsonPathStep[]): void {
    if (path.length === 2 && path[0] === 'targets') {
      const raw = this.current!;
      this.current = undefined;
      this.deliver(raw, path[1] as number);
    }
  }

  private deliver(raw: Json, index: number): void {
    // Every record was checked against its schema as it was read: the target check takes them as checked.
    const target = validateSnapshotTarget(raw, index, this.source, TargetOfCheckedRecordsSchema);
    this.onTarget(target, index);
  }

  private asSnapshotError(error: unknown): unknown {
    if (error instanceof JsonScanError) return new SnapshotError(this.source, toJsonPath(error.path), error.problem);
    return error;
  }
}
