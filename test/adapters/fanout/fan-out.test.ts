/**
 * The fan-out's data path on a real DynamoDB API (dynalite, 127.0.0.1): targets planned, a worker's
 * target stored in gzip chunks and read back, a failure item exactly as the state machine writes it,
 * and the merge turning the lot into one scan (PARTIAL when a worker failed).
 */
import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CollectingPublisher } from '../../../lambdas/handlers/wiring/event-publisher';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { FANOUT_KEYS } from '../../../lambdas/adapters/fanout/fanout-keys';
import { activeAccountIds, configuredTargets, crossTargets } from '../../../lambdas/adapters/fanout/plan-targets';
import { CHUNK_BYTES, TargetResultStore } from '../../../lambdas/adapters/fanout/target-result-store';
import { listTargets } from '../../../lambdas/handlers/fanout-list-targets';
import { assembleSnapshot, mergeScan } from '../../../lambdas/handlers/fanout-merge';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { generateTarget, Ids, Rng } from '../../support/estate-generator';
import { compliantEstate } from '../../support/estate-builder';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:list-targets';

describe('planning', () => {
  test('accounts x regions, de-duplicated; own account in self mode; organization pages keep ACTIVE accounts', () => {
    expect(crossTargets(['111122223333', '111122223333', '444455556666'], ['eu-west-1', 'us-east-1'])).toEqual([
      { accountId: '111122223333', region: 'eu-west-1' },
      { accountId: '111122223333', region: 'us-east-1' },
      { accountId: '444455556666', region: 'eu-west-1' },
      { accountId: '444455556666', region: 'us-east-1' },
    ]);
    expect(configuredTargets('self', [], '999988887777', ['eu-west-1'])).toEqual([{ accountId: '999988887777', region: 'eu-west-1' }]);
    expect(configuredTargets('organization', [], '999988887777', ['eu-west-1'])).toEqual([]);
    expect(activeAccountIds([{ Id: '111122223333', Status: 'ACTIVE' }, { Id: '444455556666', Status: 'SUSPENDED' }, { Id: '777788889999', State: 'ACTIVE' }, { Id: '222233334444', State: 'PENDING_CLOSURE', Status: 'ACTIVE' }]))
      .toEqual(['111122223333', '777788889999']);
  });

  test('the list-targets handler derives the scan id and expiry from the execution', async () => {
    process.env['TARGET_SOURCE'] = 'accounts';
    process.env['TARGET_REGIONS'] = 'eu-west-1';
    process.env['TARGET_ACCOUNTS'] = '444455556666';
    const start = await listTargets({ scanId: 'exec-0123456789abcdef', startedAt: '2030-01-01T02:00:00.000Z', input: { trigger: 'scheduled' } }, { invokedFunctionArn: FN_ARN }, new InMemoryFindingsStore());
    expect(start).toEqual({
      scanId: 'scan-20300101T020000Z-exec01234567',
      startedAt: '2030-01-01T02:00:00.000Z',
      trigger: 'scheduled',
      expiresAt: String(Date.parse('2030-01-01T02:00:00.000Z') / 1000 + 2 * 86400),
      targets: [{ accountId: '444455556666', region: 'eu-west-1' }],
    });
    const page = await listTargets({ scanId: 'scan-x', startedAt: '2030-01-01T02:00:00.000Z', accounts: [{ Id: '777788889999', Status: 'ACTIVE', Name: 'a', Email: 'a@example.com' }] }, { invokedFunctionArn: FN_ARN }, new InMemoryFindingsStore());
    expect(page).toEqual({ targets: [{ accountId: '777788889999', region: 'eu-west-1' }], enrolment: { enrolled: [], notEnrolled: [] } });
    await expect(listTargets({ scanId: 'x' }, { invokedFunctionArn: FN_ARN }, new InMemoryFindingsStore())).rejects.toThrow();
  });
});

