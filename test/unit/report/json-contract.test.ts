/**
 * One JSON contract for findings (docs/report-json.schema.json, format redis-compliance/report@1):
 * `scan --format json`, run-local's report.json and the API's GET /reports/latest?format=json all
 * give it, and all validate against the schema.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../cli/program';
import { renderJson, REPORT_JSON_FORMAT } from '../../../lambdas/core/report/render-json';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { renderReport } from '../../../lambdas/handlers/wiring/report-response';
import { capturedCliIo } from '../../support/captured-cli-io';
import { checkJsonSchema } from '../../support/json-schema-check';
import { HOSTILE_VALUES, hostileInput, sampleInput } from '../../support/report-fixtures';

const schema = JSON.parse(readFileSync('docs/report-json.schema.json', 'utf8')) as Record<string, unknown>;
const SAMPLE = 'examples/estate.sample.json';

describe('the JSON schema checker', () => {
  const good = JSON.parse(renderJson(buildReportModel(sampleInput()))) as Record<string, unknown>;

  it('accepts a report', () => {
    expect(checkJsonSchema(schema, good)).toEqual([]);
  });

  it('names a missing key, an extra key, a wrong type, a value outside its enum and a wrong format marker', () => {
    const { generatedAt: _gone, ...missing } = good;
    expect(checkJsonSchema(schema, missing)).toEqual([': misses required generatedAt']);
    expect(checkJsonSchema(schema, { ...good, extra: 1 })).toEqual(['/extra: is not allowed']);
    const findings = good.findings as Array<Record<string, unknown>>;
    expect(checkJsonSchema(schema, { ...good, findings: [{ ...findings[0], production: 'yes' }] })).toEqual(['/findings/0/production: is string, expected boolean']);
    expect(checkJsonSchema(schema, { ...good, findings: [{ ...findings[0], status: 'OK' }] })).toEqual([expect.stringMatching(/^\/findings\/0\/status: "OK" is not one of/)]);
    expect(checkJsonSchema(schema, { ...good, format: 'redis-compliance/report@2' })).toEqual([expect.stringMatching(/^\/format: is "redis-compliance\/report@2"/)]);
  });
});

describe('redis-compliance/report@1', () => {
  it('is what report.json holds, hostile values included', () => {
    for (const value of Object.values(HOSTILE_VALUES)) expect(checkJsonSchema(schema, JSON.parse(renderJson(buildReportModel(hostileInput(value)))))).toEqual([]);
  });

  it('is what the API answers for ?format=json', () => {
    const model = buildReportModel(sampleInput());
    const response = renderReport('json', model, model.scan.scanId);
    const body = JSON.parse(response.body) as { format: string };
    expect(body.format).toBe(REPORT_JSON_FORMAT);
    expect(checkJsonSchema(schema, body)).toEqual([]);
  });

  it('is what `scan --format json` prints', async () => {
    const t = capturedCliIo();
    expect(await runCli(['scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json'], t.io)).toBe(0);
    const body = JSON.parse(t.out()) as { format: string; findings: unknown[] };
    expect(body.format).toBe(REPORT_JSON_FORMAT);
    expect(body.findings.length).toBeGreaterThan(100);
    expect(checkJsonSchema(schema, body)).toEqual([]);
  });

  it('is what run-local writes to report.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'json-contract-'));
    try {
      const t = capturedCliIo();
      expect(await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db')], t.io)).toBe(0);
      expect(checkJsonSchema(schema, JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
