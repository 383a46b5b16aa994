import { CSV_HEADER, renderCsv } from '../../../lambdas/core/report/render-csv';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { parseCsv } from '../../support/csv-parse';
import { sampleInput, storedFinding } from '../../support/report-fixtures';

describe('renderCsv', () => {
  const model = buildReportModel(sampleInput());
  const csv = renderCsv(model);
  const rows = parseCsv(csv);

  it('has a header row with every Finding field and the waiver columns', () => {
    const findingFields = Object.keys(storedFinding()).filter((k) => k !== 'suppression' && k !== 'waiverExpired');
    expect(rows[0]).toEqual([...CSV_HEADER]);
    for (const field of findingFields) expect(CSV_HEADER).toContain(field);
    expect(CSV_HEADER).toEqual(expect.arrayContaining(['suppressionReason', 'suppressionOwner', 'suppressionExpiresAt', 'waiverExpiredAt']));
  });

  it('writes one CRLF-terminated row per finding, worst first', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows).toHaveLength(model.findings.length + 1);
    const column = (name: string): string[] => rows.slice(1).map((r) => r[CSV_HEADER.indexOf(name)]!);
    expect(column('status')).toEqual(model.findings.map((f) => f.status));
    expect(column('observed')).toEqual(model.findings.map((f) => f.observed));
    expect(column('remediation')).toEqual(model.findings.map((f) => f.remediation));
    expect(column('production')).toEqual(model.findings.map(() => 'true'));
  });

  it('fills the waiver columns of a suppressed finding and leaves the others empty', () => {
    const byStatus = rows.slice(1).find((r) => r[CSV_HEADER.indexOf('status')] === 'SUPPRESSED')!;
    expect(byStatus[CSV_HEADER.indexOf('ruleStatus')]).toBe('FAIL');
    expect(byStatus[CSV_HEADER.indexOf('suppressionOwner')]).toBe('platform-team@example.com');
    const passing = rows.slice(1).find((r) => r[CSV_HEADER.indexOf('status')] === 'PASS')!;
    expect(passing[CSV_HEADER.indexOf('suppressionId')]).toBe('');
  });

  it('keeps multi-line and comma values in one cell', () => {
    const m = buildReportModel(sampleInput({ findings: [storedFinding({ observed: 'line one,\r\nline "two"' })] }));
    const parsed = parseCsv(renderCsv(m));
    expect(parsed).toHaveLength(2);
    expect(parsed[1]![CSV_HEADER.indexOf('observed')]).toBe('line one,\r\nline "two"');
  });
});
