/**
 * The terminal table: every cell cut to MAX_CELL_CHARACTERS with an ellipsis and wrapped to its
 * column, so every line of the table has the same width whatever the findings say; the json
 * format keeps the full text.
 */
import { renderResult } from '../../../cli/output-formats';
import { displayWidth, ELLIPSIS, MAX_CELL_CHARACTERS, truncateCell, wrapCell } from '../../../cli/table-cell';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { waiveScanResult } from '../../../lambdas/core/suppressions/waive-scan-result';
import { parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { SAMPLE_TEXT } from '../../fixtures/hostile/make-hostile-snapshots';

/** Terminal columns of a line of the table (here: CJK characters take two, everything else one). */
const columns = (line: string) => [...line].reduce((sum, char) => sum + (/\p{Script=Han}/u.test(char) ? 2 : 1), 0);

const NOW = new Date('2026-11-25T03:00:00Z');

function sampleResult() {
  const snapshot = parseSnapshot(SAMPLE_TEXT, 'estate.json');
  for (const reservation of snapshot.targets[0]!.ec2.Reservations) {
    for (const instance of reservation.Instances ?? []) {
      for (const tag of instance.Tags ?? []) if (tag.Key === 'Name') tag.Value = `${'n'.repeat(100)} ${'中'.repeat(60)} ${'x'.repeat(94)}`;
    }
  }
  const result = waiveScanResult(evaluateSnapshot(snapshot, { now: () => NOW }), [], NOW, 'table-test');
  const long = result.findings.find((f) => f.status === 'FAIL')!;
  long.observed = `${'observed '.repeat(600)}END-OF-OBSERVED`;
  return { result, long };
}

describe('the terminal table', () => {
  it('cuts a long cell with an ellipsis, keeps every line the same width, and leaves the full text to json', () => {
    const { result, long } = sampleResult();
    const table = renderResult(result, 'table', { color: false, width: 160, all: false });
    const grid = table.split('\n').filter((line) => /^[│┌├└]/.test(line));
    expect(grid.length).toBeGreaterThan(10);
    const widths = new Set(grid.map(columns));
    expect([...widths]).toEqual([columns(grid[0]!)]);
    expect(table).not.toContain('END-OF-OBSERVED');
    expect(table).toContain('…');
    expect(renderResult(result, 'json', { color: false, width: 160, all: false })).toContain(long.observed);
  });
});

describe('table cells', () => {
  it('cut text over the limit to exactly the limit, ending in an ellipsis, and leave shorter text alone', () => {
    expect(truncateCell('a'.repeat(MAX_CELL_CHARACTERS))).toBe('a'.repeat(MAX_CELL_CHARACTERS));
    const cut = truncateCell('a'.repeat(MAX_CELL_CHARACTERS + 1));
    expect(cut).toHaveLength(MAX_CELL_CHARACTERS);
    expect(cut.endsWith(ELLIPSIS)).toBe(true);
  });

  it('wrap at spaces, break words longer than the column, and pad every line to the column width', () => {
    const lines = wrapCell(`short words here ${'w'.repeat(25)} 中文中文中文中文 end`, 10);
    for (const line of lines) expect(displayWidth(line)).toBe(10);
    expect(lines.map((l) => l.trimEnd())).toEqual(['short', 'words here', 'wwwwwwwwww', 'wwwwwwwwww', 'wwwww', '中文中文中', '文中文 end']);
  });
});
