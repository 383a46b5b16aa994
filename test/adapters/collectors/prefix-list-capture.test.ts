/**
 * The collector reads the entries of every managed prefix list a collected security group or route
 * table names (GetManagedPrefixListEntries, paged at 100, counted in apiCalls), against the EC2 fake
 * answering in the API's own shape; a list it cannot read is recorded with its id and left out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { evaluateSnapshotFile, writeSnapshotFile } from '../../../lambdas/adapters/snapshots/snapshot-file';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { compliantEstate, REDIS_SG, tcpPermission } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError } from '../../support/aws-fakes/fake-region';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

const GROUP_LIST = 'pl-0corporate000001';
const ROUTE_LIST = 'pl-0onpremises00001';
const entries = Array.from({ length: 150 }, (_, i) => ({ Cidr: `10.${100 + Math.floor(i / 100)}.${i % 100}.0/24`, Description: `office ${i}` }));

function estate() {
  return compliantEstate().mutate((t) => {
    t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions!.push(tcpPermission(22, 22, { prefixListIds: [GROUP_LIST] }));
    t.ec2.RouteTables[0]!.Routes!.push({ DestinationPrefixListId: ROUTE_LIST, TransitGatewayId: 'tgw-0onprem0000000001', State: 'active', Origin: 'CreateRoute' });
    t.managedPrefixLists = [{ PrefixListId: GROUP_LIST, Entries: entries }, { PrefixListId: ROUTE_LIST, Entries: [{ Cidr: '172.16.0.0/12' }] }];
  });
}

const publicIngress = (snapshot: Awaited<ReturnType<typeof captureEstate>>) => evaluateSnapshot(snapshot).findings.find((f) => f.ruleId === 'security-group.no-public-ingress' && f.resourceId === REDIS_SG)!;

test('reads every page of every list a group or route names, and judges them', async () => {
  const fake = new FakeAws().add(estate().target);
  const snapshot = await captureEstate({ regions: ['eu-west-1'], ...fakeClientOptions(fake) });
  const target = snapshot.targets[0]!;
  expect(target.errors).toEqual([]);
  expect(target.managedPrefixLists).toEqual([{ PrefixListId: GROUP_LIST, Entries: entries }, { PrefixListId: ROUTE_LIST, Entries: [{ Cidr: '172.16.0.0/12' }] }]);
  expect(target.apiCalls!['ec2:GetManagedPrefixListEntries']).toBe(3);
  expect(fake.calls.filter((c) => c.operation === 'GetManagedPrefixListEntries').map((c) => [c.input.PrefixListId, c.input.MaxResults])).toEqual([[GROUP_LIST, 100], [GROUP_LIST, 100], [ROUTE_LIST, 100]]);
  expect(publicIngress(snapshot).status).toBe('PASS');
});

test('a list that cannot be read is an error naming it, is left out, and leaves the group UNKNOWN', async () => {
  const fake = new FakeAws().add(estate().target);
  fake.faults.push((call) => (call.operation === 'GetManagedPrefixListEntries' && call.input.PrefixListId === GROUP_LIST ? new FakeAwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403) : undefined));
  const snapshot = await captureEstate({ regions: ['eu-west-1'], ...fakeClientOptions(fake) });
  const target = snapshot.targets[0]!;
  expect(target.errors).toEqual([expect.objectContaining({ service: 'ec2', operation: 'GetManagedPrefixListEntries', code: 'UnauthorizedOperation', message: expect.stringContaining(`prefix list ${GROUP_LIST}: `) })]);
  expect(target.managedPrefixLists!.map((l) => l.PrefixListId)).toEqual([ROUTE_LIST]);
  expect(publicIngress(snapshot).status).toBe('UNKNOWN');
});

test('a snapshot file with prefix lists is read back (streamed) with the same findings', async () => {
  const snapshot = await captureEstate({ regions: ['eu-west-1'], ...fakeClientOptions(new FakeAws().add(estate().target)) });
  const file = join(mkdtempSync(join(tmpdir(), 'prefix-lists-')), 'estate.json');
  await writeSnapshotFile(file, snapshot);
  const now = () => new Date('2026-11-25T03:00:00.000Z');
  expect((await evaluateSnapshotFile(file, { now })).findings).toEqual(evaluateSnapshot(snapshot, { now }).findings);
});
