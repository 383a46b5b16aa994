/**
 * Security Hub import through the SDK client (aws-sdk-client-mock answers in BatchImportFindings'
 * response shape): batches of 100, counted; throttling retried; per-finding failures reported;
 * findings of accounts without a client skipped with the reason; nothing dropped. And the
 * lifecycle of one finding over three scans, as Security Hub receives it.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { securityHubClients } from '../../../lambdas/adapters/securityhub/security-hub-clients';
import { SecurityHubImporter } from '../../../lambdas/adapters/securityhub/security-hub-importer';
import { toAsffFinding, type AsffFinding } from '../../../lambdas/core/export/asff';
import { exportItems, statesAfterScan } from '../../../lambdas/core/export/export-items';
import { nextFindingStates, type FindingState } from '../../../lambdas/core/finding-states';
import type { StoredFinding } from '../../../lambdas/core/model';
import { aStoredFinding } from '../../support/findings-fixture';
import { asffProblems } from '../../unit/export/asff-model';

const noDelay = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 };
const hub = mockClient(SecurityHubClient);
beforeEach(() => hub.reset());

const SCANNER = '111122223333';
const clients = securityHubClients({ scannerAccountId: SCANNER });
const importer = () => new SecurityHubImporter(clients, noDelay);

function findings(count: number, overrides: Partial<StoredFinding> = {}): AsffFinding[] {
  return Array.from({ length: count }, (_, i) => toAsffFinding({
    finding: aStoredFinding('scan-1', { resourceId: `i-${String(i).padStart(17, '0')}`, ...overrides }),
    firstObservedAt: '2026-11-25T02:00:00.000Z', lastObservedAt: '2026-11-25T02:00:00.000Z', updatedAt: '2026-11-25T02:00:00.000Z', resolved: false, gone: false,
  }));
}

function sent(): AsffFinding[][] {
  return hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings as AsffFinding[]);
}

function succeedAll() {
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
}

it('sends 250 findings in calls of 100, 100 and 50 and counts them', async () => {
  succeedAll();
  const outcome = await importer().import(findings(250));
  expect(sent().map((b) => b.length)).toEqual([100, 100, 50]);
  expect(outcome).toEqual({ total: 250, imported: 250, failed: [], skipped: [], calls: 3, throttledRetries: 0 });
});

it('retries a throttled call', async () => {
  hub.on(BatchImportFindingsCommand)
    .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }))
    .callsFake((input: { Findings: AwsSecurityFinding[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
  const outcome = await importer().import(findings(3));
  expect(outcome).toMatchObject({ imported: 3, failed: [], calls: 2, throttledRetries: 1 });
});

it('reports per-finding failures, retries transient ones, and drops nothing', async () => {
  const batch = findings(5);
  hub.on(BatchImportFindingsCommand)
    .resolvesOnce({
      SuccessCount: 2,
      FailedCount: 3,
      FailedFindings: [
        { Id: batch[0]!.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding Title is too long' },
        { Id: batch[1]!.Id, ErrorCode: 'InternalException', ErrorMessage: 'try again' },
        { Id: batch[2]!.Id, ErrorCode: 'FindingSizeExceeded', ErrorMessage: 'over 240 KB' },
      ],
    })
    .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  const outcome = await importer().import(batch);
  expect(sent().map((b) => b.map((f) => f.Id))).toEqual([batch.map((f) => f.Id), [batch[1]!.Id]]);
  expect(outcome.imported).toBe(3);
  expect(outcome.failed).toEqual([
    { id: batch[0]!.Id, accountId: SCANNER, region: 'eu-west-1', errorCode: 'InvalidInput', errorMessage: 'Finding Title is too long' },
    { id: batch[2]!.Id, accountId: SCANNER, region: 'eu-west-1', errorCode: 'FindingSizeExceeded', errorMessage: 'over 240 KB' },
  ]);
  expect(outcome.imported + outcome.failed.length).toBe(outcome.total);
});

it('reports every finding of a call that keeps failing', async () => {
  hub.on(BatchImportFindingsCommand).rejects(Object.assign(new Error('Security Hub is not enabled'), { name: 'InvalidAccessException' }));
  const outcome = await importer().import(findings(3));
  expect(outcome.failed.map((f) => f.errorCode)).toEqual(['InvalidAccessException', 'InvalidAccessException', 'InvalidAccessException']);
  expect(outcome.calls).toBe(1);
});

it('sends each account and region to its own hub, and skips member accounts without an import role (with the reason)', async () => {
  succeedAll();
  const mixed = [...findings(2), ...findings(1, { region: 'us-east-1' }), ...findings(4, { accountId: '444455556666' })];
  const outcome = await importer().import(mixed);
  expect(sent().map((b) => [...new Set(b.map((f) => `${f.AwsAccountId}/${f.Region}/${f.ProductArn}`))])).toEqual([
    [`${SCANNER}/eu-west-1/arn:aws:securityhub:eu-west-1:${SCANNER}:product/${SCANNER}/default`],
    [`${SCANNER}/us-east-1/arn:aws:securityhub:us-east-1:${SCANNER}:product/${SCANNER}/default`],
  ]);
  expect(outcome.imported).toBe(3);
  expect(outcome.skipped).toEqual([{ accountId: '444455556666', region: 'eu-west-1', count: 4, reason: expect.stringContaining('no member role for Security Hub import') }]);
  expect(outcome.imported + outcome.failed.length + outcome.skipped.reduce((n, s) => n + s.count, 0)).toBe(outcome.total);
});

it('builds a client in the finding\'s region, and a member account\'s through its import role', () => {
  const made: Array<{ region: string; credentials?: unknown }> = [];
  const clientFor = securityHubClients({ scannerAccountId: SCANNER, memberRoleName: 'RedisComplianceSecurityHubImport', externalId: 'x-123', makeClient: (config) => { made.push(config); return new SecurityHubClient(config); } });
  expect('skip' in clientFor('444455556666', 'eu-west-1')).toBe(false);
  expect(clientFor(SCANNER, 'us-east-1')).toBe(clientFor(SCANNER, 'us-east-1'));
  expect(made.map((c) => [c.region, typeof c.credentials])).toEqual([['eu-west-1', 'function'], ['us-east-1', 'undefined']]);
});

describe('lifecycle over three scans: new -> updated -> resolved / archived', () => {
  const targets = [{ accountId: SCANNER, region: 'eu-west-1' }];
  const vcpu = (scanId: string, status: 'FAIL' | 'PASS') => aStoredFinding(scanId, { accountId: SCANNER, status, ruleStatus: status });
  const disk = (scanId: string) => aStoredFinding(scanId, { accountId: SCANNER, ruleId: 'instance.disk', resourceId: 'i-0removedlater000', status: 'FAIL', ruleStatus: 'FAIL' });

  async function scan(scanId: string, at: string, current: StoredFinding[], previous: FindingState[]): Promise<{ states: FindingState[]; batch: AsffFinding[] }> {
    const { states } = nextFindingStates(previous, current, { scanId, at, targets });
    const after = statesAfterScan(previous, states);
    const before = sent().length;
    await importer().import(exportItems(current, after, { scanId, at }).map(toAsffFinding));
    return { states: after, batch: sent().slice(before).flat() };
  }

  it('updates the same Security Hub finding and archives it when resolved or gone', async () => {
    succeedAll();
    const s1 = await scan('scan-1', '2026-11-23T02:00:00.000Z', [vcpu('scan-1', 'FAIL'), disk('scan-1')], []);
    const s2 = await scan('scan-2', '2026-11-24T02:00:00.000Z', [vcpu('scan-2', 'FAIL')], s1.states);
    const s3 = await scan('scan-3', '2026-11-25T02:00:00.000Z', [vcpu('scan-3', 'PASS')], s2.states);
    const view = (f: AsffFinding) => ({ Id: f.Id.split('/').slice(3).join('/'), RecordState: f.RecordState, Compliance: f.Compliance.Status, Workflow: f.Workflow.Status, FirstObservedAt: f.FirstObservedAt, UpdatedAt: f.UpdatedAt });
    expect(s1.batch.map(view)).toEqual([
      { Id: 'i-0123456789abcdef0/instance.vcpu', RecordState: 'ACTIVE', Compliance: 'FAILED', Workflow: 'NEW', FirstObservedAt: '2026-11-23T02:00:00.000Z', UpdatedAt: '2026-11-23T02:00:00.000Z' },
      { Id: 'i-0removedlater000/instance.disk', RecordState: 'ACTIVE', Compliance: 'FAILED', Workflow: 'NEW', FirstObservedAt: '2026-11-23T02:00:00.000Z', UpdatedAt: '2026-11-23T02:00:00.000Z' },
    ]);
    expect(s2.batch.map(view)).toEqual([
      { Id: 'i-0123456789abcdef0/instance.vcpu', RecordState: 'ACTIVE', Compliance: 'FAILED', Workflow: 'NEW', FirstObservedAt: '2026-11-23T02:00:00.000Z', UpdatedAt: '2026-11-24T02:00:00.000Z' },
      { Id: 'i-0removedlater000/instance.disk', RecordState: 'ARCHIVED', Compliance: 'NOT_AVAILABLE', Workflow: 'RESOLVED', FirstObservedAt: '2026-11-23T02:00:00.000Z', UpdatedAt: '2026-11-24T02:00:00.000Z' },
    ]);
    expect(s3.batch.map(view)).toEqual([
      { Id: 'i-0123456789abcdef0/instance.vcpu', RecordState: 'ARCHIVED', Compliance: 'PASSED', Workflow: 'RESOLVED', FirstObservedAt: '2026-11-23T02:00:00.000Z', UpdatedAt: '2026-11-25T02:00:00.000Z' },
    ]);
    for (const f of sent().flat()) expect(asffProblems(f as unknown as Record<string, unknown>)).toEqual([]);
  });
});
