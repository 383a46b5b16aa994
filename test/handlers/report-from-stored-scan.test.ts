/**
 * The report of a stored scan (dynalite) against the report built from every finding in memory,
 * as the report used to be built (buildReportModel over all of the scan's findings, the changes from
 * diffFindings over both scans' every finding): every format byte for byte, and the report Lambda
 * never holds a PASS or NOT_APPLICABLE finding in full, of this scan or of the previous one.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import type { FindingsStore } from '../../lambdas/adapters/store/findings-store';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { diffFindings } from '../../lambdas/core/finding-states';
import type { ScanRecord, StoredFinding, Suppression } from '../../lambdas/core/model';
import type { Snapshot } from '../../lambdas/core/snapshot/schema';
import { renderCsv } from '../../lambdas/core/report/render-csv';
import { renderEmail } from '../../lambdas/core/report/render-email';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { renderJson } from '../../lambdas/core/report/render-json';
import { renderMarkdown } from '../../lambdas/core/report/render-markdown';
import { renderSlackMessage } from '../../lambdas/core/report/render-slack';
import { renderTextSummary } from '../../lambdas/core/report/render-text-summary';
import { buildReportModel } from '../../lambdas/core/report/report-model';
import { finishedScanRecord, runningScanRecord, trendPoint } from '../../lambdas/core/scan-record';
import { parseSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { applySuppressions } from '../../lambdas/core/suppressions/apply-suppressions';
import { runReport } from '../../lambdas/handlers/report';
import { logger } from '../../lambdas/handlers/wiring/logger';
import { reportResponse, type ApiReportFormat } from '../../lambdas/handlers/wiring/report-response';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { generateSnapshot } from '../support/estate-generator';

const PREVIOUS_AT = '2026-11-24T02:00:00.000Z';
const CURRENT_AT = '2026-11-25T02:00:00.000Z';
const NOW = new Date('2026-11-25T03:00:00.000Z');
const REPORT_URL = 'https://reports.example.com/latest.html';
const FORMATS: readonly ApiReportFormat[] = ['html', 'markdown', 'csv', 'json'];

interface StoredScan {
  scan: ScanRecord;
  findings: StoredFinding[];
}

/** A scan of `snapshot` at `at`, waivers applied, optionally altered (findings changed between scans). */
function scanOf(snapshot: Snapshot, scanId: string, at: string, waivers: readonly Suppression[], alter?: (findings: StoredFinding[]) => StoredFinding[]): StoredScan {
  const result = evaluateSnapshot(snapshot, { now: () => new Date(at) });
  let findings = applySuppressions(result.findings, waivers, new Date(at), scanId);
  if (alter) findings = alter(findings);
  return { scan: finishedScanRecord(runningScanRecord(scanId, 'scheduled', at), result, findings, at), findings };
}

/**
 * Changes between two scans: some failing pairs pass, some passing ones fail, some findings are
 * gone, and some resources renamed or rules retitled on a few findings only (which name and title
 * the passing lists show must not depend on the order findings are read in).
 */
function churn(findings: StoredFinding[]): StoredFinding[] {
  const out: StoredFinding[] = [];
  findings.forEach((original, i) => {
    if (i % 17 === 7) return;
    const f: StoredFinding = { ...original };
    if (i % 11 === 3 && (f.ruleStatus === 'FAIL' || f.ruleStatus === 'UNKNOWN')) {
      f.status = 'PASS';
      f.ruleStatus = 'PASS';
      delete f.suppression;
      delete f.waiverExpired;
    } else if (i % 13 === 5 && f.status === 'PASS') {
      f.status = 'FAIL';
      f.ruleStatus = 'FAIL';
    }
    if (i % 19 === 4) f.resourceName = `renamed-${i}`;
    if (i % 23 === 6) delete f.resourceName;
    if (i % 29 === 8) f.title = `${f.title} (variant ${i})`;
    out.push(f);
  });
  return out;
}

/** Waivers for the first few failing findings: active ones, and one that has expired. */
function waiversFor(snapshot: Snapshot): Suppression[] {
  const failing = evaluateSnapshot(snapshot, { now: () => new Date(CURRENT_AT) }).findings.filter((f) => f.status === 'FAIL' && f.severity !== 'critical');
  return failing.slice(0, 3).map((f, i) => ({
    id: `waiver-${i}`,
    ruleId: f.ruleId,
    resourcePattern: f.resourceId,
    reason: 'Accepted until the maintenance window',
    owner: 'ops',
    expiresAt: i === 2 ? '2026-11-20T00:00:00.000Z' : '2026-12-01T00:00:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
  }));
}

/** The store, recording every full finding it hands out (an outline carries no `observed`). */
function recordingStore(store: FindingsStore): { store: FindingsStore; fullFindings: StoredFinding[] } {
  const fullFindings: StoredFinding[] = [];
  const record = (value: unknown) => {
    const items = Array.isArray(value) ? value : (value as { items?: unknown[] } | undefined)?.items;
    for (const item of items ?? []) if (typeof item === 'object' && item !== null && 'observed' in item && 'status' in item) fullFindings.push(item as StoredFinding);
  };
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (key === 'listFindingStates') record((result as Array<{ finding: unknown }>).map((s) => s.finding));
        else record(result);
        return result;
      };
    },
  });
  return { store: proxy, fullFindings };
}

