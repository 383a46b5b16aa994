/**
 * `npm run bench [-- --smoke] [-- --only <figure>[,<figure>...]]`: the scanner's costs measured
 * against their targets (docs/benchmark.md explains each figure). Prints one table and
 * writes bench/results.json. A benchmark, not a test: it always exits 0 once the table is printed.
 *
 * Figures: 1 api-calls, 2 continuation, 3 evaluation-time, 4 evaluation-memory, 5 store-requests,
 * 6 report-rendering, 7 bundle-size, 8 cold-init, 9 whole-scan (the scan and the report a user runs,
 * against dynalite), 10 table-rendering.
 */
import { rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './child-process';
import { errorMessage, notMeasured, type BenchOptions, type FigureRow } from './figure';
import { apiCallsFigure, continuationFigure } from './figures/api-calls';
import { bundleAll, bundleSizeRows } from './figures/bundle-size';
import { coldInitRows } from './figures/cold-init';
import { evaluationMemoryRows, evaluationTimeRows, fileEvaluationMemoryRows, measureEvaluation, measureFileEvaluation } from './figures/evaluation';
import { reportRenderingFigure } from './figures/report-rendering';
import { storeRequestsFigure } from './figures/store-requests';
import { wholeScanFigure } from './figures/whole-scan';
import { tableRenderingFigure } from './figures/table-rendering';
import { markdownTable } from './table';

const FIGURE_NAMES: Record<string, string> = {
  '1': 'api-calls',
  '2': 'continuation',
  '3': 'evaluation-time',
  '4': 'evaluation-memory',
  '5': 'store-requests',
  '6': 'report-rendering',
  '7': 'bundle-size',
  '8': 'cold-init',
  '9': 'whole-scan',
  '10': 'table-rendering',
};

export interface BenchArguments extends BenchOptions {
  only: Set<string>;
}

export function parseArguments(argv: readonly string[]): BenchArguments {
  let smoke = false;
  const only = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--smoke') smoke = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a figure number or name');
      for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
        const id = FIGURE_NAMES[part] ? part : Object.keys(FIGURE_NAMES).find((k) => FIGURE_NAMES[k] === part);
        if (!id) throw new Error(`unknown figure ${JSON.stringify(part)}: use 1-10 or ${Object.values(FIGURE_NAMES).join(', ')}`);
        only.add(id);
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log(`usage: npm run bench [-- --smoke] [-- --only <1-10|${Object.values(FIGURE_NAMES).join('|')}>[,...]]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (only.size === 0) for (const id of Object.keys(FIGURE_NAMES)) only.add(id);
  return { smoke, only };
}

async function guarded(label: string, run: () => Promise<FigureRow[]>): Promise<FigureRow[]> {
  const started = performance.now();
  process.stderr.write(`bench: ${label} ...\n`);
  try {
    const rows = await run();
    process.stderr.write(`bench: ${label} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return rows;
  } catch (error) {
    return [notMeasured(label, '-', errorMessage(error))];
  }
}

export async function runBench(args: BenchArguments): Promise<FigureRow[]> {
  const options: BenchOptions = { smoke: args.smoke };
  const rows: FigureRow[] = [];
  const want = (id: string) => args.only.has(id);

  if (want('1')) rows.push(...(await guarded('figure 1 (API calls, wall time under throttling)', () => apiCallsFigure.run(options))));
  if (want('2')) rows.push(...(await guarded('figure 2 (deadline hand-off)', () => continuationFigure.run(options))));

  if (want('3') || want('4')) {
    rows.push(
      ...(await guarded('figures 3-4 (evaluation)', async () => {
        const m = await measureEvaluation(options, true);
        const fromFile = want('4') ? fileEvaluationMemoryRows(options, await measureFileEvaluation(options)) : [];
        return [...(want('3') ? evaluationTimeRows(options, m) : []), ...(want('4') ? evaluationMemoryRows(options, m) : []), ...fromFile];
      })),
    );
  }
  if (want('5')) rows.push(...(await guarded('figure 5 (DynamoDB requests)', () => storeRequestsFigure.run(options))));
  if (want('6')) rows.push(...(await guarded('figure 6 (report rendering)', () => reportRenderingFigure.run(options))));
  if (want('7') || want('8')) {
    rows.push(
      ...(await guarded('figures 7-8 (bundles, cold init)', async () => {
        const bundles = await bundleAll();
        try {
          return [...(want('7') ? bundleSizeRows(options, bundles) : []), ...(want('8') ? await coldInitRows(options, bundles) : [])];
        } finally {
          const dirs = new Set([...bundles.values()].flatMap((b) => (b instanceof Error ? [] : [path.dirname(path.dirname(b.file))])));
          for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
        }
      })),
    );
  }
  if (want('9')) rows.push(...(await guarded('figure 9 (whole scan and report, dynalite)', () => wholeScanFigure.run(options))));
  if (want('10')) rows.push(...(await guarded('figure 10 (terminal table)', () => tableRenderingFigure.run(options))));
  return rows;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const rows = await runBench(args);
  const table = markdownTable(rows);
  console.log(table);
  const results = {
    generatedAt: new Date().toISOString(),
    smoke: args.smoke,
    figures: [...args.only].sort(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.arch()}` },
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    rows,
  };
  writeFileSync(path.join(REPO_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const missed = rows.filter((r) => r.met === false).length;
  const unmeasured = rows.filter((r) => r.measured.startsWith('not measured')).length;
  console.log(`\n${rows.length} rows: ${rows.filter((r) => r.met === true).length} met, ${missed} missed, ${unmeasured} not measured${args.smoke ? ' (smoke sizes: targets not judged)' : ''}; ${results.durationSeconds} s; written to bench/results.json`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
