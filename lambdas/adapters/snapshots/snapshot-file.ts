/**
 * Snapshot files read as a stream (1 MiB at a time): each target is validated and handed on as soon
 * as it has been read, so neither the file's text nor more than one target's records are held.
 * Files larger than V8's longest string can be read (readFile + JSON.parse stops at 2^29 - 24
 * characters: about 50k Redis servers of the synthetic estate as `capture` indents it, ~10.5 kB a
 * server), up to `maxBytes` (DEFAULT_MAX_SNAPSHOT_BYTES unless raised). Only regular files are read:
 * a FIFO, a device or a directory is refused before a byte is read (a FIFO without a writer would
 * wait for ever, /dev/zero never ends).
 */
import { constants, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { evaluateTargetFeed, type EvaluateOptions } from '../../core/evaluate';
import type { ScanResult } from '../../core/model';
import type { Snapshot, SnapshotTarget } from '../../core/snapshot/schema';
import { SnapshotError } from '../../core/snapshot/snapshot-error';
import { SnapshotStreamReader, type SnapshotHeader } from '../../core/snapshot/snapshot-stream-reader';
import { snapshotTextPieces } from '../../core/snapshot/snapshot-text';

const CHUNK_BYTES = 1024 * 1024;

/** The largest snapshot file read unless the caller raises it (`--max-snapshot-bytes`): 2 GiB, about 200k Redis servers as `capture` writes them. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 2 * 1024 ** 3;

export interface SnapshotFileLimits {
  /** The largest file read, in bytes (default DEFAULT_MAX_SNAPSHOT_BYTES). */
  maxBytes?: number;
}

function fileKind(stats: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean; isSocket(): boolean }): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

const bytesLimitProblem = (maxBytes: number): string =>
  `the file is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes (--max-snapshot-bytes raises it)`;

/**
 * Reads `path`, calling `onTarget` with each validated target in file order; resolves to the
 * document's fields. When `onTarget` returns a promise, the next part of the file is read once the
 * last one returned has settled (it rejects: the read stops with its error).
 */
export async function readSnapshotFileTargets(path: string, onTarget: (target: SnapshotTarget, index: number) => void | Promise<void>, limits: SnapshotFileLimits = {}): Promise<SnapshotHeader> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  // O_NONBLOCK: opening a FIFO that has no writer returns at once (and is then refused) instead of waiting.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new SnapshotError(path, '$', `${fileKind(stats)} is not read (snapshots are read from regular files only)`);
    if (stats.size > maxBytes) throw new SnapshotError(path, '$', bytesLimitProblem(maxBytes));
    let consumed: void | Promise<void> = undefined;
    const reader = new SnapshotStreamReader(path, (target, index) => void (consumed = onTarget(target, index)));
    let total = 0;
    for (;;) {
      // A fresh buffer each time: the reader keeps pieces of earlier chunks while a value spans them.
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // The file may grow while it is read.
      if (total > maxBytes) throw new SnapshotError(path, '$', bytesLimitProblem(maxBytes));
      reader.push(chunk.subarray(0, bytesRead));
      await consumed;
    }
    const header = reader.end();
    await consumed;
    return header;
  } finally {
    await handle.close();
  }
}

/** Reads and validates a whole snapshot file (for callers that need every target at once). */
export async function readSnapshotFile(path: string, limits: SnapshotFileLimits = {}): Promise<Snapshot> {
  const targets: SnapshotTarget[] = [];
  const header = await readSnapshotFileTargets(path, (target) => void targets.push(target), limits);
  return { ...header, targets };
}

/** Evaluates a snapshot file target by target: each target's records are released once its findings are made. */
export function evaluateSnapshotFile(path: string, options: EvaluateOptions = {}, limits: SnapshotFileLimits = {}): Promise<ScanResult> {
  return evaluateTargetFeed(options, (onTarget) => readSnapshotFileTargets(path, onTarget, limits));
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
