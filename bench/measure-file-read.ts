/**
 * `node --import tsx bench/measure-file-read.ts <file>`: reads and validates a snapshot file as
 * `scan --snapshot` does (read as a stream, each target validated and handed on) without
 * evaluating it, and prints one JSON line: the time from opening the file to its last target, the
 * targets and records read, and the peak RSS of the process. With measure-file-evaluation.ts (read
 * and evaluation) it splits a run from a file into reading and evaluating.
 */
import { readSnapshotFileTargets } from '../lambdas/adapters/snapshots/snapshot-file';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: measure-file-read.ts <snapshot file>');
    process.exit(2);
  }
  let targets = 0;
  let instances = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await readSnapshotFileTargets(file, (target) => {
    targets++;
    for (const reservation of target.ec2.Reservations) instances += reservation.Instances?.length ?? 0;
  });
  const readMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ targets, instances, readMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: (process.resourceUsage().maxRSS * 1024) / MB }));
}

void main();
