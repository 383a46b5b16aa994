/**
 * Snapshot files read as a stream (1 MiB at a time): each target is validated and handed on as soon
 * as it has been read, so neither the file's text nor more than one target's records are held.
 * Files of any size can be read (readFile + JSON.parse stops at V8's longest string, 2^29 - 24
 * characters: about 50k Redis servers of the synthetic estate as `capture` indents it, ~10.5 kB a server).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { evaluateTargetFeed, type EvaluateOptions } from '../../core/evaluate';
import type { ScanResult } from '../../core/model';
import type { Snapshot, SnapshotTarget } from '../../core/snapshot/schema';
import { SnapshotStreamReader, type SnapshotHeader } from '../../core/snapshot/snapshot-stream-reader';
import { snapshotTextPieces } from '../../core/snapshot/snapshot-text';

const CHUNK_BYTES = 1024 * 1024;

/** Reads `path`, calling `onTarget` with each validated target in file order; resolves to the document's fields. */
export async function readSnapshotFileTargets(path: string, onTarget: (target: SnapshotTarget, index: number) => void): Promise<SnapshotHeader> {
  const reader = new SnapshotStreamReader(path, onTarget);
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) reader.push(chunk as Buffer);
  return reader.end();
}

/** Reads and validates a whole snapshot file (for callers that need every target at once). */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  const targets: SnapshotTarget[] = [];
  const header = await readSnapshotFileTargets(path, (target) => targets.push(target));
  return { format: header.format as Snapshot['format'], capturedAt: header.capturedAt, targets };
}

/** Evaluates a snapshot file target by target: each target's records are released once its findings are made. */
export function evaluateSnapshotFile(path: string, options: EvaluateOptions = {}): Promise<ScanResult> {
  return evaluateTargetFeed(options, (onTarget) => readSnapshotFileTargets(path, onTarget));
}

/** The snapshot's indented JSON text in batches of about 1 MiB (the pieces joined: JSON.stringify(snapshot, null, 2) + newline). */
export function* snapshotTextBatches(snapshot: Snapshot): Generator<string> {
  let batch = '';
  for (const piece of snapshotTextPieces(snapshot)) {
    batch += piece;
    if (batch.length >= CHUNK_BYTES) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Writes a snapshot file of any size, record by record, waiting for the disk when it falls behind. */
export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  for (const batch of snapshotTextBatches(snapshot)) {
    if (!out.write(batch)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
