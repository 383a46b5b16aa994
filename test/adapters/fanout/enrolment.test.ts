/**
 * Organization mode scans only the accounts where the reader role's StackSet has a successful stack
 * instance: the plan (pure), the list-targets handler over pages of instances and of accounts, and
 * the merge on a real DynamoDB API (dynalite, 127.0.0.1) recording the other ACTIVE accounts as
 * "not enrolled" (a number and the ids in the scan record and every report) while the scan stays
 * COMPLETE, so ScanNotComplete does not fire for them.
 */
import { CollectingPublisher } from '../../../lambdas/handlers/wiring/event-publisher';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { addEnrolledInstances, EMPTY_ENROLMENT, enrolledAccountIds, planOrganizationPage, type Enrolment } from '../../../lambdas/adapters/fanout/plan-targets';
import { TargetResultStore } from '../../../lambdas/adapters/fanout/target-result-store';
import { listTargets } from '../../../lambdas/handlers/fanout-list-targets';
import { mergeScan } from '../../../lambdas/handlers/fanout-merge';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { renderMarkdown } from '../../../lambdas/core/report/render-markdown';
import { reportJson } from '../../../lambdas/core/report/render-json';
import { compliantEstate } from '../../support/estate-builder';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table';

const SCANNER = '111122223333';
const FN_ARN = `arn:aws:lambda:eu-west-1:${SCANNER}:function:list-targets`;
const ENROLLED = '444455556666';
const FAILED_INSTANCE = '555566667777';
const NO_INSTANCE = '777788889999';

/** StackInstanceSummary items as ListStackInstances returns them (API_StackInstanceSummary). */
const INSTANCES = [
  { StackSetId: 'RedisCompliance-reader-role:8f2c', Region: 'eu-west-1', Account: ENROLLED, Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' }, OrganizationalUnitId: 'ou-ab12-cdef3456' },
  { StackSetId: 'RedisCompliance-reader-role:8f2c', Region: 'eu-west-1', Account: FAILED_INSTANCE, Status: 'OUTDATED', StatusReason: 'Role already exists', StackInstanceStatus: { DetailedStatus: 'FAILED' }, OrganizationalUnitId: 'ou-ab12-cdef3456' },
  { StackSetId: 'RedisCompliance-reader-role:8f2c', Region: 'eu-west-1', Account: '222233334444', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'RUNNING' } },
  { StackSetId: 'RedisCompliance-reader-role:8f2c', Region: 'eu-west-1', Account: '333344445555', Status: 'INOPERABLE', StackInstanceStatus: { DetailedStatus: 'INOPERABLE' } },
];
const ACCOUNTS_PAGE_1 = [
  { Id: SCANNER, State: 'ACTIVE', Name: 'scanner', Email: 'scanner@example.com' },
  { Id: ENROLLED, State: 'ACTIVE', Name: 'enrolled', Email: 'a@example.com' },
  { Id: FAILED_INSTANCE, State: 'ACTIVE', Name: 'failed', Email: 'b@example.com' },
];
const ACCOUNTS_PAGE_2 = [
  { Id: NO_INSTANCE, State: 'ACTIVE', Name: 'outside the OUs', Email: 'c@example.com' },
  { Id: '888899990000', State: 'SUSPENDED', Name: 'closed', Email: 'd@example.com' },
];

