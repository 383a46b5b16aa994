/**
 * Child process of figure 9: `node --import tsx bench/measure-whole-scan.ts <mode> <snapshot file> <dynamodb endpoint> <table>`.
 * The DynamoDB endpoint is a dynalite the bench started on 127.0.0.1 (in the bench's own process,
 * so this process's peak RSS is the scan's or the report's alone). Modes:
 * - `seed`: what a scan meets in a running deployment: a few stored waivers that match failing
 *   findings, and the finding states of a previous scan of the same estate (nine in ten of them,
 *   so some failures are new this time). Not measured.
 * - `scan`: runScan as the scan Lambda runs it, with the file read and evaluated target by target
 *   (the fan-out merge's `evaluate` path): file -> evaluation -> waivers -> findings stored ->
 *   finding states -> scan record. Times each step by wrapping the store, counts DynamoDB requests
 *   (the collectors' counter plugin: one count per attempt), and reports the whole process's peak RSS.
 * - `seed-report`: for the report alone (no scan run): the scan's findings, waivers applied, stored
 *   as the scan stores them, and a previous scan of the same estate stored before it with one in
 *   ten of its failing findings passing (those are new in the later scan). Not measured.
 * - `report`: the report Lambda's runReport for the stored scan, with a Slack and an e-mail
 *   notifier that render and do not send (the e-mail one renders the full HTML report too, as with
 *   a report bucket).
 * Prints one JSON line.
 */
import { appendFileSync, closeSync, createReadStream, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as os from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApiCallCounter, apiCallCounterPlugin } from '../lambdas/adapters/collectors/api-call-counter';
import { evaluateSnapshotFile, readSnapshotFileTargets } from '../lambdas/adapters/snapshots/snapshot-file';
import { fixedClock } from '../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../lambdas/adapters/store/dynamodb-findings-store';
import type { FindingsStore, FindingsWrite, ResourceRef } from '../lambdas/adapters/store/findings-store';
import { InMemoryFindingsStore } from '../lambdas/adapters/store/in-memory-findings-store';
import { DEFAULT_CONFIG } from '../lambdas/core/config';
import { nextFindingStates, type FindingState, type FindingStateHead } from '../lambdas/core/finding-states';
import { findingKey, type Finding, type RuleId, type Suppression } from '../lambdas/core/model';
import { renderEmail } from '../lambdas/core/report/render-email';
import { renderHtml } from '../lambdas/core/report/render-html';
import { renderSlackMessage } from '../lambdas/core/report/render-slack';
import { finishedScanRecord, runningScanRecord } from '../lambdas/core/scan-record';
import { applySuppressions } from '../lambdas/core/suppressions/apply-suppressions';
import { runReport } from '../lambdas/handlers/report';
import { logger } from '../lambdas/handlers/wiring/logger';
import { runScan } from '../lambdas/handlers/wiring/run-scan';
import { peakRssMB } from './peak-rss';

const MB = 1024 * 1024;
export const SCAN_ID = 'scan-2026-11-25T02-00-00Z';
const PREVIOUS_SCAN_ID = 'scan-2026-11-24T02-00-00Z';
const SCAN_TIME = '2026-11-25T02:05:00.000Z';

function storeFor(endpoint: string, tableName: string, counter: ApiCallCounter): DynamoDbFindingsStore {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 10 });
  client.middlewareStack.use(apiCallCounterPlugin(counter, 'dynamodb'));
  return new DynamoDbFindingsStore(DynamoDBDocumentClient.from(client), { tableName, retentionDays: 90, clock: fixedClock(SCAN_TIME) });
}

let progressFile: string | undefined;
const startedAt = performance.now();

/** One line per step in <snapshot file>.progress, to follow a long run (and keep what it reached if stopped). */
function progress(line: string): void {
  if (progressFile) appendFileSync(progressFile, `${((performance.now() - startedAt) / 1000).toFixed(1)} s ${line}\n`);
}


