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
const GET_INVENTORY_RESULT_TYPES = ['AWS:InstanceInformation', 'AWS:PatchSummary'];
const INVENTORY_FILTER_TYPES = ['Equal', 'NotEqual', 'BeginWith', 'LessThan', 'GreaterThan', 'Exists'];

/** An SSM (JSON protocol) validation failure, worded as the service words them. */
function validation(detail: string): FakeAwsError {
  return new FakeAwsError('ValidationException', `1 validation error detected: ${detail}`);
}

function checkSsmMaxResults(maxResults: number | undefined, min: number, max: number): void {
  if (maxResults === undefined) return;
  if (maxResults < min) throw validation(`Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (maxResults > max) throw validation(`Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
}

function matchesInventoryFilter(value: string | undefined, type: string, values: string[]): boolean {
  if (type === 'NotEqual') return value === undefined || !values.includes(value);
  if (value === undefined) return false;
  if (type === 'Equal') return values.includes(value);
  if (type === 'BeginWith') return values.some((v) => value.startsWith(v));
  const numeric = (x: string) => (x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : undefined);
  return values.some((v) => {
    const [a, b] = [numeric(value), numeric(v)];
    const order = a !== undefined && b !== undefined ? a - b : value.localeCompare(v);
    return type === 'LessThan' ? order < 0 : order > 0;
  });
}

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
  /**
   * GetManagedPrefixListEntries: one list by id, MaxResults 1-100 (EC2 API reference); an unknown id
   * fails as EC2 does (InvalidPrefixListID.NotFound).
   */
  getManagedPrefixListEntries(input: PageInput & { PrefixListId?: string }) {
    const list = (this.estate.managedPrefixLists ?? []).find((l) => l.PrefixListId === input.PrefixListId);
    if (!list) throw new FakeAwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${input.PrefixListId}' does not exist`);
    const { items, NextToken } = page(list.Entries, input, 1, 100);
    return { Entries: items, ...(NextToken ? { NextToken } : {}) };
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
   * GetInventory. AWS accepts only `AWS:InstanceInformation` and `AWS:PatchSummary` as result types
   * and answers any other with InvalidResultAttributeException, message exactly as below (the live
   * service, reported in aws/aws-sdk#640 and turbot/steampipe-plugin-aws#1972; the API reference's
   * ResultAttribute page lists `AWS:InstanceInformation` as the valid value:
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ResultAttribute.html).
   * Rows of AWS:Application and Custom:* types come from ListInventoryEntries, one instance a call.
   * Other limits: at most 5 filters, 40 values a filter, MaxResults 1-50, one ResultAttributes entry.
   */
  getInventory(input: { Filters?: Array<{ Key?: string; Values?: string[]; Type?: string }>; ResultAttributes?: Array<{ TypeName?: string }>; MaxResults?: number; NextToken?: string }) {
    if ((input.ResultAttributes ?? []).length > 1) throw new FakeAwsError('ValidationException', "1 validation error detected: Value at 'resultAttributes' failed to satisfy constraint: Member must have length less than or equal to 1");
    const typeName = input.ResultAttributes?.[0]?.TypeName ?? 'AWS:InstanceInformation';
    if (!GET_INVENTORY_RESULT_TYPES.includes(typeName)) throw new FakeAwsError('InvalidResultAttributeException', `Result type name ${typeName} is not supported. Supported type names are: ${GET_INVENTORY_RESULT_TYPES.join(', ')}`);
    checkSsmMaxResults(input.MaxResults, 1, 50);
    const managed = this.managedInstanceIds();
    let ids = managed;
    for (const filter of input.Filters ?? []) {
      if ((filter.Values ?? []).length > 40) throw new FakeAwsError('ValidationException', "1 validation error detected: Value at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 40");
      if (filter.Key !== 'AWS:InstanceInformation.InstanceId' || (filter.Type ?? 'Equal') !== 'Equal') throw new FakeAwsError('InvalidFilter', `filter ${filter.Key} ${filter.Type} is not supported by this fake`);
      const wanted = new Set(filter.Values);
      ids = ids.filter((id) => wanted.has(id));
    }
    const entities = ids.map((Id) => {
      const data = typeName === 'AWS:InstanceInformation' ? this.instanceInformationData(Id) : this.estate.ssm.Entities.find((e) => e.Id === Id)?.Data?.[typeName];
      return { Id, Data: data ? { [typeName]: structuredClone(data) } : {} };
    });
    const { items, NextToken } = page(entities, input, 1, 50);
    return { Entities: items, ...(NextToken ? { NextToken } : {}) };
  }

  /**
   * ListInventoryEntries: the rows of one type on one managed instance, with the API reference's
   * request limits (InstanceId and TypeName required with their patterns, MaxResults 1-50, 1-5
   * filters of 1-40 values, filter types Equal / NotEqual / BeginWith / LessThan / GreaterThan).
   * What the reference leaves open, and this fake assumes (docs/collectors.md):
   * - an instance SSM does not manage is refused with InvalidInstanceId (one of the operation's
   *   documented errors: "SSM Agent isn't registered with the SSM endpoint");
   * - an instance with no inventory of the type gets no rows and no CaptureTime / SchemaVersion
   *   (the collector reads that as "no inventory", never as "nothing installed");
   * - filter keys are `<TypeName>.<Attribute>` (as GetInventory's), anything else is InvalidFilter;
   *   `Exists` is refused (the reference: it "must be used with aggregators");
   * - BeginWith and Equal compare case-sensitively; values of one filter are alternatives, filters
   *   all apply.
   * (Tests make it refuse filters with a FakeAws fault rule, for the collector's fallback.)
   */
  listInventoryEntries(input: { InstanceId?: string; TypeName?: string; Filters?: Array<{ Key?: string; Values?: string[]; Type?: string }>; MaxResults?: number; NextToken?: string }) {
    const instanceId = input.InstanceId;
    if (instanceId === undefined) throw validation("Value null at 'instanceId' failed to satisfy constraint: Member must not be null");
    if (!/(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)/.test(instanceId)) throw validation(`Value '${instanceId}' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)`);
    const typeName = input.TypeName;
    if (typeName === undefined) throw validation("Value null at 'typeName' failed to satisfy constraint: Member must not be null");
    if (typeName.length < 1 || typeName.length > 100 || !/^(AWS|Custom):.*$/.test(typeName)) throw validation(`Value '${typeName}' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(AWS|Custom):.*$`);
    checkSsmMaxResults(input.MaxResults, 1, 50);
    const filters = input.Filters;
    if (filters !== undefined && (filters.length < 1 || filters.length > 5)) throw validation(`Value at 'filters' failed to satisfy constraint: Member must have length ${filters.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 5'}`);
    for (const [i, filter] of (filters ?? []).entries()) {
      const values = filter.Values ?? [];
      if (values.length < 1 || values.length > 40) throw validation(`Value at 'filters.${i + 1}.member.values' failed to satisfy constraint: Member must have length ${values.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 40'}`);
      if (!filter.Key || filter.Key.length > 200) throw validation(`Value at 'filters.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 200`);
      if (filter.Type !== undefined && !INVENTORY_FILTER_TYPES.includes(filter.Type)) throw validation(`Value '${filter.Type}' at 'filters.${i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${INVENTORY_FILTER_TYPES.join(', ')}]`);
    }
    if (!this.managedInstanceIds().includes(instanceId)) throw new FakeAwsError('InvalidInstanceId', `Instance Id ${instanceId} is not a valid managed node.`);
    const data = typeName === 'AWS:InstanceInformation' ? this.instanceInformationData(instanceId) : this.estate.ssm.Entities.find((e) => e.Id === instanceId)?.Data?.[typeName];
    let rows: Array<Record<string, string>> = structuredClone(data?.Content ?? []);
    for (const filter of filters ?? []) {
      const prefix = `${typeName}.`;
      if (!filter.Key!.startsWith(prefix) || filter.Key!.length === prefix.length) throw new FakeAwsError('InvalidFilter', `The filter key ${filter.Key} is not valid for ${typeName}.`);
      if (filter.Type === 'Exists') throw new FakeAwsError('InvalidFilter', 'The Exists filter must be used with aggregators.');
      const attribute = filter.Key!.slice(prefix.length);
      rows = rows.filter((row) => matchesInventoryFilter(row[attribute], filter.Type ?? 'Equal', filter.Values!));
    }
    const { items, NextToken } = page(rows, input, 1, 50);
    return {
      TypeName: typeName,
      InstanceId: instanceId,
      ...(data?.SchemaVersion !== undefined ? { SchemaVersion: data.SchemaVersion } : {}),
      ...(data?.CaptureTime !== undefined ? { CaptureTime: data.CaptureTime } : {}),
      Entries: items,
      ...(NextToken ? { NextToken } : {}),
    };
  }

  private managedInstanceIds(): string[] {
    return [...new Set([...this.estate.ssm.InstanceInformationList.map((i) => i.InstanceId), ...this.estate.ssm.Entities.map((e) => e.Id)])].sort();
  }

  /** The AWS:InstanceInformation inventory of a managed instance, from its instance information. */
  private instanceInformationData(instanceId: string) {
    const info = this.estate.ssm.InstanceInformationList.find((i) => i.InstanceId === instanceId);
    if (!info) return undefined;
    const content: Record<string, string> = { InstanceId: instanceId, InstanceStatus: 'Active' };
    for (const key of ['AgentVersion', 'ComputerName', 'PlatformName', 'PlatformType', 'PlatformVersion', 'ResourceType'] as const) if (info[key] !== undefined) content[key] = String(info[key]);
    return { TypeName: 'AWS:InstanceInformation', SchemaVersion: '1.0', CaptureTime: info.LastPingDateTime?.replace(/\.\d{3}Z$/, 'Z') ?? '2026-11-25T01:30:00Z', Content: [content] };
  }
}