describe('stored targets', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('fanout');
  });
  afterAll(async () => table.drop());

  test('a target larger than one item is split, read back identical, failures reported, then deleted', async () => {
    const store = new TargetResultStore(table.documentClient, table.tableName);
    const target = compliantEstate().snapshot().targets[0]!;
    // Incompressible tag values make the gzip larger than one chunk.
    const big = { ...target, ec2: { ...target.ec2, Subnets: [...target.ec2.Subnets, ...Array.from({ length: 60 }, (_, i) => ({ SubnetId: `subnet-${i}`, Tags: [{ Key: 'Noise', Value: randomBytes(6000).toString('base64') }] }))] } };
    const parts = await store.putTarget('scan-1', big, 2000000000);
    expect(parts).toBeGreaterThan(1);
    expect(parts).toBe(Math.ceil((await import('node:zlib')).gzipSync(JSON.stringify(big)).length / CHUNK_BYTES));
    // The state machine's Catch writes this item (lib/constructs/scan-fan-out.ts) for a worker that kept failing.
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK: FANOUT_KEYS.partition('scan-1'), SK: FANOUT_KEYS.failed('444455556666', 'us-east-1'), accountId: '444455556666', region: 'us-east-1', error: 'States.Timeout', cause: '{"Error":"States.Timeout"}', expiresAt: 2000000000 } }));
    const results = await store.readTargets('scan-1');
    expect(results.map((r) => [r.kind, r.accountId, r.region])).toEqual([
      ['captured', target.accountId, target.region],
      ['failed', '444455556666', 'us-east-1'],
    ]);
    expect(results[0]).toMatchObject({ target: big });
    await store.putTarget('scan-1', big, 2000000000); // a retried worker rewrites the same items
    expect(await store.readTargets('scan-1')).toHaveLength(2);
    await store.deleteTargets('scan-1');
    expect(await store.readTargets('scan-1')).toEqual([]);
  });

  test('the merge evaluates one scan from all targets; a failed worker makes it PARTIAL with the error recorded', async () => {
    const store = new TargetResultStore(table.documentClient, table.tableName);
    const target = compliantEstate().snapshot().targets[0]!;
    await store.putTarget('scan-20300101T020000Z-merge', target, 2000000000);
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK: FANOUT_KEYS.partition('scan-20300101T020000Z-merge'), SK: FANOUT_KEYS.failed('444455556666', 'eu-west-1'), accountId: '444455556666', region: 'eu-west-1', error: 'Lambda.Unknown', cause: 'timed out', expiresAt: 2000000000 } }));
    const findings = new InMemoryFindingsStore();
    const publisher = new CollectingPublisher();
    const outcome = await mergeScan(
      { scanId: 'scan-20300101T020000Z-merge', startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled' },
      store,
      { store: findings, publisher, clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } },
    );
    expect(outcome.status).toBe('PARTIAL');
    expect(publisher.events).toEqual([{ scanId: 'scan-20300101T020000Z-merge', status: 'PARTIAL' }]);
    const scan = await findings.getScan('scan-20300101T020000Z-merge');
    expect(JSON.stringify(scan)).toContain('ScanTarget');
    expect(await store.readTargets('scan-20300101T020000Z-merge')).toEqual([]);
  });

  test('a retried merge after the scan was stored (its targets deleted) changes nothing: same record, same findings, no second announcement', async () => {
    const scanId = 'scan-20300101T020000Z-retried';
    const store = new TargetResultStore(table.documentClient, table.tableName);
    await store.putTarget(scanId, compliantEstate().snapshot().targets[0]!, 2000000000);
    const findings = new InMemoryFindingsStore();
    const publisher = new CollectingPublisher();
    const deps = { store: findings, publisher, clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } };
    const event = { scanId, startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled' };
    const first = await mergeScan(event, store, deps);
    expect(first.status).toBe('COMPLETE');
    const record = await findings.getScan(scanId);
    const stored = await findings.allFindings(scanId);
    expect(record!.targets).toHaveLength(1);
    expect(stored.length).toBeGreaterThan(0);
    // Step Functions retries the task (the Lambda timed out after storing the scan).
    const retried = await mergeScan(event, store, { ...deps, clock: fixedClock('2030-01-01T02:20:00.000Z') });
    expect(retried).toMatchObject({ scanId, status: 'COMPLETE', counts: first.counts, alreadyStored: true });
    expect(await findings.getScan(scanId)).toEqual(record);
    expect(await findings.allFindings(scanId)).toEqual(stored);
    expect(publisher.events).toEqual([{ scanId, status: 'COMPLETE' }]);
  });

  test('a stored target that is not a valid snapshot target ends the merged scan FAILED, recorded with its path', async () => {
    const scanId = 'scan-20300101T020000Z-invalid';
    const store = new TargetResultStore(table.documentClient, table.tableName);
    const good = compliantEstate().snapshot().targets[0]!;
    await store.putTarget(scanId, good, 2000000000);
    const bad = { ...good, accountId: '999988887777', ec2: { ...good.ec2, Subnets: [{ VpcId: 'vpc-1' }] } } as unknown as typeof good;
    await store.putTarget(scanId, bad, 2000000000);
    const findings = new InMemoryFindingsStore();
    const publisher = new CollectingPublisher();
    const outcome = await mergeScan({ scanId, startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled' }, store, { store: findings, publisher, clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } });
    expect(outcome.status).toBe('FAILED');
    expect(publisher.events).toEqual([{ scanId, status: 'FAILED' }]);
    const scan = await findings.getScan(scanId);
    expect(scan!.status).toBe('FAILED');
    expect(JSON.stringify(scan!.errors)).toContain('the fan-out merge: invalid snapshot at $.targets[1].ec2.Subnets[0].SubnetId');
  });

  test('the merge reads and evaluates one stored target at a time, into the findings of the whole assembled snapshot', async () => {
    const scanId = 'scan-20300101T020000Z-bytarget';
    const ids = new Ids();
    const rng = new Rng(20261126);
    const specs: Array<[string, string]> = [['222233334444', 'us-east-1'], ['111122223333', 'eu-west-1'], ['111122223333', 'eu-central-1'], ['222233334444', 'us-east-10']];
    for (const [accountId, region] of specs) await new TargetResultStore(table.documentClient, table.tableName).putTarget(scanId, generateTarget(rng, 6, ids, accountId, region), 2000000000);
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK: FANOUT_KEYS.partition(scanId), SK: FANOUT_KEYS.failed('333344445555', 'eu-west-1'), accountId: '333344445555', region: 'eu-west-1', error: 'Lambda.Unknown', cause: 'timed out', expiresAt: 2000000000 } }));
    // What the merge did before: every target read at once, one snapshot, one evaluation.
    const all = await new TargetResultStore(table.documentClient, table.tableName).readTargets(scanId);
    expect(all.map((r) => `${r.accountId}/${r.region}`)).toEqual(['111122223333/eu-central-1', '111122223333/eu-west-1', '222233334444/us-east-1', '222233334444/us-east-10', '333344445555/eu-west-1']);
    const clock = fixedClock('2030-01-01T02:05:00.000Z');
    const expected = evaluateSnapshot(assembleSnapshot('2030-01-01T02:00:00.000Z', all), { config: DEFAULT_CONFIG, now: () => clock.now() });

    const reads: string[] = [];
    const counting = new TargetResultStore(table.documentClient, table.tableName);
    counting.readTargets = () => Promise.reject(new Error('the merge reads targets one at a time'));
    const readTarget = counting.readTarget.bind(counting);
    counting.readTarget = (id, ref) => {
      reads.push(`${ref.accountId}/${ref.region}`);
      return readTarget(id, ref);
    };
    const findings = new InMemoryFindingsStore();
    const outcome = await mergeScan({ scanId, startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled' }, counting, { store: findings, publisher: new CollectingPublisher(), clock, config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } });
    expect(reads).toEqual(all.map((r) => `${r.accountId}/${r.region}`));
    expect(outcome.status).toBe('PARTIAL');
    const facts = (f: { ruleId: string; accountId: string; region: string; resourceId: string; status: string; severity: string; observed: string; remediation: string }) =>
      JSON.stringify([f.accountId, f.region, f.resourceId, f.ruleId, f.status, f.severity, f.observed, f.remediation]);
    const stored = (await findings.allFindings(scanId)).map(facts).sort();
    expect(stored.length).toBeGreaterThan(20);
    expect(stored).toEqual(expected.findings.map(facts).sort());
    expect((await findings.getScan(scanId))!.targets).toEqual(expected.scan.targets.map(({ accountId, region }) => ({ accountId, region })));
  });
});
