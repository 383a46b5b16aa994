/**
 * One fake AWS region of one account: answers EC2 and SSM describe calls over an estate held in the
 * snapshot (= SDK output) shapes, with the real APIs' filters, paging and request limits. Requests
 * beyond a limit fail the way AWS fails them, so a collector that asks too much breaks its tests.
 */
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { INSTANCE_TYPES } from '../instance-types';

export class FakeAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Item = Record<string, any>;
interface FilterInput {
  Name?: string;
  Values?: string[];
}
export interface PageInput {
  Filters?: FilterInput[];
  MaxResults?: number;
  NextToken?: string;
}

const EC2_FILTER_VALUE_LIMIT = 200;

function tagsOf(item: Item): Array<{ Key?: string; Value?: string }> {
  return item.Tags ?? item.TagSet ?? [];
}

function page<T>(items: T[], input: PageInput, min: number, max: number): { items: T[]; NextToken?: string } {
  const size = input.MaxResults ?? max;
  if (!Number.isInteger(size) || size < min || size > max) throw new FakeAwsError('InvalidParameterValue', `Value (${size}) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`);
  const start = input.NextToken ? Number(input.NextToken) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new FakeAwsError('InvalidPaginationToken', `Invalid pagination token ${input.NextToken}`);
  const end = start + size;
  return end < items.length ? { items: items.slice(start, end), NextToken: String(end) } : { items: items.slice(start) };
}

function applyFilters(items: Item[], filters: FilterInput[] | undefined, fields: Record<string, (item: Item) => Array<string | undefined>>): Item[] {
  let out = items;
  for (const filter of filters ?? []) {
    const values = filter.Values ?? [];
    if (values.length > EC2_FILTER_VALUE_LIMIT) throw new FakeAwsError('FilterLimitExceeded', `The maximum number of filter values specified on a single call is ${EC2_FILTER_VALUE_LIMIT}`);
    const name = filter.Name ?? '';
    const wanted = new Set(values);
    let read = fields[name];
    if (!read && name.startsWith('tag:')) {
      const key = name.slice(4);
      read = (item) => tagsOf(item).filter((t) => t.Key === key).map((t) => t.Value);
    }
    if (!read) throw new FakeAwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    out = out.filter((item) => read!(item).some((v) => v !== undefined && wanted.has(v)));
  }
  return out;
}

export class FakeRegion {
  constructor(readonly estate: SnapshotTarget) {}

  describeInstances(input: PageInput) {
    const instances = this.estate.ec2.Reservations.flatMap((r) => (r.Instances ?? []).map((i) => ({ reservation: r, instance: i as Item })));
    const matched = applyFilters(
      instances.map((x) => ({ ...x.instance, __reservation: x.reservation })),
      input.Filters,
      { 'instance-state-name': (i) => [i.State?.Name], 'instance-id': (i) => [i.InstanceId], 'subnet-id': (i) => [i.SubnetId], 'vpc-id': (i) => [i.VpcId] },
    );
    const { items, NextToken } = page(matched, input, 5, 1000);
    const reservations: Item[] = [];
    for (const { __reservation: r, ...instance } of items) {
      const last = reservations.at(-1);
      if (last && last.ReservationId === r.ReservationId) last.Instances.push(instance);
      else reservations.push({ ...r, Instances: [instance] });
    }
    return { Reservations: reservations, ...(NextToken ? { NextToken } : {}) };
  }

