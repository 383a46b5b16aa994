import { isReportFormat, renderReport, REPORT_CONTENT_TYPES, REPORT_FORMATS } from '../../../lambdas/core/report/render-format';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { sampleInput } from '../../support/report-fixtures';

describe('renderReport', () => {
  const model = buildReportModel(sampleInput());

  it.each(REPORT_FORMATS)('renders %s', (format) => {
    const out = renderReport(model, format);
    const start = { json: '{', csv: 'scanId,', markdown: '# Redis compliance report', html: '<!doctype html>' }[format];
    expect(out.startsWith(start)).toBe(true);
    expect(REPORT_CONTENT_TYPES[format]).toMatch(/charset=utf-8/);
  });

  it('recognises only the known formats', () => {
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat('pdf')).toBe(false);
    expect(isReportFormat(undefined)).toBe(false);
  });
});
