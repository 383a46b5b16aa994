/**
 * The scan core with the exporters on: each scan's findings go to Security Hub (the scanner's
 * account directly, a member account skipped without an import role) and its changes become
 * `Redis Compliance Finding Changed` events; SDK clients answered by aws-sdk-client-mock.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { securityHubClients } from '../../lambdas/adapters/securityhub/security-hub-clients';
import { SecurityHubImporter } from '../../lambdas/adapters/securityhub/security-hub-importer';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { ConfigSchema } from '../../lambdas/core/config';
import type { FindingChangedDetail } from '../../lambdas/core/export/finding-change-event';
import { parseSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { runScan } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { FindingEventsExporter, findingExportersFromEnv, SecurityHubExporter } from '../../lambdas/handlers/wiring/finding-exports';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { captureLogs } from '../support/lambda-events';

const hub = mockClient(SecurityHubClient);
const bus = mockClient(EventBridgeClient);
const sample = parseSnapshot(readFileSync('examples/estate.sample.json', 'utf8'), 'examples/estate.sample.json');
const accounts = [...new Set(sample.targets.map((t) => t.accountId))];
const noDelay = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 };

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  hub.reset();
  bus.reset();
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
  bus.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) }));
  logs = captureLogs();
});
afterEach(() => logs.restore());

function deps(store: InMemoryFindingsStore, scanId: string) {
  return {
    store,
    snapshots: fixedSnapshotSource(sample),
    publisher: new CollectingPublisher(),
    clock: { now: () => new Date(scanId === 'scan-1' ? '2026-11-25T02:00:00Z' : '2026-11-26T02:00:00Z') },
    config: ConfigSchema.parse({}),
    newScanId: () => scanId,
    exporters: [
      new SecurityHubExporter(new SecurityHubImporter(securityHubClients({ scannerAccountId: accounts[0]! }), noDelay)),
      new FindingEventsExporter(new EventBridgeClient({ region: 'eu-west-1' }), 'scanner-bus'),
    ],
  };
}

it('imports the scanner account\'s findings, reports the member account as skipped, and publishes one event per new failure', async () => {
  expect(accounts.length).toBeGreaterThan(1);
  const store = new InMemoryFindingsStore();
  const outcome = await runScan({ trigger: 'cli' }, deps(store, 'scan-1'));
  const imported = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings!);
  const events = bus.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!);
  const stored = (await store.listFindings('scan-1', { limit: 10_000 })).items;

  expect(imported.length).toBe(stored.filter((f) => f.accountId === accounts[0]).length);
  expect(new Set(imported.map((f) => f.AwsAccountId))).toEqual(new Set([accounts[0]]));
  const hubReport = outcome.exports!.find((r) => r.exporter === 'securityHub')!;
  expect(hubReport.ok).toBe(false);
  expect(hubReport.summary).toMatchObject({ total: stored.length, imported: imported.length, skipped: stored.length - imported.length, failed: 0 });
  expect(hubReport.problems.join('\n')).toContain('no member role for Security Hub import');

  expect(outcome.newFailures).toBeGreaterThan(0);
  expect(events).toHaveLength(outcome.newFailures);
  expect(events.every((e) => e.DetailType === 'Redis Compliance Finding Changed' && e.EventBusName === 'scanner-bus')).toBe(true);
  expect(new Set(events.map((e) => (JSON.parse(e.Detail!) as FindingChangedDetail).change))).toEqual(new Set(['NEW_FAILURE']));
  expect(logs.lines().some((l) => l.message === 'finding export failed')).toBe(true);

  // The next scan of the same estate: the same Security Hub Ids updated, no change events.
  hub.resetHistory();
  bus.resetHistory();
  const second = await runScan({ trigger: 'cli' }, deps(store, 'scan-2'));
  const again = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings!);
  expect(again.map((f) => f.Id).sort()).toEqual(imported.map((f) => f.Id).sort());
  expect(again.filter((f) => f.Compliance?.Status === 'FAILED').every((f) => f.FirstObservedAt === '2026-11-25T02:00:00.000Z')).toBe(true);
  expect(bus.commandCalls(PutEventsCommand)).toHaveLength(0);
  expect(second.exports!.find((r) => r.exporter === 'findingEvents')).toMatchObject({ ok: true, summary: { events: 0 } });
});

it('turns the exporters on from the environment only when asked', () => {
  expect(findingExportersFromEnv({})).toEqual([]);
  expect(findingExportersFromEnv({ SECURITY_HUB_IMPORT: 'enabled', SCANNER_ACCOUNT_ID: '111122223333', FINDING_EVENTS: 'enabled', EVENT_BUS_NAME: 'bus' }).map((e) => e.name)).toEqual(['securityHub', 'findingEvents']);
  expect(() => findingExportersFromEnv({ SECURITY_HUB_IMPORT: 'enabled' })).toThrow('environment variable SCANNER_ACCOUNT_ID is required');
});

it('the Security Hub exporter from the environment loads its client on the first import and imports like the direct one', async () => {
  const [securityHub] = findingExportersFromEnv({ SECURITY_HUB_IMPORT: 'enabled', SCANNER_ACCOUNT_ID: accounts[0]! });
  const store = new InMemoryFindingsStore();
  const outcome = await runScan({ trigger: 'cli' }, { ...deps(store, 'scan-1'), exporters: [securityHub!] });
  const imported = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings!);
  const stored = (await store.listFindings('scan-1', { limit: 10_000 })).items;
  expect(imported.length).toBeGreaterThan(0);
  expect(imported.length).toBe(stored.filter((f) => f.accountId === accounts[0]).length);
  expect(outcome.exports).toEqual([expect.objectContaining({ exporter: 'securityHub', summary: expect.objectContaining({ imported: imported.length, failed: 0 }) })]);
});

it('archives the findings of a terminated instance that always passed, and sends unchanged ones keeping their first observation', async () => {
  const store = new InMemoryFindingsStore();
  await runScan({ trigger: 'cli' }, deps(store, 'scan-1'));
  const first = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings!);
  const stored = (await store.listFindings('scan-1', { limit: 10_000 })).items.filter((f) => f.accountId === accounts[0] && f.resourceType === 'AWS::EC2::Instance');
  const byInstance = new Map<string, string[]>();
  for (const f of stored) byInstance.set(f.resourceId, [...(byInstance.get(f.resourceId) ?? []), f.ruleStatus]);
  const alwaysPassing = [...byInstance.entries()].find(([, statuses]) => statuses.every((s) => s === 'PASS'))?.[0];
  expect(alwaysPassing).toBeDefined();

  hub.resetHistory();
  const terminated = structuredClone(sample);
  for (const target of terminated.targets) for (const r of target.ec2.Reservations) r.Instances = (r.Instances ?? []).filter((i) => i.InstanceId !== alwaysPassing);
  await runScan({ trigger: 'cli' }, { ...deps(store, 'scan-2'), snapshots: fixedSnapshotSource(terminated) });
  const second = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings!);
  const gone = second.filter((f) => f.Resources?.[0]?.Id?.endsWith(`/${alwaysPassing}`));
  expect(gone.length).toBe(byInstance.get(alwaysPassing!)!.length);
  for (const f of gone) expect([f.RecordState, f.Compliance?.Status, f.Workflow?.Status]).toEqual(['ARCHIVED', 'NOT_AVAILABLE', 'RESOLVED']);
  // A finding that passed in both scans is updated, not created again: its first observation is kept.
  const passedTwice = second.filter((f) => f.Compliance?.Status === 'PASSED' && first.some((g) => g.Id === f.Id && g.Compliance?.Status === 'PASSED'));
  expect(passedTwice.length).toBeGreaterThan(0);
  for (const f of passedTwice) expect([f.FirstObservedAt, f.CreatedAt, f.UpdatedAt]).toEqual(['2026-11-25T02:00:00.000Z', '2026-11-25T02:00:00.000Z', '2026-11-26T02:00:00.000Z']);
});
