/** The benchmark's one table, as Markdown (so docs/benchmark.md can hold it as printed). */
import type { FigureRow } from './figure';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function metLabel(met: boolean | null): string {
  return met === true ? 'yes' : met === false ? '**no**' : '-';
}

export function markdownTable(rows: readonly FigureRow[]): string {
  const lines = ['| figure | measured | target | met |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${cell(row.figure)} | ${cell(row.measured)} | ${cell(row.target)} | ${metLabel(row.met)} |`);
  return lines.join('\n');
}