/** Waivers that match some failing findings: the first failing resource of each of the first five failing rules. */
function benchWaivers(findings: readonly Finding[]): Suppression[] {
  const byRule = new Map<string, string>();
  for (const f of findings) if (f.status === 'FAIL' && !byRule.has(f.ruleId)) byRule.set(f.ruleId, f.resourceId);
  return [...byRule].slice(0, 5).map(([ruleId, resourceId], i) => ({
    id: `bench-waiver-${i}`,
    ruleId: ruleId as Suppression['ruleId'],
    // The id with its last two characters as a glob: a handful of servers each.
    resourcePattern: `${resourceId.slice(0, -2)}*`,
    reason: 'Accepted until the next maintenance window',
    owner: 'ops',
    expiresAt: '2027-06-30T00:00:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
  }));
}

/** Waivers that match some failing findings, and the previous scan's finding states (nine in ten). */
async function seed(file: string, store: FindingsStore): Promise<Record<string, unknown>> {
  const now = new Date(SCAN_TIME);
  const result = await evaluateSnapshotFile(file, { config: DEFAULT_CONFIG, now: () => now });
  const waivers = benchWaivers(result.findings);
  for (const w of waivers) await store.putSuppression(w);
  const previous = applySuppressions(result.findings, [], new Date('2026-11-24T02:05:00.000Z'), PREVIOUS_SCAN_ID);
  const targets = result.scan.targets.map(({ accountId, region }) => ({ accountId, region }));
  const { states } = nextFindingStates([], previous, { scanId: PREVIOUS_SCAN_ID, at: '2026-11-24T02:00:00.000Z', targets });
  const kept = states.filter((_, i) => i % 10 !== 9);
  await store.putFindingStates(kept);
  return { waivers: waivers.length, previousStates: kept.length, findings: result.findings.length };
}

/** The stored scan the report reads, and the previous one it compares with (see `seed-report`). */
async function seedReport(file: string, store: FindingsStore): Promise<Record<string, unknown>> {
  const now = new Date(SCAN_TIME);
  const result = await evaluateSnapshotFile(file, { config: DEFAULT_CONFIG, now: () => now });
  const waivers = benchWaivers(result.findings);
  for (const w of waivers) await store.putSuppression(w);
  const previousAt = '2026-11-24T02:00:00.000Z';
  let failing = 0;
  const earlier = result.findings.map((f) => (f.status === 'FAIL' || f.status === 'UNKNOWN') && failing++ % 10 === 9 ? { ...f, status: 'PASS' as const } : f);
  const previousFindings = applySuppressions(earlier, waivers, new Date(previousAt), PREVIOUS_SCAN_ID);
  const previous = finishedScanRecord(runningScanRecord(PREVIOUS_SCAN_ID, 'scheduled', previousAt), result, previousFindings, '2026-11-24T02:05:00.000Z');
  const findings = applySuppressions(result.findings, waivers, now, SCAN_ID);
  const scan = finishedScanRecord(runningScanRecord(SCAN_ID, 'scheduled', '2026-11-25T02:00:00.000Z'), result, findings, SCAN_TIME);
  // Both scans' findings written at once: two BatchWriteItem requests in flight.
  await Promise.all([store.putFindings(previous, previousFindings), store.putFindings(scan, findings)]);
  await store.putScan(previous);
  await store.putScan(scan);
  return { waivers: waivers.length, findings: findings.length, previousFindings: previousFindings.length, counts: scan.counts };
}

/**
 * A store that holds what the scan process would hold with DynamoDB and no more: written findings
 * and states are counted and dropped (DynamoDB keeps them, not the process); waivers and the
 * previous finding states (the seed's, handed on in a file) are read when the scan lists them.
 */
