/** Inline SVG charts for the HTML report: no scripts, no external assets, every text escaped. */
import { SEVERITIES, type Severity } from '../model';
import { formatPercent } from './compliance';
import { escapeHtml } from './escaping';
import { formatDate } from './labels';
import type { ReportTrendPoint } from './report-model';
import { SEVERITY_PALETTE } from './severity-palette';


/** Horizontal bars: failing findings by severity. */
export function severityBarChart(failBySeverity: Record<Severity, number>): string {
  const width = 360;
  const rowHeight = 28;
  const labelWidth = 70;
  const countWidth = 50;
  const barSpace = width - labelWidth - countWidth;
  const max = Math.max(1, ...SEVERITIES.map((s) => failBySeverity[s]));
  const height = SEVERITIES.length * rowHeight + 8;
  const total = SEVERITIES.reduce((sum, s) => sum + failBySeverity[s], 0);
  const rows = SEVERITIES.map((severity, i) => {
    const count = failBySeverity[severity];
    const y = 4 + i * rowHeight;
    const barWidth = count === 0 ? 0 : Math.max(2, Math.round((count / max) * barSpace));
    return [
      `<text x="0" y="${y + 18}" class="chart-label">${escapeHtml(severity)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="${rowHeight - 10}" rx="3" class="chart-bar" fill="${SEVERITY_PALETTE[severity].fill}"><title>${escapeHtml(`${severity}: ${count}`)}</title></rect>`,
      `<text x="${labelWidth + barWidth + 6}" y="${y + 18}" class="chart-value">${count}</text>`,
    ].join('');
  }).join('');
  return (
    `<svg class="chart" id="chart-severity" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-severity-title">` +
    `<title id="chart-severity-title">${escapeHtml(`Failing findings by severity (${total} in all)`)}</title>${rows}</svg>`
  );
}

/** The trend chart's drawing width: a 390 px phone shows it at about 336 px (page and figure padding). */
export const TREND_CHART_WIDTH = 380;

/** A line of the compliance percentage over the recent scans, oldest on the left. */
export function complianceTrendChart(points: readonly ReportTrendPoint[]): string {
  // Drawn about as wide as a phone shows it (TREND_CHART_WIDTH), so its 13 px text stays near 13 px there.
  const width = TREND_CHART_WIDTH;
  const height = 220;
  const left = 44;
  const right = 16;
  const top = 14;
  const bottom = 34;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (i: number): number => (points.length <= 1 ? left + plotWidth / 2 : left + (i / (points.length - 1)) * plotWidth);
  const y = (percent: number): number => top + (1 - percent / 100) * plotHeight;
  const grid = [0, 25, 50, 75, 100]
    .map((p) => `<line x1="${left}" x2="${width - right}" y1="${y(p)}" y2="${y(p)}" class="chart-grid"/><text x="${left - 6}" y="${y(p) + 4}" text-anchor="end" class="chart-axis">${p}%</text>`)
    .join('');
  // Scans without evaluated findings have no percentage: the line breaks there instead of dropping to 0.
  const segments: string[][] = [[]];
  points.forEach((point, i) => {
    if (point.compliancePercent === null) segments.push([]);
    else segments[segments.length - 1]!.push(`${round(x(i))},${round(y(point.compliancePercent))}`);
  });
  const lines = segments.filter((s) => s.length > 1).map((s) => `<polyline points="${s.join(' ')}" class="chart-line"/>`).join('');
  const dots = points
    .map((point, i) => {
      const label = `${point.scanId} (${formatDate(point.finishedAt)}): ${formatPercent(point.compliancePercent)}`;
      const cy = point.compliancePercent === null ? y(0) : y(point.compliancePercent);
      const cls = point.compliancePercent === null ? 'chart-dot chart-dot-none' : 'chart-dot';
      return `<circle cx="${round(x(i))}" cy="${round(cy)}" r="4" class="${cls}"><title>${escapeHtml(label)}</title></circle>`;
    })
    .join('');
  const first = points[0];
  const last = points[points.length - 1];
  const axis =
    first && last
      ? `<text x="${left}" y="${height - 10}" class="chart-axis">${escapeHtml(formatDate(first.finishedAt))}</text>` +
        (points.length > 1 ? `<text x="${width - right}" y="${height - 10}" text-anchor="end" class="chart-axis">${escapeHtml(formatDate(last.finishedAt))}</text>` : '')
      : '';
  const note = points.length < 2 ? `<text x="${left + plotWidth / 2}" y="${top + plotHeight / 2 - 12}" text-anchor="middle" class="chart-axis">A trend needs two scans or more.</text>` : '';
  return (
    `<svg class="chart" id="chart-trend" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-trend-title">` +
    `<title id="chart-trend-title">${escapeHtml(`Compliance over the last ${points.length} scan(s)`)}</title>${grid}${lines}${dots}${axis}${note}</svg>`
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