describe('planning against the reader role StackSet', () => {
  test('an account is enrolled when its stack instance is CURRENT or its last operation SUCCEEDED; failed, running or inoperable instances are not', () => {
    expect(enrolledAccountIds(INSTANCES)).toEqual([ENROLLED]);
    expect(enrolledAccountIds([{ Account: '222233334444', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } }])).toEqual(['222233334444']);
  });

  test('ACTIVE accounts without the reader role are not targets; they are listed as not enrolled (the scanner account is read with its own role)', () => {
    const enrolment = addEnrolledInstances(EMPTY_ENROLMENT, INSTANCES);
    const first = planOrganizationPage(ACCOUNTS_PAGE_1, ['eu-west-1'], enrolment, { enrolledOnly: true, ownAccountId: SCANNER });
    expect(first.targets).toEqual([{ accountId: SCANNER, region: 'eu-west-1' }, { accountId: ENROLLED, region: 'eu-west-1' }]);
    const second = planOrganizationPage(ACCOUNTS_PAGE_2, ['eu-west-1'], first.enrolment, { enrolledOnly: true, ownAccountId: SCANNER });
    expect(second.targets).toEqual([]);
    expect(second.enrolment).toEqual({ enrolled: [ENROLLED], notEnrolled: [FAILED_INSTANCE, NO_INSTANCE] });
    // Without the StackSet, every ACTIVE account is a target, as before.
    expect(planOrganizationPage(ACCOUNTS_PAGE_2, ['eu-west-1'], EMPTY_ENROLMENT, { enrolledOnly: false, ownAccountId: SCANNER }).targets).toEqual([{ accountId: NO_INSTANCE, region: 'eu-west-1' }]);
  });

  test('the list-targets handler folds pages of instances, then plans pages of accounts against them, as the state machine calls it', async () => {
    process.env['TARGET_SOURCE'] = 'organization';
    process.env['TARGET_REGIONS'] = 'eu-west-1';
    delete process.env['TARGET_ACCOUNTS'];
    const store = new InMemoryFindingsStore();
    const start = (await listTargets({ scanId: 'exec-0123456789abcdef', startedAt: '2030-01-01T02:00:00.000Z', input: { trigger: 'scheduled' } }, { invokedFunctionArn: FN_ARN }, store)) as { expanded: { enrolment: Enrolment } };
    expect(start.expanded).toEqual({ targets: [], enrolment: { enrolled: [], notEnrolled: [] } });
    let enrolment = start.expanded.enrolment;
    for (const page of [INSTANCES.slice(0, 2), INSTANCES.slice(2)]) {
      enrolment = (await listTargets({ scanId: 'scan-x', enrolment, instances: page }, { invokedFunctionArn: FN_ARN }, store)) as Enrolment;
    }
    expect(enrolment).toEqual({ enrolled: [ENROLLED], notEnrolled: [] });
    const targets = [];
    for (const accounts of [ACCOUNTS_PAGE_1, ACCOUNTS_PAGE_2]) {
      const planned = (await listTargets({ scanId: 'scan-x', startedAt: '2030-01-01T02:00:00.000Z', accounts, enrolment, enrolledOnly: true }, { invokedFunctionArn: FN_ARN }, store)) as { targets: unknown[]; enrolment: Enrolment };
      targets.push(...planned.targets);
      enrolment = planned.enrolment;
    }
    expect(targets).toEqual([{ accountId: SCANNER, region: 'eu-west-1' }, { accountId: ENROLLED, region: 'eu-west-1' }]);
    expect(enrolment.notEnrolled).toEqual([FAILED_INSTANCE, NO_INSTANCE]);
  });
});

describe('the merged scan with accounts not enrolled', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('enrolment');
  });
  afterAll(async () => table.drop());

  test('records them (number and ids) in the scan and the reports, not as capture errors: the scan is COMPLETE', async () => {
    const store = new TargetResultStore(table.documentClient, table.tableName);
    const target = { ...compliantEstate().snapshot().targets[0]!, accountId: ENROLLED };
    const scanId = 'scan-20300101T020000Z-enrolment';
    await store.putTarget(scanId, target, 2000000000);
    const findings = new InMemoryFindingsStore();
    const publisher = new CollectingPublisher();
    const outcome = await mergeScan(
      { scanId, startedAt: '2030-01-01T02:00:00.000Z', trigger: 'scheduled', notEnrolled: [NO_INSTANCE, FAILED_INSTANCE] },
      store,
      { store: findings, publisher, clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: { capture: async () => { throw new Error('the merge never captures'); } } },
    );
    expect(outcome.status).toBe('COMPLETE');
    expect(publisher.events).toEqual([{ scanId, status: 'COMPLETE' }]);
    const scan = (await findings.getScan(scanId))!;
    expect(scan.status).toBe('COMPLETE');
    expect(scan.errors).toEqual([]);
    expect(scan.targets).toEqual([{ accountId: ENROLLED, region: target.region }]);
    expect(scan.notEnrolled).toEqual([FAILED_INSTANCE, NO_INSTANCE]);

    const model = buildReportModel({ scan, findings: (await findings.listFindings(scanId)).items, changes: { new: [], resolved: [] }, suppressions: [], trend: [], now: new Date('2030-01-01T02:06:00.000Z'), compared: false });
    const markdown = renderMarkdown(model);
    expect(markdown).toContain('## Accounts not enrolled (2)');
    expect(markdown).toContain(`\`${FAILED_INSTANCE}\`, \`${NO_INSTANCE}\``);
    expect(markdown).not.toContain('## Scan errors');
    const html = renderHtml(model);
    expect(html).toMatch(/<section id="not-enrolled"><h2>Accounts not enrolled \(2\)<\/h2>/);
    expect(html).toContain(NO_INSTANCE);
    expect(html).not.toContain('id="scan-errors"');
    expect((reportJson(model) as { scan: { notEnrolled: string[]; errors: unknown[] } }).scan).toMatchObject({ notEnrolled: [FAILED_INSTANCE, NO_INSTANCE], errors: [] });
  });
});