class DiscardingStore extends InMemoryFindingsStore {
  constructor(private readonly seedFile: string) {
    super();
  }
  override async putFindings(): Promise<void> {}
  override async openFindingsWrite(): Promise<FindingsWrite> {
    return { write: async () => undefined, finish: async () => undefined };
  }
  override async putFindingStates(): Promise<void> {}
  override async listSuppressions(): Promise<Suppression[]> {
    return JSON.parse(readFileSync(`${this.seedFile}.waivers.json`, 'utf8')) as Suppression[];
  }
  override async listFindingStates(): Promise<FindingState[]> {
    return readJsonLines<FindingState>(`${this.seedFile}.states.jsonl`);
  }
  /** What a DynamoDB projection returns: the states without their findings (the seed wrote them apart). */
  override async *findingStateHeadPages(): AsyncGenerator<FindingStateHead[]> {
    let page: FindingStateHead[] = [];
    for await (const line of createInterface({ input: createReadStream(`${this.seedFile}.heads.jsonl`, 'utf8'), crlfDelay: Infinity })) {
      if (line) page.push(JSON.parse(line) as FindingStateHead);
      if (page.length >= 1000) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
  override async getFindingStates(refs: ReadonlyArray<ResourceRef & { ruleId: RuleId }>): Promise<FindingState[]> {
    const wanted = new Set(refs.map((ref) => findingKey(ref)));
    return (await this.listFindingStates()).filter((state) => wanted.has(state.key));
  }
}

function writeJsonLines(file: string, records: readonly unknown[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let first = 0; first < records.length; first += 1000) writeSync(fd, records.slice(first, first + 1000).map((r) => `${JSON.stringify(r)}\n`).join(''));
  } finally {
    closeSync(fd);
  }
}

async function readJsonLines<T>(file: string): Promise<T[]> {
  const records: T[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) if (line) records.push(JSON.parse(line) as T);
  return records;
}

interface Span {
  step: string;
  start: number;
  end: number;
  /** RSS and heap in use when the call started, MB: what the scan holds at that step. */
  rssMB: number;
  heapMB: number;
}

/** The store call under way (or the last one), for the RSS sampler. */
let currentStep = 'start';

/**
 * The highest RSS seen while each store call was under way, sampled every 20 ms. A call that waits
 * on DynamoDB lets the sampler run; the pure steps between calls (the evaluation above all) do
 * not, so their peak shows up as the whole process's maxRSS only.
 */
function sampleRssByStep(): { stop(): Record<string, number> } {
  const peaks: Record<string, number> = {};
  const timer = setInterval(() => {
    const rss = Math.round(process.memoryUsage.rss() / MB);
    if (rss > (peaks[currentStep] ?? 0)) peaks[currentStep] = rss;
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}

/** The store with each call's start and end recorded, and the items each write carried. */
function timedStore(store: FindingsStore, spans: Span[], written: Record<string, number>): FindingsStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'findingStateHeadPages') return () => timedPages((value as () => AsyncIterable<unknown[]>).call(target), spans);
      return async (...args: unknown[]) => {
        const start = performance.now();
        currentStep = String(key);
        const memory = process.memoryUsage();
        progress(`${String(key)} starts: rss ${Math.round(memory.rss / MB)} MB, heap ${Math.round(memory.heapUsed / MB)} MB`);
        if (key === 'putFindings') written.findings = (written.findings ?? 0) + (args[1] as unknown[]).length;
        if (key === 'putFindingStates') written.states = (written.states ?? 0) + (args[0] as unknown[]).length;
        if (key === 'putScan') written.scanRecords = (written.scanRecords ?? 0) + 1;
        try {
          const returned = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          // The findings' write: each of its calls timed as putFindings.
          return key === 'openFindingsWrite' ? timedFindingsWrite(returned as FindingsWrite, spans, written) : returned;
        } finally {
          spans.push({ step: String(key), start, end: performance.now(), rssMB: Math.round(memory.rss / MB), heapMB: Math.round(memory.heapUsed / MB) });
        }
      };
    },
  });
}

