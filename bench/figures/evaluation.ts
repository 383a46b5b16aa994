/**
 * Figures 3 and 4: evaluateSnapshot on synthetic estates, each size in fresh child processes
 * (bench/measure-evaluation.ts) so one size's heap and JIT state never colour another's.
 * 1k and 10k: median of 3 runs; 100k: one run (three when a run takes under 3 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runNode, tsxArgs } from '../child-process';
import { errorMessage, formatMs, median, notMeasured, sizeLabel, verdict, type BenchOptions, type FigureRow } from '../figure';

export interface EvaluationRun {
  redisServers: number;
  instances: number;
  findings: number;
  generateMs: number;
  evaluateMs: number;
  /** CPU time of the evaluation (user + system); absent in runs of older children. */
  evaluateCpuMs?: number;
  /** The 1-minute load average when the evaluation started. */
  loadAverage?: number;
  rssAfterGenerateMB: number;
  heapAfterGenerateMB: number;
  heapAfterEvaluateMB: number;
  maxRssMB: number;
}

const TIME_TARGET_MS = 2000;
const GROWTH_TARGET = 12;
const RSS_TARGET_MB = 512;

async function runSize(size: number, runs: number): Promise<EvaluationRun[]> {
  const out: EvaluationRun[] = [];
  for (let i = 0; i < runs; i++) {
    const { value } = await runNode<EvaluationRun>(['--expose-gc', ...tsxArgs('bench/measure-evaluation.ts', String(size))], { timeoutMs: 600_000 });
    out.push(value);
    // A large size run once is repeated only when it is quick (the brief: 1 run, or 3 if fast).
    if (runs === 1 && i === 0 && value.evaluateMs < 3000) runs = 3;
  }
  return out;
}

export interface EvaluationMeasurements {
  sizes: number[];
  bySize: Map<number, EvaluationRun[] | Error>;
}

