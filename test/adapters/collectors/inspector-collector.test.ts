/**
 * Inspector collector against the wire-level fake (rest-json, SigV4-signed, inspector2 paths):
 * the filters it sends, paging by nextToken, 10 instance ids a call, throttling retried and counted,
 * AccessDenied recorded once and the rule then UNKNOWN; and a whole capture carrying the section.
 */
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { ApiCallCounter } from '../../../lambdas/adapters/collectors/api-call-counter';
import { INSPECTOR_REDIS_PACKAGES, InspectorClient, collectInspector } from '../../../lambdas/adapters/collectors/inspector-collector';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import type { CollectionError } from '../../../lambdas/core/snapshot/schema';
import { ACCOUNT, REDIS_IDS, REDIS_SG, REDIS_SUBNET, REGION, compliantEstate } from '../../support/estate-builder';
import { FakeAws, fakeAccessKeyId } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError } from '../../support/aws-fakes/fake-region';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';
import { coverage, inspectorSection, redisFinding } from '../../support/inspector-section';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

const credentials = { accessKeyId: fakeAccessKeyId(ACCOUNT), secretAccessKey: 'fake-secret' };
const OLD = { epoch: 5, version: '7.0.15', release: '1~deb12u5' };

/** 23 Redis servers (3 calls of 10 ids); 130 findings on the first (two pages of 100), one on the 12th. */
function estateWithInspector() {
  const estate = compliantEstate();
  const ids: string[] = [...REDIS_IDS];
  for (let i = 0; i < 20; i++) {
    const id = `i-0ccc${String(i).padStart(13, '0')}`;
    ids.push(id);
    estate.instance({ id, subnetId: REDIS_SUBNET, privateIp: `10.0.1.${i + 40}`, securityGroupIds: [REDIS_SG], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
  }
  const findings = Array.from({ length: 130 }, (_, n) => redisFinding(ids[0]!, `CVE-2025-${String(10000 + n)}`, 'HIGH', OLD, '5:7.0.15-1~deb12u6'));
  findings.push(redisFinding(ids[11]!, 'CVE-2025-49844', 'CRITICAL', OLD, '5:7.0.15-1~deb12u6'));
  const other = redisFinding(ids[1]!, 'CVE-2025-0001', 'HIGH', OLD, '1.2');
  other.packageVulnerabilityDetails!.vulnerablePackages![0]!.name = 'openssl';
  findings.push(other);
  estate.mutate((t) => (t.inspector = inspectorSection([], findings, ids.slice(0, 22).map((id) => coverage(id)))));
  return { estate, ids };
}

test('sends the model filters, pages by nextToken, 10 ids a call, and counts every call', async () => {
  const { estate, ids } = estateWithInspector();
  const fake = new FakeAws().add(estate.target);
  const counter = new ApiCallCounter();
  const errors: CollectionError[] = [];
  const section = (await collectInspector(new InspectorClient(REGION, credentials, counter, { requestHandler: fake.requestHandler, retryDelayMs: () => 0 }), ids, errors))!;
  expect(errors).toEqual([]);
  const findingCalls = fake.calls.filter((c) => c.operation === 'ListFindings');
  expect(findingCalls.map((c) => c.input.filterCriteria.resourceId.length)).toEqual([10, 10, 10, 3]);
  expect(findingCalls[1]!.input.nextToken).toBe('page-100');
  expect(findingCalls[0]!.input).toEqual({
    filterCriteria: {
      resourceId: ids.slice(0, 10).map((value) => ({ comparison: 'EQUALS', value })),
      resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
      vulnerablePackages: INSPECTOR_REDIS_PACKAGES.map((value) => ({ name: { comparison: 'EQUALS', value } })),
    },
    maxResults: 100,
  });
  expect(fake.calls.every((c) => c.host === `inspector2.${REGION}.amazonaws.com`)).toBe(true);
  expect(section.findings).toHaveLength(131);
  expect(section.findings[0]!.firstObservedAt).toBe('2026-10-08T03:00:00.000Z');
  expect(section.coveredResources).toHaveLength(22);
  expect(counter.toRecord()).toEqual({ 'inspector2:ListCoverage': 3, 'inspector2:ListFindings': 4 });
  expect(counter.toRecord()).toEqual(fake.counts());
});

test('retries throttling (429 ThrottlingException) and counts the retries', async () => {
  const { estate, ids } = estateWithInspector();
  const fake = new FakeAws().add(estate.target);
  fake.faults.push((call) => (call.service === 'inspector2' && call.attempt === 1 ? new FakeAwsError('ThrottlingException', 'Rate exceeded', 429) : undefined));
  const counter = new ApiCallCounter();
  const errors: CollectionError[] = [];
  const section = (await collectInspector(new InspectorClient(REGION, credentials, counter, { requestHandler: fake.requestHandler, retryDelayMs: () => 0 }), ids, errors))!;
  expect(errors).toEqual([]);
  expect(section.findings).toHaveLength(131);
  expect(counter.toRecord()).toEqual({ 'inspector2:ListCoverage': 6, 'inspector2:ListFindings': 8 });
});

test('AccessDenied on ListCoverage is one error, stops that operation, and the rule says UNKNOWN (never PASS) while findings still fail', async () => {
  const { estate, ids } = estateWithInspector();
  const fake = new FakeAws().add(estate.target);
  fake.faults.push((call) => (call.operation === 'ListCoverage' ? new FakeAwsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:user/scanner is not authorized to perform: inspector2:ListCoverage', 403) : undefined));
  const snapshot = await captureEstate({ regions: [REGION], ...fakeClientOptions(fake) });
  const target = snapshot.targets[0]!;
  expect(target.errors).toEqual([{ service: 'inspector2', operation: 'ListCoverage', code: 'AccessDeniedException', message: expect.stringContaining('not authorized to perform: inspector2:ListCoverage') }]);
  expect(target.apiCalls?.['inspector2:ListCoverage']).toBe(1);
  expect(target.apiCalls?.['inspector2:ListFindings']).toBe(4);
  const findings = evaluateSnapshot(snapshot).findings.filter((f) => f.ruleId === 'redis.known-vulnerabilities');
  expect(findings.find((f) => f.resourceId === ids[0])!.status).toBe('FAIL');
  const others = findings.filter((f) => f.resourceId !== ids[0] && f.resourceId !== ids[11]);
  expect(new Set(others.map((f) => f.status))).toEqual(new Set(['UNKNOWN']));
  expect(others[0]!.observed).toContain('AccessDeniedException');
});

test('a whole capture carries the section: covered servers PASS, the uncovered one is UNKNOWN, failing ones FAIL with CVE ids', async () => {
  const { estate, ids } = estateWithInspector();
  const fake = new FakeAws().add(estate.target);
  const snapshot = await captureEstate({ regions: [REGION], ...fakeClientOptions(fake) });
  expect(snapshot.targets[0]!.errors).toEqual([]);
  const byId = new Map(evaluateSnapshot(snapshot).findings.filter((f) => f.ruleId === 'redis.known-vulnerabilities').map((f) => [f.resourceId, f]));
  expect(byId.get(ids[11]!)).toMatchObject({ status: 'FAIL', severity: 'critical' });
  expect(byId.get(ids[11]!)!.observed).toContain('CVE-2025-49844');
  expect(byId.get(ids[1]!)!.status).toBe('PASS');
  expect(byId.get(ids[22]!)!.status).toBe('UNKNOWN');
});