/** The pages of a listing, the whole listing timed as one step (the pages are read as the scan asks). */
async function* timedPages<T>(pages: AsyncIterable<T[]>, spans: Span[]): AsyncGenerator<T[]> {
  const start = performance.now();
  currentStep = 'listFindingStateHeads';
  const memory = process.memoryUsage();
  progress(`listFindingStateHeads starts: rss ${Math.round(memory.rss / MB)} MB, heap ${Math.round(memory.heapUsed / MB)} MB`);
  try {
    for await (const page of pages) yield page;
  } finally {
    spans.push({ step: 'listFindingStateHeads', start, end: performance.now(), rssMB: Math.round(memory.rss / MB), heapMB: Math.round(memory.heapUsed / MB) });
  }
}

function timedFindingsWrite(write: FindingsWrite, spans: Span[], written: Record<string, number>): FindingsWrite {
  const timed = async (call: () => Promise<void>) => {
    const start = performance.now();
    currentStep = 'putFindings';
    const memory = process.memoryUsage();
    try {
      await call();
    } finally {
      spans.push({ step: 'putFindings', start, end: performance.now(), rssMB: Math.round(memory.rss / MB), heapMB: Math.round(memory.heapUsed / MB) });
    }
  };
  let first = true;
  return {
    write: (findings) => {
      if (first) progress(`putFindings starts: rss ${Math.round(process.memoryUsage.rss() / MB)} MB, heap ${Math.round(process.memoryUsage().heapUsed / MB)} MB`);
      first = false;
      written.findings = (written.findings ?? 0) + findings.length;
      return timed(() => write.write(findings));
    },
    finish: () => timed(() => write.finish()),
  };
}

/** Wall time by step: the store calls as timed, and the pure steps between them (what runScan does there). */
function stepSplit(spans: readonly Span[], started: number, ended: number): Record<string, number> {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Record<string, number> = {};
  const add = (name: string, ms: number) => (out[name] = (out[name] ?? 0) + ms);
  let cursor = started;
  // What runScan computes between two store calls, named by the call that follows. The findings
  // are stored as they are made: between two writes, the file is read, the rules run, the waivers
  // are applied and the finding states made, all counted as evaluation.
  const gapName: Record<string, string> = {
    putFindings: 'evaluate (read + rules)',
    putFindingStates: 'evaluate (read + rules)',
  };
  for (const span of sorted) {
    const gap = span.start - cursor;
    if (gap > 0) add(gapName[span.step] ?? 'other', gap);
    add(span.step === 'putScan' || span.step === 'getScan' ? 'scan record' : span.step, span.end - span.start);
    cursor = span.end;
  }
  if (ended > cursor) add('other', ended - cursor);
  return out;
}

async function scan(file: string, store: FindingsStore): Promise<Record<string, unknown>> {
  const spans: Span[] = [];
  const written: Record<string, number> = {};
  const timed = timedStore(store, spans, written);
  logger.setLogLevel('SILENT');
  const sampler = sampleRssByStep();
  const started = performance.now();
  const outcome = await runScan(
    {
      trigger: 'scheduled',
      scanId: SCAN_ID,
      // The file read as a stream, each target's findings stored as they are made.
      feed: (onTarget) => readSnapshotFileTargets(file, onTarget),
    },
    { store: timed, snapshots: { capture: () => Promise.reject(new Error('not used: the scan evaluates the file')) }, publisher: { scanCompleted: async () => undefined }, clock: fixedClock(SCAN_TIME), config: DEFAULT_CONFIG },
  );
  const ended = performance.now();
  if (outcome.status === 'FAILED') throw new Error(`the scan failed: ${JSON.stringify(outcome)}`);
  return {
    status: outcome.status,
    counts: outcome.counts,
    findings: Object.values(outcome.counts).reduce((s, n) => s + n, 0),
    newFailures: outcome.newFailures,
    resolvedFailures: outcome.resolvedFailures,
    written,
    wallMs: ended - started,
    steps: stepSplit(spans, started, ended),
    peakRssDuringStepMB: sampler.stop(),
    // The first call of each step (the findings and states are written in many calls).
    memoryAtSteps: [...spans].sort((a, b) => a.start - b.start).filter((span, i, all) => all.findIndex((s) => s.step === span.step) === i).map(({ step, rssMB, heapMB }) => ({ step, rssMB, heapMB })),
  };
}

