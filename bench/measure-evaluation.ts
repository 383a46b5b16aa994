/**
 * Child process of figures 3 and 4: `node --expose-gc --import tsx bench/measure-evaluation.ts <N>`.
 * Generates the synthetic estate of N Redis servers (+2% front-ends), collects the generator's
 * garbage, then times evaluateSnapshot (every rule, reachability included) once. Prints one JSON
 * line: times, the RSS after generating, and the peak RSS of the whole process (not reduced by
 * anything, so generator and evaluation together). Beside the wall time: the process's CPU time
 * over the evaluation (user + system, the garbage collector's helper threads included), which a
 * shared machine stretches less, and the 1-minute load average when it started.
 */
import { loadavg } from 'node:os';
import { evaluateSnapshot } from '../lambdas/core/evaluate';
import { syntheticSnapshot } from './synthetic-estate';

const MB = 1024 * 1024;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

const size = Number(process.argv[2]);
if (!Number.isInteger(size) || size < 1) {
  console.error('usage: measure-evaluation.ts <redis servers>');
  process.exit(2);
}
const generateStart = performance.now();
const snapshot = syntheticSnapshot(size);
const generateMs = performance.now() - generateStart;
collectGarbage();
const rssAfterGenerate = process.memoryUsage().rss;
const heapAfterGenerate = process.memoryUsage().heapUsed;

const loadAverage = loadavg()[0]!;
const cpuStart = process.cpuUsage();
const evaluateStart = performance.now();
const result = evaluateSnapshot(snapshot, { now: () => new Date('2026-11-25T02:05:00.000Z') });
const evaluateMs = performance.now() - evaluateStart;
const cpu = process.cpuUsage(cpuStart);
const evaluateCpuMs = (cpu.user + cpu.system) / 1000;
const heapAfterEvaluate = process.memoryUsage().heapUsed;
const maxRss = process.resourceUsage().maxRSS * 1024;

console.log(
  JSON.stringify({
    redisServers: size,
    instances: result.summary.redisServers + result.summary.frontends,
    findings: result.findings.length,
    generateMs,
    evaluateMs,
    evaluateCpuMs,
    loadAverage,
    rssAfterGenerateMB: rssAfterGenerate / MB,
    heapAfterGenerateMB: heapAfterGenerate / MB,
    heapAfterEvaluateMB: heapAfterEvaluate / MB,
    maxRssMB: maxRss / MB,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  }),
);
