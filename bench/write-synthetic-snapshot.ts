/**
 * Child process of figure 4 (from a file): `node --import tsx bench/write-synthetic-snapshot.ts <N> <file>`
 * writes the synthetic estate of N Redis servers as a snapshot file, as `capture --out` writes one
 * (indented, record by record). Prints one JSON line: bytes written and the time taken.
 */
import { statSync } from 'node:fs';
import { writeSnapshotFile } from '../lambdas/adapters/snapshots/snapshot-file';
import { syntheticSnapshot } from './synthetic-estate';

async function main(): Promise<void> {
  const size = Number(process.argv[2]);
  const file = process.argv[3];
  if (!Number.isInteger(size) || size < 1 || !file) {
    console.error('usage: write-synthetic-snapshot.ts <redis servers> <file>');
    process.exit(2);
  }
  const started = performance.now();
  await writeSnapshotFile(file, syntheticSnapshot(size));
  console.log(JSON.stringify({ bytes: statSync(file).size, writeMs: performance.now() - started }));
}

void main();
