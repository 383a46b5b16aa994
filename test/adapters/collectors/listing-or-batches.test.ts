/**
 * Listing or batches: the collectors read a wider listing (the region's volumes, the VPCs' groups)
 * only while it costs fewer calls than id batches. Unit cases for the decision, then captures of the
 * same tagged estate in an account of its own and in an account full of other volumes and groups:
 * the snapshot holds the same volumes and groups either way, and the call counts are the ones the
 * trade-off in docs/collectors.md states.
 */
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { keepPaging, worthListing } from '../../../lambdas/adapters/collectors/listing-or-batches';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { REGION } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

describe('keepPaging', () => {
  test.each([
    // pagesRead, wantedTotal, wantedFound, batchedCallsForRest, expected
    [1, 10000, 980, 45, true], // an account of its own: ~11 pages to go, 45 batches
    [1, 1000, 400, 3, true], // 2 pages to go, 3 batches
    [2, 1000, 800, 1, false], // 1 page to go, 1 batch: batches are certain, the estimate is not
    [1, 1000, 40, 5, false], // a shared account: ~24 pages to go
    [1, 1000, 0, 5, false], // nothing wanted on the first page: no estimate, stop
    [3, 1000, 1000, 0, false], // everything found
  ])('after %i page(s), %i wanted, %i found, %i batches for the rest: %s', (pagesRead, wantedTotal, wantedFound, batchedCallsForRest, expected) => {
    expect(keepPaging({ pagesRead, wantedTotal, wantedFound, batchedCallsForRest })).toBe(expected);
  });

  test('a listing is started only when it could beat the batches', () => {
    expect(worthListing(480, 1000, 3)).toBe(true);
    expect(worthListing(48, 1000, 1)).toBe(false);
    expect(worthListing(0, 1000, 0)).toBe(false);
  });
});

describe('the same estate in its own account and in a crowded one', () => {
  let restore: () => void;
  beforeAll(() => (restore = useFakeDefaultCredentials()));
  afterAll(() => restore());

  /** 1,200 tagged instances (480 Redis servers, 24 environments in 3 VPCs). */
  const estate = () => generateEstate(1200).builder.target;

  /** Puts 5,000 volumes of untagged instances and 3,000 groups of the first VPC ahead of the estate's own. */
  function crowd(target: SnapshotTarget): SnapshotTarget {
    const volumes = Array.from({ length: 5000 }, (_, n) => ({ VolumeId: `vol-f${String(n).padStart(16, '0')}`, Size: 8, VolumeType: 'gp3', State: 'in-use', Attachments: [{ InstanceId: `i-f${String(n).padStart(16, '0')}`, Device: '/dev/xvda', State: 'attached', VolumeId: `vol-f${String(n).padStart(16, '0')}` }] }));
    const groups = Array.from({ length: 3000 }, (_, n) => ({ GroupId: `sg-f${String(n).padStart(16, '0')}`, GroupName: `other-${n}`, VpcId: 'vpc-00000000000000001', OwnerId: target.accountId, IpPermissions: [], IpPermissionsEgress: [] }));
    target.ec2.Volumes = [...(volumes as SnapshotTarget['ec2']['Volumes']), ...target.ec2.Volumes];
    target.ec2.SecurityGroups = [...(groups as SnapshotTarget['ec2']['SecurityGroups']), ...target.ec2.SecurityGroups];
    return target;
  }

  async function capture(target: SnapshotTarget) {
    const fake = new FakeAws().add(target);
    const snapshot = await captureEstate({ regions: [REGION], ...fakeClientOptions(fake) });
    const captured = snapshot.targets[0]!;
    expect(captured.errors).toEqual([]);
    return { captured, calls: captured.apiCalls ?? {}, fake };
  }

  const ids = (items: Array<{ VolumeId?: string; GroupId?: string }>) => items.map((i) => i.VolumeId ?? i.GroupId).sort();

  test('its own account: volumes and groups come from the listings', async () => {
    const { captured, calls } = await capture(estate());
    expect(calls['ec2:DescribeVolumes']).toBe(2); // one page of 1,000, then one batch of 80 servers (3 batches alone)
    expect(calls['ec2:DescribeSecurityGroups']).toBe(1); // one listing of the 3 VPCs
    expect(captured.ec2.Volumes).toHaveLength(480);
    expect(captured.ec2.SecurityGroups).toHaveLength(48);
  });

  test('a crowded account: one listing page shows the estate is a small part, the rest comes in batches, and the snapshot is the same', async () => {
    const own = await capture(estate());
    const crowded = await capture(crowd(estate()));
    // The first page holds none of the estate's volumes or groups: reading stops there.
    expect(crowded.calls['ec2:DescribeVolumes']).toBe(1 + 3); // one listing page, then 480 servers in batches of 200
    expect(crowded.calls['ec2:DescribeSecurityGroups']).toBe(1 + 1); // one listing page, then 48 groups by id
    expect(ids(crowded.captured.ec2.Volumes)).toEqual(ids(own.captured.ec2.Volumes));
    expect(ids(crowded.captured.ec2.SecurityGroups)).toEqual(ids(own.captured.ec2.SecurityGroups));
    expect(crowded.captured.ec2.Volumes).toEqual(expect.arrayContaining(own.captured.ec2.Volumes));
    expect(crowded.captured.ec2.SecurityGroups).toEqual(expect.arrayContaining(own.captured.ec2.SecurityGroups));
    const listing = crowded.fake.calls.filter((c) => c.operation === 'DescribeVolumes');
    expect(listing[0]!.input.Filters).toBeUndefined();
    expect(listing.slice(1).map((c) => c.input.Filters[0].Values.length)).toEqual([200, 200, 80]);
  });
});
