/**
 * `scan --format asff|ocsf` and `run-local` (npm start) write Security Hub and OCSF files that the
 * validators accept, through the real CLI program.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { capturedCliIo } from '../support/captured-cli-io';
import { asffProblems } from '../unit/export/asff-model';
import { ocsfProblems } from '../unit/export/ocsf-validator';

const SAMPLE = 'examples/estate.sample.json';

const io = capturedCliIo;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  ['asff', asffProblems],
  ['ocsf', ocsfProblems],
] as const)('scan --format %s prints a JSON array of valid records', async (format, problems) => {
  const t = io();
  const code = await runCli(['scan', '--snapshot', SAMPLE, '--allow-partial', '--format', format], t.io);
  expect(code).toBe(0);
  const records = JSON.parse(t.out()) as Array<Record<string, unknown>>;
  expect(records.length).toBeGreaterThan(50);
  for (const record of records) expect(problems(record)).toEqual([]);
});

it('run-local writes findings.asff.json and findings.ocsf.json beside the reports', async () => {
  const t = io();
  const code = await runCli(['run-local', '--snapshot', SAMPLE, '--out', dir, '--local-db', join(dir, 'db')], t.io);
  expect(t.err()).toBe('');
  expect(code).toBe(0);
  const asff = JSON.parse(readFileSync(join(dir, 'findings.asff.json'), 'utf8')) as Array<Record<string, unknown>>;
  const ocsf = JSON.parse(readFileSync(join(dir, 'findings.ocsf.json'), 'utf8')) as Array<Record<string, unknown>>;
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: unknown[] };
  expect(asff).toHaveLength(report.findings.length);
  expect(ocsf).toHaveLength(report.findings.length);
  for (const record of asff) expect(asffProblems(record)).toEqual([]);
  for (const record of ocsf) expect(ocsfProblems(record)).toEqual([]);
  expect(asff.filter((f) => (f.Compliance as { Status: string }).Status === 'FAILED').length).toBeGreaterThan(0);
  expect(t.out()).toContain('findings.asff.json');
}, 60_000);
