/**
 * Child process of figure 4 (from a file): `node --import tsx bench/measure-file-evaluation.ts <file>`
 * evaluates a snapshot file as `scan --snapshot` does (read as a stream, evaluated target by
 * target) and prints one JSON line: the time from opening the file to the sorted result, the
 * findings, and the peak RSS of the whole process.
 */
import { evaluateSnapshotFile } from '../lambdas/adapters/snapshots/snapshot-file';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: measure-file-evaluation.ts <snapshot file>');
    process.exit(2);
  }
  const started = performance.now();
  const result = await evaluateSnapshotFile(file, { now: () => new Date('2026-11-25T02:05:00.000Z') });
  const readAndEvaluateMs = performance.now() - started;
  console.log(
    JSON.stringify({
      findings: result.findings.length,
      redisServers: result.summary.redisServers,
      readAndEvaluateMs,
      heapAfterMB: process.memoryUsage().heapUsed / MB,
      maxRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    }),
  );
}

void main();
