/**
 * The requests the collectors send (aws-sdk-client-mock on the clients' `send`, answered by the fake
 * region): server-side filters, full page sizes, batches at the API limits, pagination followed.
 */
import { DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVolumesCommand, DescribeRouteTablesCommand, DescribeNetworkAclsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, GetInventoryCommand, ListInventoryEntriesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { collectEc2 } from '../../../lambdas/adapters/collectors/ec2-collector';
import { collectSsm } from '../../../lambdas/adapters/collectors/ssm-collector';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import type { CollectionError } from '../../../lambdas/core/snapshot/schema';
import { FakeRegion } from '../../support/aws-fakes/fake-region';
import { generateEstate } from '../../support/aws-fakes/generate-estate';

test('EC2 and SSM requests: tag and state filters, id batches at the limits, full pages, all pages read', async () => {
  const estate = generateEstate(1200).builder.target;
  const region = new FakeRegion(estate);
  const ec2 = new EC2Client({ region: 'eu-west-1' });
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const ec2Mock = mockClient(ec2);
  const ssmMock = mockClient(ssm);
  ec2Mock.on(DescribeInstancesCommand).callsFake((input) => region.describeInstances(input));
  ec2Mock.on(DescribeInstanceTypesCommand).callsFake((input) => region.describeInstanceTypes(input));
  ec2Mock.on(DescribeSubnetsCommand).callsFake((input) => region.describeSubnets(input));
  ec2Mock.on(DescribeRouteTablesCommand).callsFake((input) => region.describeRouteTables(input));
  ec2Mock.on(DescribeNetworkAclsCommand).callsFake((input) => region.describeNetworkAcls(input));
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake((input) => region.describeSecurityGroups(input));
  ec2Mock.on(DescribeVolumesCommand).callsFake((input) => region.describeVolumes(input));
  ec2Mock.on(DescribeNetworkInterfacesCommand).callsFake((input) => region.describeNetworkInterfaces(input));
  ssmMock.on(DescribeInstanceInformationCommand).callsFake((input) => region.describeInstanceInformation(input));
  ssmMock.on(ListInventoryEntriesCommand).callsFake((input) => region.listInventoryEntries(input));

  const errors: CollectionError[] = [];
  const { ec2: section, instances } = await collectEc2(ec2, DEFAULT_CONFIG.tags, errors);
  const ssmSection = await collectSsm(ssm, instances, errors);
  expect(errors).toEqual([]);

  const describeInstances = ec2Mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input);
  expect(describeInstances).toHaveLength(2); // 1,200 instances: two pages of 1,000
  // (The paginator reuses one input object across pages, so only the page count tells the pages apart.)
  expect(describeInstances[0]).toMatchObject({ Filters: [{ Name: 'tag:Role', Values: ['redis', 'outsystems-frontend'] }, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }], MaxResults: 1000 });
  expect(section.Reservations.flatMap((r) => r.Instances ?? [])).toHaveLength(1200);

  // Volumes: the region's 1,200 volumes hold the 480 Redis volumes, so they are listed unfiltered at
  // 1,000 a page; after the first page (400 found) the last 80 servers cost one batch, as a second
  // page would (listing-or-batches.ts).
  const volumes = ec2Mock.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input);
  expect(volumes).toHaveLength(2);
  expect(volumes[0]!.Filters).toBeUndefined();
  expect(volumes[1]!.Filters).toEqual([{ Name: 'attachment.instance-id', Values: expect.any(Array) }]);
  expect(volumes[1]!.Filters![0]!.Values).toHaveLength(80);
  expect(volumes.every((v) => v.MaxResults === 1000)).toBe(true);
  expect(section.Volumes).toHaveLength(480);
  // Security groups: one listing of the instances' VPCs brings the attached and referenced groups.
  const groups = ec2Mock.commandCalls(DescribeSecurityGroupsCommand).map((c) => c.args[0].input);
  expect(groups).toHaveLength(1);
  expect(groups[0]).toMatchObject({ Filters: [{ Name: 'vpc-id', Values: ['vpc-00000000000000001', 'vpc-00000000000000002', 'vpc-00000000000000003'] }], MaxResults: 1000 });
  expect(section.SecurityGroups).toHaveLength(48);
  expect(ec2Mock.commandCalls(DescribeRouteTablesCommand).every((c) => c.args[0].input.MaxResults === 100)).toBe(true);
  expect(ec2Mock.commandCalls(DescribeInstanceTypesCommand)[0]!.args[0].input).toEqual({ InstanceTypes: ['c5.large', 'm5.large', 'm5.xlarge', 'm6g.xlarge', 'm7i.xlarge', 'r6i.large'], MaxResults: 100 });

  const information = ssmMock.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
  expect(information).toHaveLength(24);
  expect(information.every((i) => i.MaxResults === 50 && i.Filters![0]!.Key === 'InstanceIds' && i.Filters![0]!.Values!.length === 50)).toBe(true);
  // Inventory: one ListInventoryEntries call per instance and type, never GetInventory. Every Redis
  // server reports its running version (Custom:RedisServer), so its packages are not read; each
  // front-end's AWS:Application rows are read filtered to OutSystems names.
  expect(ssmMock.commandCalls(GetInventoryCommand)).toHaveLength(0);
  const inventory = ssmMock.commandCalls(ListInventoryEntriesCommand).map((c) => c.args[0].input);
  const byType = (type: string) => inventory.filter((i) => i.TypeName === type);
  expect(byType('Custom:RedisServer')).toHaveLength(480);
  expect(byType('AWS:Application')).toHaveLength(720);
  expect(new Set(byType('Custom:RedisServer').map((i) => i.InstanceId)).size).toBe(480);
  expect(inventory.every((i) => i.MaxResults === 50)).toBe(true);
  expect(byType('Custom:RedisServer').every((i) => i.Filters === undefined)).toBe(true);
  expect(byType('AWS:Application').every((i) => JSON.stringify(i.Filters) === JSON.stringify([{ Key: 'AWS:Application.Name', Type: 'BeginWith', Values: ['OutSystems', 'Outsystems', 'OUTSYSTEMS', 'outsystems'] }]))).toBe(true);
  expect(ssmSection.Entities).toHaveLength(1200);
  expect(ssmSection.Entities.filter((e) => e.Data?.['Custom:RedisServer'] && !e.Data?.['AWS:Application'])).toHaveLength(480);
  expect(ssmSection.Entities.filter((e) => e.Data?.['AWS:Application'] && !e.Data?.['Custom:RedisServer'])).toHaveLength(720);
});