  describeInstanceTypes(input: PageInput & { InstanceTypes?: string[] }) {
    const names = input.InstanceTypes ?? [];
    if (names.length > 100) throw new FakeAwsError('InvalidParameterValue', 'The maximum number of instance types is 100');
    const catalog = INSTANCE_TYPES as Record<string, Item>;
    const unknown = names.filter((n) => !catalog[n]);
    if (unknown.length) throw new FakeAwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`);
    const { items, NextToken } = page(applyFilters(names.map((n) => structuredClone(catalog[n]!)), input.Filters, {}), input, 5, 100);
    return { InstanceTypes: items, ...(NextToken ? { NextToken } : {}) };
  }

  private list(key: string, all: Item[], input: PageInput, max: number, fields: Record<string, (item: Item) => Array<string | undefined>>) {
    const { items, NextToken } = page(applyFilters(all, input.Filters, fields), input, 5, max);
    return { [key]: items, ...(NextToken ? { NextToken } : {}) };
  }

  describeSubnets(input: PageInput) {
    return this.list('Subnets', this.estate.ec2.Subnets, input, 1000, { 'subnet-id': (s) => [s.SubnetId], 'vpc-id': (s) => [s.VpcId] });
  }
  describeRouteTables(input: PageInput) {
    return this.list('RouteTables', this.estate.ec2.RouteTables, input, 100, { 'vpc-id': (t) => [t.VpcId], 'route-table-id': (t) => [t.RouteTableId], 'association.subnet-id': (t) => (t.Associations ?? []).map((a: Item) => a.SubnetId) });
  }
  describeNetworkAcls(input: PageInput) {
    return this.list('NetworkAcls', this.estate.ec2.NetworkAcls, input, 100, { 'vpc-id': (a) => [a.VpcId], 'association.subnet-id': (a) => (a.Associations ?? []).map((x: Item) => x.SubnetId) });
  }
  describeSecurityGroups(input: PageInput) {
    return this.list('SecurityGroups', this.estate.ec2.SecurityGroups, input, 1000, { 'group-id': (g) => [g.GroupId], 'vpc-id': (g) => [g.VpcId] });
  }
  describeVolumes(input: PageInput) {
    return this.list('Volumes', this.estate.ec2.Volumes, input, 1000, { 'attachment.instance-id': (v) => (v.Attachments ?? []).map((a: Item) => a.InstanceId), 'volume-id': (v) => [v.VolumeId] });
  }
  describeNetworkInterfaces(input: PageInput) {
    return this.list('NetworkInterfaces', this.estate.ec2.NetworkInterfaces, input, 1000, { 'subnet-id': (n) => [n.SubnetId], 'vpc-id': (n) => [n.VpcId] });
  }

  describeInstanceInformation(input: { Filters?: Array<{ Key?: string; Values?: string[] }>; MaxResults?: number; NextToken?: string }) {
    let all: Item[] = this.estate.ssm.InstanceInformationList;
    for (const filter of input.Filters ?? []) {
      if (filter.Key !== 'InstanceIds') throw new FakeAwsError('InvalidFilterKey', `filter key ${filter.Key} is not supported here`);
      if ((filter.Values ?? []).length > 100) throw new FakeAwsError('ValidationException', 'Member must have length less than or equal to 100');
      const wanted = new Set(filter.Values);
      all = all.filter((i) => wanted.has(i.InstanceId));
    }
    const { items, NextToken } = page(all, input, 5, 50);
    return { InstanceInformationList: items, ...(NextToken ? { NextToken } : {}) };
  }

  /**
   * KNOWN GAP, not AWS behaviour: this fake answers `ResultAttributes` with any type name, but AWS
   * documents a single valid value, `AWS:InstanceInformation` (API reference, ResultAttribute:
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ResultAttribute.html), and the
   * service rejects other types, `AWS:Application` included, with InvalidResultAttributeException
   * "Supported type names are: AWS:InstanceInformation, AWS:PatchSummary" (reported against the live
   * service in turbot/steampipe-plugin-aws#1972 and aws/aws-sdk#640, 2023; still open). Rows of
   * AWS:Application and Custom:* types come from ListInventoryEntries, one instance a call. Making
   * this fake reject them would fail every capture's inventory until the SSM collector is redesigned,
   * which changes issue 3's budget: see docs/collectors.md, "Known gap". Limits that do hold: at most
   * 5 filters, 40 values a filter, MaxResults 1-50, one ResultAttributes entry.
   */
  getInventory(input: { Filters?: Array<{ Key?: string; Values?: string[]; Type?: string }>; ResultAttributes?: Array<{ TypeName?: string }>; MaxResults?: number; NextToken?: string }) {
    if ((input.ResultAttributes ?? []).length > 1) throw new FakeAwsError('ValidationException', "1 validation error detected: Value at 'resultAttributes' failed to satisfy constraint: Member must have length less than or equal to 1");
    const typeName = input.ResultAttributes?.[0]?.TypeName ?? 'AWS:InstanceInformation';
    const managed = [...new Set([...this.estate.ssm.InstanceInformationList.map((i) => i.InstanceId), ...this.estate.ssm.Entities.map((e) => e.Id)])].sort();
    let ids = managed;
    for (const filter of input.Filters ?? []) {
      if ((filter.Values ?? []).length > 40) throw new FakeAwsError('ValidationException', "1 validation error detected: Value at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 40");
      if (filter.Key !== 'AWS:InstanceInformation.InstanceId' || (filter.Type ?? 'Equal') !== 'Equal') throw new FakeAwsError('InvalidFilter', `filter ${filter.Key} ${filter.Type} is not supported by this fake`);
      const wanted = new Set(filter.Values);
      ids = ids.filter((id) => wanted.has(id));
    }
    const entities = ids.map((Id) => {
      const data = this.estate.ssm.Entities.find((e) => e.Id === Id)?.Data?.[typeName];
      return { Id, Data: data ? { [typeName]: structuredClone(data) } : {} };
    });
    const { items, NextToken } = page(entities, input, 1, 50);
    return { Entities: items, ...(NextToken ? { NextToken } : {}) };
  }
}