async function report(store: FindingsStore): Promise<Record<string, unknown>> {
  logger.setLogLevel('SILENT');
  const rendered: Record<string, number> = {};
  const started = performance.now();
  const { model, outcome } = await runReport(SCAN_ID, {
    store,
    notifiers: [
      { channel: 'slack', notify: async (m) => (rendered.slackBlocks = renderSlackMessage(m).blocks.length) },
      // With a report bucket, the e-mail links the full HTML report, rendered from the same model.
      { channel: 'email', notify: async (m) => ((rendered.emailHtmlBytes = Buffer.byteLength(renderEmail(m).html)), (rendered.fullHtmlBytes = Buffer.byteLength(renderHtml(m)))) },
    ],
    clock: fixedClock('2026-11-25T02:10:00.000Z'),
    configSuppressions: [],
  });
  return { wallMs: performance.now() - started, findings: model.total, attentionFindings: model.attention.length + model.suppressed.length, delivered: outcome.delivered, failed: outcome.failed, ...rendered };
}

async function main(): Promise<void> {
  const [mode, file, endpoint, table] = process.argv.slice(2);
  if (!mode || !file || !endpoint || !table || !['seed', 'seed-report', 'scan', 'report'].includes(mode)) {
    console.error('usage: measure-whole-scan.ts seed|seed-report|scan|report <snapshot file> <dynamodb endpoint> <table>');
    process.exit(2);
  }
  progressFile = `${file}.progress`;
  const seeded = `${file}.seed`;
  progress(`${mode} begins`);
  const counter = new ApiCallCounter();
  // Endpoint `memory`: no DynamoDB, to see the scan's own memory and time (see DiscardingStore).
  const store = endpoint !== 'memory' ? storeFor(endpoint, table, counter) : mode === 'seed' ? new InMemoryFindingsStore() : new DiscardingStore(seeded);
  if (endpoint === 'memory' && mode === 'report') throw new Error('the report reads a stored scan: run it against dynalite');
  const cpu = process.cpuUsage();
  if (endpoint === 'memory' && mode === 'seed-report') throw new Error('the report reads a stored scan: seed dynalite');
  const value = mode === 'seed' ? await seed(file, store) : mode === 'seed-report' ? await seedReport(file, store) : mode === 'scan' ? await scan(file, store) : await report(store);
  if (endpoint === 'memory' && mode === 'seed') {
    // The in-memory store lives in this process: its waivers and states are handed on in files.
    writeFileSync(`${seeded}.waivers.json`, JSON.stringify(await store.listSuppressions()));
    // One record a line: the states of 100k servers with their findings are longer than a string can be.
    writeJsonLines(`${seeded}.states.jsonl`, await store.listFindingStates());
    const heads: FindingStateHead[] = [];
    for await (const page of store.findingStateHeadPages()) for (const head of page) heads.push(head);
    writeJsonLines(`${seeded}.heads.jsonl`, heads);
  }
  const used = process.cpuUsage(cpu);
  progress(`${mode} ends: peak RSS ${Math.round(peakRssMB())} MB`);
  console.log(JSON.stringify({ mode, ...value, requests: counter.total(), calls: counter.toRecord(), cpuMs: (used.user + used.system) / 1000, maxRssMB: peakRssMB(), heapAfterMB: process.memoryUsage().heapUsed / MB, loadAverage: os.loadavg() }));
}

void main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
