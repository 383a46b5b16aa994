/** Figure 7: minified bundle size per Lambda handler (entry and chunks), bundled as the CDK construct bundles it. */
import { bundleHandler, handlerExists, type BundledHandler } from '../bundle-handlers';
import { errorMessage, formatBytes, notMeasured, type BenchOptions, type Figure, type FigureRow } from '../figure';

const MB = 1024 * 1024;
/** The targets; the fan-out handlers capture and evaluate like scan, so scan's target applies. */
const LIMITS: Record<string, number> = { scan: 1.5 * MB, api: 1 * MB, report: 1 * MB, 'fanout-list-targets': 1.5 * MB, 'fanout-scan-target': 1.5 * MB, 'fanout-merge': 1.5 * MB };
export const MEASURED_HANDLERS = ['scan', 'api', 'report', 'fanout-list-targets', 'fanout-scan-target', 'fanout-merge'] as const;

/** Bundles shared with figure 8 (cold init loads these very files). */
export async function bundleAll(): Promise<Map<string, BundledHandler | Error>> {
  const out = new Map<string, BundledHandler | Error>();
  for (const name of MEASURED_HANDLERS) {
    if (!handlerExists(name)) {
      out.set(name, new Error(`lambdas/handlers/${name}.ts does not exist`));
      continue;
    }
    try {
      out.set(name, await bundleHandler(name));
    } catch (error) {
      out.set(name, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return out;
}

export function bundleSizeRows(options: BenchOptions, bundles: Map<string, BundledHandler | Error>): FigureRow[] {
  void options;
  const rows: FigureRow[] = [];
  for (const [name, bundle] of bundles) {
    const limit = LIMITS[name]!;
    const label = `7. bundle size (minified, ESM, node22) of ${name}`;
    const target = `<= ${(limit / MB).toFixed(1)} MB${name.startsWith('fanout') ? " (scan's)" : ''}`;
    if (bundle instanceof Error) {
      // Fan-out handlers are optional parts of the design; only the three named ones are required rows.
      if (name.startsWith('fanout') && /does not exist/.test(bundle.message)) continue;
      rows.push(notMeasured(label, target, errorMessage(bundle)));
      continue;
    }
    // Judged on everything deployed (entry and chunks); what a cold start parses is the entry and its static chunks.
    const split = bundle.chunks.length > 0 ? `: entry ${formatBytes(bundle.bytes)} + ${bundle.chunks.length} chunks; ${formatBytes(bundle.initBytes)} loaded at cold start, the rest on first use` : '';
    rows.push({
      figure: label,
      measured: `${formatBytes(bundle.totalBytes)}${split} (+ ${formatBytes(bundle.mapBytes)} entry source map)`,
      target,
      met: bundle.totalBytes <= limit,
      data: { bytes: bundle.bytes, totalBytes: bundle.totalBytes, initBytes: bundle.initBytes, chunks: bundle.chunks.length, mapBytes: bundle.mapBytes },
    });
  }
  return rows;
}

export const bundleSizeFigure: Figure = {
  id: '7',
  name: 'bundle-size',
  async run(options) {
    try {
      return bundleSizeRows(options, await bundleAll());
    } catch (error) {
      return [notMeasured('7. bundle size', 'scan <= 1.5 MB, api/report <= 1 MB', errorMessage(error))];
    }
  },
};
