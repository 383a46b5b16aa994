/** What every benchmark figure reports: one or more rows of measured value, target and verdict. */

export interface FigureRow {
  /** Figure number and what it measures, e.g. `3. evaluation time, 100k Redis servers`. */
  figure: string;
  /** The measured figure as printed, or `not measured: <reason>`. */
  measured: string;
  target: string;
  /** true/false: target met or not; null: not measured, or a smoke run (targets apply to full sizes). */
  met: boolean | null;
  /** The raw numbers behind the row, for bench/results.json. */
  data?: Record<string, unknown>;
}

export interface BenchOptions {
  /** Tiny sizes, for CI-like runs: figures are printed, targets are not judged. */
  smoke: boolean;
}

export interface Figure {
  /** `1` .. `8`. */
  id: string;
  /** Short name usable with --only, e.g. `api-calls`. */
  name: string;
  run(options: BenchOptions): Promise<FigureRow[]>;
}

export function notMeasured(figure: string, target: string, reason: string): FigureRow {
  return { figure, measured: `not measured: ${reason}`, target, met: null };
}

/** A target verdict that a smoke run never claims. */
export function verdict(options: BenchOptions, met: boolean): boolean | null {
  return options.smoke ? null : met;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(0)} kB`;
}

/** "1k", "10k", "100k" for sizes in labels. */
export function sizeLabel(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
