/**
 * Digests of what a scan produces, to prove that a change to how findings are made, read or
 * passed on leaves them byte-identical: sha256 of the findings (in their sorted order), of the
 * summary and of the scan block, for the sample estate and the benchmark's 1k and 10k synthetic
 * estates, each read from its file as `scan --snapshot` reads it (a stream, target by target).
 *
 *   npx tsx scripts/result-digests.ts              # prints the digests as JSON
 *   npx tsx scripts/result-digests.ts --check F    # exits 1 when any differs from F (a saved print)
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSnapshot } from '../bench/synthetic-estate';
import { evaluateSnapshotFile, writeSnapshotFile } from '../lambdas/adapters/snapshots/snapshot-file';

const NOW = () => new Date('2026-11-25T03:00:00.000Z');
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function digestsOf(file: string) {
  const result = await evaluateSnapshotFile(file, { now: NOW });
  return { findings: result.findings.length, findingsSha256: sha256(result.findings), summarySha256: sha256(result.summary), scanSha256: sha256(result.scan) };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'result-digests-'));
  try {
    const out: Record<string, unknown> = { sample: await digestsOf(join(__dirname, '..', 'examples', 'estate.sample.json')) };
    for (const size of [1000, 10000]) {
      const file = join(folder, `synthetic-${size}.json`);
      await writeSnapshotFile(file, syntheticSnapshot(size));
      out[`synthetic-${size}`] = await digestsOf(file);
    }
    const check = process.argv.indexOf('--check');
    if (check > 0) {
      const expected = JSON.parse(readFileSync(process.argv[check + 1]!, 'utf8')) as Record<string, unknown>;
      const differing = Object.keys(out).filter((k) => JSON.stringify(out[k]) !== JSON.stringify(expected[k]));
      console.log(differing.length === 0 ? 'all digests identical' : `differ: ${differing.join(', ')}\n${JSON.stringify(out, null, 2)}`);
      process.exitCode = differing.length === 0 ? 0 : 1;
      return;
    }
    console.log(JSON.stringify(out, null, 2));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

void main();