export async function measureEvaluation(options: BenchOptions, withLargest = true): Promise<EvaluationMeasurements> {
  const sizes = options.smoke ? [100, 1000] : withLargest ? [1000, 10000, 100000] : [1000, 10000];
  const bySize = new Map<number, EvaluationRun[] | Error>();
  for (const size of sizes) {
    const runs = size >= 100000 || options.smoke ? 1 : 3;
    try {
      bySize.set(size, await runSize(size, runs));
    } catch (error) {
      bySize.set(size, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return { sizes, bySize };
}

/** "; CPU 1.2 s (median of 1.1 s, 1.2 s, 1.3 s), load 0.8-1.1": what a busy machine's wall time hides. */
function cpuAndLoad(runs: readonly EvaluationRun[]): string {
  const cpu = runs.map((r) => r.evaluateCpuMs).filter((ms): ms is number => ms !== undefined);
  const load = runs.map((r) => r.loadAverage).filter((l): l is number => l !== undefined);
  if (cpu.length === 0) return '';
  const cpuText = cpu.length === 1 ? `CPU ${formatMs(cpu[0]!)}` : `CPU ${formatMs(median(cpu))} (median of ${cpu.map(formatMs).join(', ')})`;
  const [low, high] = [Math.min(...load).toFixed(1), Math.max(...load).toFixed(1)];
  const loadText = load.length === 0 ? '' : `, load ${low}${high !== low ? `-${high}` : ''}`;
  return `; ${cpuText}${loadText}`;
}

function medianRun(runs: readonly EvaluationRun[]): EvaluationRun {
  const ms = median(runs.map((r) => r.evaluateMs));
  return { ...runs.reduce((best, r) => (Math.abs(r.evaluateMs - ms) < Math.abs(best.evaluateMs - ms) ? r : best)), evaluateMs: ms };
}

export function evaluationTimeRows(options: BenchOptions, m: EvaluationMeasurements): FigureRow[] {
  const rows: FigureRow[] = [];
  const largest = m.sizes[m.sizes.length - 1]!;
  const medians = new Map<number, EvaluationRun>();
  for (const size of m.sizes) {
    const runs = m.bySize.get(size)!;
    const label = `3. evaluation time, ${sizeLabel(size)} Redis servers (+2% front-ends)`;
    const target = size === 100000 ? `<= ${formatMs(TIME_TARGET_MS)}` : size === largest && options.smoke ? '(full run: 100k <= 2 s)' : '- (feeds the growth row)';
    if (runs instanceof Error) {
      rows.push(notMeasured(label, target, errorMessage(runs)));
      continue;
    }
    const run = medianRun(runs);
    medians.set(size, run);
    rows.push({
      figure: label,
      measured: `${formatMs(run.evaluateMs)} (${runs.length === 1 ? '1 run' : `median of ${runs.length}`}: ${runs.map((r) => formatMs(r.evaluateMs)).join(', ')}; ${run.findings.toLocaleString('en-US')} findings)${cpuAndLoad(runs)}`,
      target,
      met: size === 100000 ? verdict(options, run.evaluateMs <= TIME_TARGET_MS) : null,
      data: { runs },
    });
  }
  const [small, large] = options.smoke ? [100, 1000] : [10000, 100000];
  const a = medians.get(small);
  const b = medians.get(large);
  const label = `3. evaluation growth ${sizeLabel(small)} -> ${sizeLabel(large)}`;
  if (a && b) {
    const growth = b.evaluateMs / a.evaluateMs;
    rows.push({ figure: label, measured: `${growth.toFixed(1)}x (${formatMs(a.evaluateMs)} -> ${formatMs(b.evaluateMs)}; ${(b.redisServers / a.redisServers).toFixed(0)}x the servers)`, target: `<= ${GROWTH_TARGET}x`, met: verdict(options, growth <= GROWTH_TARGET) });
  } else if (m.sizes.includes(large)) {
    rows.push(notMeasured(label, `<= ${GROWTH_TARGET}x`, 'a size failed to run'));
  }
  return rows;
}

export function evaluationMemoryRows(options: BenchOptions, m: EvaluationMeasurements): FigureRow[] {
  const size = m.sizes[m.sizes.length - 1]!;
  const runs = m.bySize.get(size);
  const label = `4. peak RSS of the evaluation, ${sizeLabel(size)} Redis servers`;
  const target = `<= ${RSS_TARGET_MB} MB`;
  if (!runs) return [notMeasured(label, target, 'size not run')];
  if (runs instanceof Error) return [notMeasured(label, target, errorMessage(runs))];
  const peak = Math.max(...runs.map((r) => r.maxRssMB));
  const run = runs[0]!;
  return [
    {
      figure: label,
      measured: `${peak.toFixed(0)} MB peak (whole process); RSS after generating the snapshot ${run.rssAfterGenerateMB.toFixed(0)} MB; heap ${run.heapAfterGenerateMB.toFixed(0)} -> ${run.heapAfterEvaluateMB.toFixed(0)} MB`,
      target,
      met: verdict(options, peak <= RSS_TARGET_MB),
      data: { runs },
    },
  ];
}

interface FileEvaluationRun {
  bytes: number;
  writeMs: number;
  findings: number;
  redisServers: number;
  readAndEvaluateMs: number;
  maxRssMB: number;
  /** Reading alone (no evaluation), in its own process: bench/measure-file-read.ts. */
  read: { readMs: number; cpuMs: number; maxRssMB: number };
}

/**
 * Figure 4 as `scan --snapshot` meets it: the largest synthetic estate written to a file by one
 * process (as `capture --out` writes it), then read as a stream and evaluated target by target in
 * a fresh process whose whole peak RSS is measured. The file is deleted afterwards.
 */
export async function measureFileEvaluation(options: BenchOptions): Promise<FileEvaluationRun | Error> {
  const size = options.smoke ? 1000 : 100000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-snapshot-'));
  const file = path.join(dir, `synthetic-${size}.json`);
  try {
    const written = await runNode<{ bytes: number; writeMs: number }>(tsxArgs('bench/write-synthetic-snapshot.ts', String(size), file), { timeoutMs: 600_000 });
    const evaluated = await runNode<{ findings: number; redisServers: number; readAndEvaluateMs: number; maxRssMB: number }>(tsxArgs('bench/measure-file-evaluation.ts', file), { timeoutMs: 900_000 });
    const read = await runNode<{ readMs: number; cpuMs: number; maxRssMB: number }>(tsxArgs('bench/measure-file-read.ts', file), { timeoutMs: 900_000 });
    return { ...written.value, ...evaluated.value, read: read.value };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function fileEvaluationMemoryRows(options: BenchOptions, run: FileEvaluationRun | Error): FigureRow[] {
  const label = `4. peak RSS, ${sizeLabel(options.smoke ? 1000 : 100000)} Redis servers evaluated from a snapshot file (streamed, target by target)`;
  const target = `<= ${RSS_TARGET_MB} MB`;
  if (run instanceof Error) return [notMeasured(label, target, errorMessage(run))];
  return [
    {
      figure: label,
      measured: `${run.maxRssMB.toFixed(0)} MB peak (whole process); file ${(run.bytes / 1e6).toFixed(0)} MB (indented, as capture writes it), read and evaluated in ${formatMs(run.readAndEvaluateMs)} (reading alone: ${formatMs(run.read.readMs)}, CPU ${formatMs(run.read.cpuMs)}, peak RSS ${run.read.maxRssMB.toFixed(0)} MB); ${run.findings.toLocaleString('en-US')} findings`,
      target,
      met: verdict(options, run.maxRssMB <= RSS_TARGET_MB),
      data: { run },
    },
  ];
}
