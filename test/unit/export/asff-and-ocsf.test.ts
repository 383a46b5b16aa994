/**
 * Every ASFF finding and OCSF event the exports produce for the sample estate (and for edge cases)
 * is checked against the SDK's AwsSecurityFinding model and against the OCSF 1.8.0 Compliance
 * Finding schema fixture; the mapping of statuses, ids, times and lifecycle is checked by value.
 */
import { readFileSync } from 'node:fs';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { asffFindingId, productArn, toAsffFinding } from '../../../lambdas/core/export/asff';
import { exportItems, type ExportItem } from '../../../lambdas/core/export/export-items';
import { toOcsfComplianceFinding } from '../../../lambdas/core/export/ocsf';
import { renderExportItems } from '../../../lambdas/core/export/render-export';
import { nextExportedPairs, type ExportedPair } from '../../../lambdas/core/export/exported-pairs';
import { nextFindingStates, type FindingState } from '../../../lambdas/core/finding-states';
import type { StoredFinding } from '../../../lambdas/core/model';
import { parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { applySuppressions } from '../../../lambdas/core/suppressions/apply-suppressions';
import { aStoredFinding } from '../../support/findings-fixture';
import { asffProblems } from './asff-model';
import { ocsfProblems, OCSF_FIXTURE } from './ocsf-validator';

const AT = '2026-11-25T02:00:00.000Z';
const sample = parseSnapshot(readFileSync('examples/estate.sample.json', 'utf8'), 'examples/estate.sample.json');
const evaluated = evaluateSnapshot(sample, { now: () => new Date(AT) });
const sampleFindings = applySuppressions(evaluated.findings, [], new Date(AT), 'scan-1');
const sampleItems = exportItems(sampleFindings, [], { scanId: 'scan-1', at: AT });

function item(overrides: Partial<StoredFinding> = {}, extra: Partial<ExportItem> = {}): ExportItem {
  return { finding: aStoredFinding('scan-1', overrides), firstObservedAt: AT, lastObservedAt: AT, updatedAt: AT, resolved: false, gone: false, ...extra };
}

describe('ASFF', () => {
  it('the sample estate gives findings of every status, each valid against the SDK model', () => {
    expect(new Set(sampleFindings.map((f) => f.status))).toEqual(new Set(['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE']));
    for (const it of sampleItems) {
      const asff = toAsffFinding(it);
      // Compile-time: our record is assignable to the SDK's type.
      const typed: AwsSecurityFinding = asff;
      expect(asffProblems(typed as unknown as Record<string, unknown>)).toEqual([]);
    }
  });

  it('the validator refuses what Security Hub would (so the check above can fail)', () => {
    const good = toAsffFinding(item()) as unknown as Record<string, unknown>;
    expect(asffProblems({ ...good, Title: 'x'.repeat(257) })).toEqual([expect.stringMatching(/^Title: longer than 256/)]);
    expect(asffProblems({ ...good, Compliance: { Status: 'UNKNOWN' } })).toEqual([expect.stringMatching(/^Compliance.Status/)]);
    expect(asffProblems({ ...good, UpdatedAt: '2026-11-25 02:00' })).toEqual([expect.stringMatching(/^UpdatedAt: not an RFC 3339/)]);
    const { GeneratorId: _g, ...noGenerator } = good;
    expect(asffProblems(noGenerator)).toEqual(expect.arrayContaining(['GeneratorId: required by the SDK model']));
    expect(asffProblems({ ...good, Resources: [] })).toEqual([expect.stringMatching(/^Resources: fewer than 1/)]);
    expect(asffProblems({ ...good, Foo: 1 })).toEqual(['Foo: not a member of AwsSecurityFinding']);
    const resource = (good.Resources as Array<Record<string, unknown>>)[0]!;
    expect(asffProblems({ ...good, Resources: [{ ...resource, Tags: { Name: '   ' } }] })).toEqual(['Resources[0].Tags.Name: does not match the NonEmptyString pattern .*\\S.*']);
  });

  it('leaves out a Name tag made of spaces (EC2 allows it; Security Hub would refuse the whole call)', () => {
    for (const name of ['   ', '\t ', '']) {
      const asff = toAsffFinding(item({ resourceName: name }));
      expect(asff.Resources[0]!.Tags).toBeUndefined();
      expect(asffProblems(asff as unknown as Record<string, unknown>)).toEqual([]);
    }
    expect(toAsffFinding(item({ resourceName: ' redis-1 ' })).Resources[0]!.Tags).toEqual({ Name: ' redis-1 ' });
  });

  it('maps one failing instance finding field by field', () => {
    const asff = toAsffFinding(item({ status: 'FAIL', ruleStatus: 'FAIL', severity: 'high' }, { firstObservedAt: '2026-11-20T02:00:00.000Z' }));
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'redis-compliance/111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      GeneratorId: 'instance.vcpu',
      AwsAccountId: '111122223333',
      Region: 'eu-west-1',
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards/OutSystems Redis Requirements'],
      FirstObservedAt: '2026-11-20T02:00:00.000Z',
      CreatedAt: '2026-11-20T02:00:00.000Z',
      LastObservedAt: AT,
      UpdatedAt: AT,
      Severity: { Label: 'HIGH', Original: 'high' },
      Compliance: { Status: 'FAILED', RelatedRequirements: ['3 dedicated or virtualized Redis servers with 3 or 4 vCPUs each (>2.6 Ghz) and 8GB of RAM'] },
      Remediation: { Recommendation: { Text: 'Change the instance type to one with 4 vCPUs, e.g. m5.xlarge.' } },
      Resources: [{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', Partition: 'aws', Region: 'eu-west-1', Tags: { Name: 'redis-prod-1' } }],
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(asff.Description).toBe('Observed: m5.large has 2 vCPUs Required: 3 or 4 vCPUs');
  });

  it.each([
    ['PASS', 'PASS', {}, 'PASSED', 'ACTIVE', 'NEW', 'INFORMATIONAL'],
    ['UNKNOWN', 'UNKNOWN', {}, 'WARNING', 'ACTIVE', 'NEW', 'HIGH'],
    ['NOT_APPLICABLE', 'NOT_APPLICABLE', {}, 'NOT_AVAILABLE', 'ARCHIVED', 'NEW', 'INFORMATIONAL'],
    ['SUPPRESSED', 'FAIL', {}, 'FAILED', 'ACTIVE', 'SUPPRESSED', 'HIGH'],
    ['PASS', 'PASS', { resolved: true }, 'PASSED', 'ARCHIVED', 'RESOLVED', 'INFORMATIONAL'],
    ['FAIL', 'FAIL', { resolved: true, gone: true }, 'NOT_AVAILABLE', 'ARCHIVED', 'RESOLVED', 'INFORMATIONAL'],
  ] as const)('status %s (rule %s, %j) -> Compliance %s, RecordState %s, Workflow %s, Severity %s', (status, ruleStatus, extra, compliance, record, workflow, label) => {
    const asff = toAsffFinding(item({ status, ruleStatus, severity: 'high' }, extra));
    expect([asff.Compliance.Status, asff.RecordState, asff.Workflow.Status, asff.Severity.Label]).toEqual([compliance, record, workflow, label]);
    expect(asffProblems(asff as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('gives subnets, security groups and clusters their resource type and id', () => {
    expect(toAsffFinding(item({ resourceType: 'AWS::EC2::Subnet', resourceId: 'subnet-0abc' })).Resources[0]).toMatchObject({ Type: 'AwsEc2Subnet', Id: 'arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0abc' });
    expect(toAsffFinding(item({ resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-0abc' })).Resources[0]).toMatchObject({ Type: 'AwsEc2SecurityGroup', Id: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0abc' });
    const cluster = toAsffFinding(item({ resourceType: 'Redis::Cluster', resourceId: '111122223333/eu-west-1/sessions', ruleId: 'cluster.size' }));
    expect(cluster.Resources[0]).toMatchObject({ Type: 'Other', Id: 'redis-cluster/111122223333/eu-west-1/sessions', Details: { Other: { cluster: 'sessions', environment: 'production', production: 'true' } } });
    expect(toAsffFinding(item({ region: 'cn-north-1' })).ProductArn).toBe('arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default');
    expect(productArn('444455556666', 'us-gov-west-1')).toBe('arn:aws-us-gov:securityhub:us-gov-west-1:444455556666:product/444455556666/default');
  });

  it('keeps every field within its limit for oversized, hostile text', () => {
    const long = '<script>"x"</script>\u{1F600}'.repeat(400);
    const asff = toAsffFinding(item({ title: long, observed: long, required: long, remediation: long, resourceName: long, requirement: long, cluster: long, resourceType: 'Redis::Cluster', resourceId: `111122223333/eu-west-1/${long.slice(0, 600)}` }));
    expect(asffProblems(asff as unknown as Record<string, unknown>)).toEqual([]);
    expect(asff.Id.length).toBeLessThanOrEqual(512);
    expect(asff.Title.endsWith('…')).toBe(true);
  });

  it('gives one stable Id per account, region, resource and rule', () => {
    const ids = sampleItems.map((i) => asffFindingId(i.finding));
    expect(new Set(ids).size).toBe(ids.length);
    expect(asffFindingId({ accountId: '1', region: 'r', resourceId: 'x', ruleId: 'instance.vcpu' })).toBe(asffFindingId({ accountId: '1', region: 'r', resourceId: 'x', ruleId: 'instance.vcpu' }));
  });
});

describe('OCSF Compliance Finding', () => {
  it(`cites the schema it validates against (${OCSF_FIXTURE.source})`, () => {
    expect(OCSF_FIXTURE.version).toBe('1.8.0');
    expect(OCSF_FIXTURE.class.uid).toBe(2003);
  });

  it('every sample finding is a valid class 2003 event', () => {
    for (const it of sampleItems) expect(ocsfProblems(toOcsfComplianceFinding(it) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('the validator refuses what the schema does not allow', () => {
    const good = toOcsfComplianceFinding(item()) as unknown as Record<string, unknown>;
    const { compliance: _c, ...noCompliance } = good;
    expect(ocsfProblems(noCompliance)).toEqual(['compliance: required']);
    expect(ocsfProblems({ ...good, finding_info: { title: 'x' } })).toEqual(['finding_info.uid: required']);
    expect(ocsfProblems({ ...good, time: AT })).toEqual([expect.stringMatching(/^time: .* is not a timestamp_t/)]);
    expect(ocsfProblems({ ...good, severity_id: 7 })).toEqual(['severity_id: 7 is not one of 0, 1, 2, 3, 4, 5, 6, 99']);
    expect(ocsfProblems({ ...good, type_uid: 200301, activity_id: 2 })).toEqual(['type_uid: 200301 is not class_uid * 100 + activity_id']);
    expect(ocsfProblems({ ...good, metadata: { ...(good.metadata as object), profiles: [] } })).toEqual([
      'cloud: belongs to the cloud profile, which metadata.profiles does not list',
      'resources[0].region: belongs to the cloud profile, which metadata.profiles does not list',
      'resources[0].cloud_partition: belongs to the cloud profile, which metadata.profiles does not list',
    ]);
    expect(ocsfProblems({ ...good, remediation: {} })).toEqual(['remediation.desc: required']);
    expect(ocsfProblems({ ...good, severityLabel: 'x' })).toEqual(['severityLabel: not an attribute of this class / object']);
    expect(ocsfProblems({ ...good, compliance: { ...(good.compliance as object), status_detail: 'x' } })).toEqual([expect.stringMatching(/^compliance.status_detail: deprecated since 1.4.0 \(Use the <code> status_details <\/code> attribute instead.\)$/)]);
  });

  it('says every compliance status with an id and uses no deprecated attribute', () => {
    const events = [...sampleItems, { ...sampleItems[0]!, gone: true }].map(toOcsfComplianceFinding);
    expect(new Set(events.map((e) => e.compliance.status_id))).toEqual(new Set([1, 2, 3, 99]));
    for (const event of events) {
      expect(event.compliance).not.toHaveProperty('status_detail');
      expect(event.compliance.status_details).toEqual([expect.any(String)]);
    }
  });

  it('maps statuses, lifecycle and times', () => {
    const fail = toOcsfComplianceFinding(item({ status: 'FAIL', ruleStatus: 'FAIL', severity: 'critical' }, { firstObservedAt: '2026-11-20T02:00:00.000Z' }));
    expect(fail).toMatchObject({
      class_uid: 2003, category_uid: 2, activity_id: 2, type_uid: 200302, severity_id: 5, status_id: 1,
      time: Date.parse(AT),
      compliance: { status_id: 3, status: 'Fail', requirements: [expect.stringContaining('3 dedicated')], control: 'instance.vcpu' },
      finding_info: { uid: 'redis-compliance/111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu', first_seen_time: Date.parse('2026-11-20T02:00:00.000Z'), last_seen_time: Date.parse(AT) },
      resources: [{ uid: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', type: 'AWS::EC2::Instance', name: 'redis-prod-1' }],
      cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '111122223333', type_id: 10 } },
      remediation: { desc: expect.stringContaining('m5.xlarge') },
    });
    expect(toOcsfComplianceFinding(item({ status: 'UNKNOWN', ruleStatus: 'UNKNOWN' })).compliance).toMatchObject({ status_id: 2, status: 'Warning' });
    expect(toOcsfComplianceFinding(item({ status: 'PASS', ruleStatus: 'PASS' })).compliance).toMatchObject({ status_id: 1, status: 'Pass' });
    const na = toOcsfComplianceFinding(item({ status: 'NOT_APPLICABLE', ruleStatus: 'NOT_APPLICABLE' }));
    expect(na.compliance).toMatchObject({ status_id: 99, status: 'Not Applicable' });
    const goneEvent = toOcsfComplianceFinding(item({ status: 'PASS', ruleStatus: 'PASS' }, { gone: true }));
    expect(goneEvent.compliance).toMatchObject({ status_id: 99, status: 'Resource Gone' });
    expect([goneEvent.activity_id, goneEvent.status_id]).toEqual([3, 4]);
    for (const event of [na, goneEvent]) expect(ocsfProblems(event as unknown as Record<string, unknown>)).toEqual([]);
    expect(toOcsfComplianceFinding(item({ status: 'SUPPRESSED', ruleStatus: 'FAIL' })).status_id).toBe(3);
    expect(toOcsfComplianceFinding(item({}, {})).activity_id).toBe(1);
    const closed = toOcsfComplianceFinding(item({ status: 'PASS', ruleStatus: 'PASS' }, { resolved: true }));
    expect([closed.activity_id, closed.type_uid, closed.status_id]).toEqual([3, 200303, 4]);
  });
});

describe('export items over three scans (states from nextFindingStates)', () => {
  const t1 = '2026-11-23T02:00:00.000Z';
  const t2 = '2026-11-24T02:00:00.000Z';
  const t3 = '2026-11-25T02:00:00.000Z';
  const targets = [{ accountId: '111122223333', region: 'eu-west-1' }];
  const failing = (scanId: string) => aStoredFinding(scanId, { status: 'FAIL', ruleStatus: 'FAIL' });
  const gone = (scanId: string) => aStoredFinding(scanId, { resourceId: 'i-0gone', status: 'FAIL', ruleStatus: 'FAIL' });

  it('new -> updated (same Id, first observation kept) -> resolved / archived, and a vanished resource archived', () => {
    const s1 = nextFindingStates([], [failing('s1'), gone('s1')], { scanId: 's1', at: t1, targets });
    const a1 = exportItems([failing('s1'), gone('s1')], s1.states, { scanId: 's1', at: t1 }).map(toAsffFinding);
    const s2 = nextFindingStates(s1.states, [failing('s2')], { scanId: 's2', at: t2, targets });
    const after2 = [...s2.states];
    const a2 = exportItems([failing('s2')], after2, { scanId: 's2', at: t2 }).map(toAsffFinding);
    const passing = aStoredFinding('s3', { status: 'PASS', ruleStatus: 'PASS' });
    const s3 = nextFindingStates(after2, [passing], { scanId: 's3', at: t3, targets });
    const a3 = exportItems([passing], s3.states, { scanId: 's3', at: t3 }).map(toAsffFinding);

    expect(a1.map((f) => [f.Id, f.RecordState, f.Compliance.Status, f.FirstObservedAt])).toEqual([
      ['redis-compliance/111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu', 'ACTIVE', 'FAILED', t1],
      ['redis-compliance/111122223333/eu-west-1/i-0gone/instance.vcpu', 'ACTIVE', 'FAILED', t1],
    ]);
    expect(a2.map((f) => [f.Id, f.RecordState, f.Compliance.Status, f.FirstObservedAt, f.UpdatedAt, f.Workflow.Status])).toEqual([
      [a1[0]!.Id, 'ACTIVE', 'FAILED', t1, t2, 'NEW'],
      [a1[1]!.Id, 'ARCHIVED', 'NOT_AVAILABLE', t1, t2, 'RESOLVED'],
    ]);
    expect(a2[1]!.LastObservedAt).toBe(t1);
    expect(a3.map((f) => [f.Id, f.RecordState, f.Compliance.Status, f.FirstObservedAt, f.UpdatedAt, f.Workflow.Status])).toEqual([
      [a1[0]!.Id, 'ARCHIVED', 'PASSED', t1, t3, 'RESOLVED'],
    ]);
    for (const f of [...a1, ...a2, ...a3]) expect(asffProblems(f as unknown as Record<string, unknown>)).toEqual([]);
  });
});

describe('export items of findings that never failed (exported pairs)', () => {
  const t1 = '2026-11-23T02:00:00.000Z';
  const t2 = '2026-11-24T02:00:00.000Z';
  const t3 = '2026-11-25T02:00:00.000Z';
  const targets = [{ accountId: '111122223333', region: 'eu-west-1' }];
  const passing = (scanId: string, resourceId = 'i-0123456789abcdef0') => aStoredFinding(scanId, { resourceId, status: 'PASS', ruleStatus: 'PASS' });
  const scanOf = (previousPairs: ExportedPair[], previousStates: FindingState[], findings: StoredFinding[], scanId: string, at: string, scanTargets = targets) => {
    const states = nextFindingStates(previousStates, findings, { scanId, at, targets: scanTargets });
    const pairs = nextExportedPairs(previousPairs, findings, { scanId, at, targets: scanTargets });
    const after = new Map(previousPairs.map((p) => [p.key, p]));
    for (const p of pairs.write) after.set(p.key, p);
    return { items: exportItems(findings, states.states, { scanId, at }, pairs), pairs: [...after.values()], states: states.states };
  };

  it('an unchanged passing finding is an Update keeping its first observation; a terminated one is archived and closed', () => {
    const s1 = scanOf([], [], [passing('s1'), passing('s1', 'i-0terminated')], 's1', t1);
    const s2 = scanOf(s1.pairs, s1.states, [passing('s2'), passing('s2', 'i-0terminated')], 's2', t2);
    const s3 = scanOf(s2.pairs, s2.states, [passing('s3')], 's3', t3);

    expect(s1.items.map(toOcsfComplianceFinding).map((e) => e.activity_id)).toEqual([1, 1]);
    const updated = s2.items.map(toOcsfComplianceFinding);
    expect(updated.map((e) => [e.activity_id, e.finding_info.created_time, e.finding_info.first_seen_time])).toEqual([[2, Date.parse(t1), Date.parse(t1)], [2, Date.parse(t1), Date.parse(t1)]]);
    expect(s2.items.map(toAsffFinding).map((f) => [f.FirstObservedAt, f.CreatedAt, f.UpdatedAt])).toEqual([[t1, t1, t2], [t1, t1, t2]]);

    const asff = s3.items.map(toAsffFinding);
    expect(asff.map((f) => [f.Resources[0]!.Id.split('/').pop(), f.RecordState, f.Compliance.Status, f.Workflow.Status])).toEqual([
      ['i-0123456789abcdef0', 'ACTIVE', 'PASSED', 'NEW'],
      ['i-0terminated', 'ARCHIVED', 'NOT_AVAILABLE', 'RESOLVED'],
    ]);
    const ocsf = s3.items.map(toOcsfComplianceFinding);
    expect(ocsf.map((e) => [e.activity_id, e.status_id, e.compliance.status_id])).toEqual([[2, 1, 1], [3, 4, 99]]);
    for (const f of asff) expect(asffProblems(f as unknown as Record<string, unknown>)).toEqual([]);
    for (const e of ocsf) expect(ocsfProblems(e as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('a resource resolved earlier and gone later is archived too; a target not scanned makes nothing gone', () => {
    const failing = aStoredFinding('s1', { status: 'FAIL', ruleStatus: 'FAIL' });
    const s1 = scanOf([], [], [failing], 's1', t1);
    const s2 = scanOf(s1.pairs, s1.states, [passing('s2')], 's2', t2);
    const elsewhere = scanOf(s2.pairs, s2.states, [], 's3', t3, [{ accountId: '111122223333', region: 'us-east-1' }]);
    expect(elsewhere.items).toEqual([]);
    const s3 = scanOf(s2.pairs, s2.states, [], 's3', t3);
    expect(s3.items.map(toAsffFinding).map((f) => [f.RecordState, f.Compliance.Status])).toEqual([['ARCHIVED', 'NOT_AVAILABLE']]);
  });
});

describe('export files', () => {
  it('are JSON arrays, one record per item', () => {
    const asff = JSON.parse(renderExportItems(sampleItems, 'asff')) as unknown[];
    const ocsf = JSON.parse(renderExportItems(sampleItems, 'ocsf')) as unknown[];
    expect(asff).toHaveLength(sampleItems.length);
    expect(ocsf).toHaveLength(sampleItems.length);
  });
});