/** Every format rendered from the report built the old way: every finding of both scans in memory. */
async function renderedFromEveryFinding(store: FindingsStore, scanId: string, previousScanId: string | undefined, configSuppressions: Suppression[]): Promise<Record<string, string>> {
  const scan = (await store.getScan(scanId))!;
  const findings = await store.allFindings(scanId);
  const previous = previousScanId ? (await store.getScan(previousScanId))! : undefined;
  const previousFindings = previous ? await store.allFindings(previous.scanId) : [];
  const model = buildReportModel({
    scan,
    findings,
    changes: diffFindings(previousFindings, findings, scan.targets),
    suppressions: [...(await store.listSuppressions()), ...configSuppressions],
    trend: previous ? [trendPoint(previous)] : [],
    now: NOW,
    ...(scan.capturedAt ? { capturedAt: scan.capturedAt } : {}),
    compared: previous !== undefined,
    ...(previous ? { previousScanId: previous.scanId } : {}),
    trendLength: 30,
    reportUrl: REPORT_URL,
  });
  return {
    slack: JSON.stringify(renderSlackMessage(model)),
    email: JSON.stringify(renderEmail(model)),
    text: renderTextSummary(model),
    html: renderHtml(model),
    markdown: renderMarkdown(model),
    csv: renderCsv(model),
    json: renderJson(model),
  };
}

let table: TestTable;
beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(async () => {
  table = await createTestTable('report-from-stored-scan');
});
afterEach(async () => {
  await table.drop();
});

async function storeWith(scans: readonly StoredScan[], waivers: readonly Suppression[]): Promise<DynamoDbFindingsStore> {
  const store = new DynamoDbFindingsStore(table.documentClient, { tableName: table.tableName, retentionDays: 90, clock: fixedClock(NOW) });
  for (const { scan, findings } of scans) {
    await store.putScan(scan);
    await store.putFindings(scan, findings);
  }
  for (const waiver of waivers) await store.putSuppression(waiver);
  return store;
}

/** Every output of the report Lambda and the API, from the store, against the old way's. */
async function expectSameReports(store: FindingsStore, current: ScanRecord, previousScanId: string | undefined, configSuppressions: Suppression[]): Promise<void> {
  const expected = await renderedFromEveryFinding(store, current.scanId, previousScanId, configSuppressions);
  const lambda = recordingStore(store);
  const sent: string[] = [];
  const { model } = await runReport(current.scanId, {
    store: lambda.store,
    notifiers: [{ channel: 'slack', notify: async (m) => sent.push(JSON.stringify(renderSlackMessage(m))) }],
    clock: fixedClock(NOW),
    configSuppressions,
    reportUrl: REPORT_URL,
  });
  expect(sent).toEqual([expected.slack]);
  expect(JSON.stringify(renderEmail(model))).toBe(expected.email);
  expect(renderTextSummary(model)).toBe(expected.text);
  expect(renderHtml(model)).toBe(expected.html);
  // The report Lambda held no PASS / NOT_APPLICABLE finding in full, of this scan or the previous one.
  const passingHeld = lambda.fullFindings.filter((f) => f.status === 'PASS' || f.status === 'NOT_APPLICABLE');
  expect(passingHeld.map((f) => `${f.scanId} ${f.status} ${f.ruleId} ${f.resourceId}`).slice(0, 5)).toEqual([]);

  for (const format of FORMATS) {
    const response = await reportResponse(current, format, { store, now: NOW, configSuppressions, reportUrl: REPORT_URL });
    expect({ format, body: response.body }).toEqual({ format, body: expected[format] });
  }
}

describe('the report of a stored scan', () => {
  const sample = parseSnapshot(readFileSync(path.join(__dirname, '../../examples/estate.sample.json'), 'utf8'), 'examples/estate.sample.json');

  it('is the same, in every format, as the report built from every finding: the sample estate, against a previous scan that differed', async () => {
    const waivers = waiversFor(sample);
    const previous = scanOf(sample, 'scan-previous', PREVIOUS_AT, waivers, churn);
    const current = scanOf(sample, 'scan-current', CURRENT_AT, waivers);
    const store = await storeWith([previous, current], waivers.slice(0, 2));
    expect(current.findings.some((f) => f.status === 'PASS')).toBe(true);
    await expectSameReports(store, current.scan, previous.scan.scanId, waivers.slice(2));
  });

  it('is the same with no previous scan to compare with (the sample estate)', async () => {
    const current = scanOf(sample, 'scan-current', CURRENT_AT, []);
    const store = await storeWith([current], []);
    await expectSameReports(store, current.scan, undefined, []);
  });

  it('is the same on a generated estate with changes between two scans, one of the targets not covered by the later scan', async () => {
    // A seed whose estate has two targets: the later scan covers only the first, and still has
    // findings in the second (pairs failing before and passing now there are resolved).
    const seed = [...Array(50).keys()].find((s) => generateSnapshot(s, 10).targets.length === 2)!;
    const snapshot = generateSnapshot(seed, 10);
    const waivers = waiversFor(snapshot);
    const previous = scanOf(snapshot, 'scan-previous', PREVIOUS_AT, waivers);
    const current = scanOf(snapshot, 'scan-current', CURRENT_AT, waivers, churn);
    const outside = snapshot.targets[1]!;
    current.scan.targets = current.scan.targets.filter((t) => !(t.accountId === outside.accountId && t.region === outside.region));
    const store = await storeWith([previous, current], waivers);
    const expected = diffFindings(previous.findings, current.findings, current.scan.targets);
    // The case is what it claims: new failures, resolved ones, some resolved outside the covered target.
    expect(expected.new.length).toBeGreaterThan(0);
    expect(expected.resolved.length).toBeGreaterThan(0);
    expect(expected.resolved.some((f) => f.accountId === outside.accountId && f.region === outside.region)).toBe(true);
    expect(current.findings.some((f) => f.status === 'SUPPRESSED') && current.findings.some((f) => f.waiverExpired)).toBe(true);
    await expectSameReports(store, current.scan, previous.scan.scanId, []);
  });
});
