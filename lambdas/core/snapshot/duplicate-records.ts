/**
 * Records listed twice under one id. A merged or re-paged capture can list an instance (or a
 * volume, a subnet...) twice: when both records say the same, it is one resource and is counted
 * once; when they differ, the snapshot contradicts itself and is rejected with the JSON path of
 * the second record, since no verdict built on either copy could be trusted.
 */
import type { SnapshotTarget } from './schema';

export class DuplicateRecordError extends Error {
  constructor(
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${jsonPath}: ${problem}`);
    this.name = 'DuplicateRecordError';
  }
}

/** Literal text in canonical()'s work list (values are expanded, text is written as is). */
class Text {
  constructor(readonly text: string) {}
}

/**
 * JSON text with object keys sorted, so two records that say the same compare equal whatever their
 * key order. Walks with its own stack: a record nested thousands of levels deep costs no call stack.
 */
function canonical(value: unknown): string {
  const out: string[] = [];
  const work: unknown[] = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (item instanceof Text) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      work.push(new Text(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        work.push(item[i]);
        if (i > 0) work.push(new Text(','));
      }
      work.push(new Text('['));
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      work.push(new Text('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        work.push(child);
        work.push(new Text(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`));
      }
      work.push(new Text('{'));
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

/** Whether two records of the same id say the same thing. */
export function sameRecord(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}

interface IdList {
  path: string;
  items: ReadonlyArray<object>;
  idOf: (item: never) => string;
  what: string;
}

function idLists(target: SnapshotTarget, base: string): IdList[] {
  const { ec2, ssm } = target;
  return [
    { path: `${base}.ec2.InstanceTypes`, items: ec2.InstanceTypes, idOf: (t: { InstanceType: string }) => t.InstanceType, what: 'instance type' },
    { path: `${base}.ec2.Subnets`, items: ec2.Subnets, idOf: (s: { SubnetId: string }) => s.SubnetId, what: 'subnet' },
    { path: `${base}.ec2.RouteTables`, items: ec2.RouteTables, idOf: (t: { RouteTableId: string }) => t.RouteTableId, what: 'route table' },
    { path: `${base}.ec2.SecurityGroups`, items: ec2.SecurityGroups, idOf: (g: { GroupId: string }) => g.GroupId, what: 'security group' },
    { path: `${base}.ec2.NetworkAcls`, items: ec2.NetworkAcls, idOf: (a: { NetworkAclId: string }) => a.NetworkAclId, what: 'network ACL' },
    { path: `${base}.ec2.Volumes`, items: ec2.Volumes, idOf: (v: { VolumeId: string }) => v.VolumeId, what: 'volume' },
    { path: `${base}.ec2.NetworkInterfaces`, items: ec2.NetworkInterfaces, idOf: (e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId, what: 'network interface' },
    { path: `${base}.ssm.InstanceInformationList`, items: ssm.InstanceInformationList, idOf: (i: { InstanceId: string }) => i.InstanceId, what: 'SSM instance information' },
    { path: `${base}.ssm.Entities`, items: ssm.Entities, idOf: (e: { Id: string }) => e.Id, what: 'SSM inventory entity' },
  ];
}

/** The first record of `target` that repeats an id with different contents, or undefined. `base` is the target's JSON path. */
export function findConflictingDuplicate(target: SnapshotTarget, base: string): DuplicateRecordError | undefined {
  const instances = new Map<string, unknown>();
  for (const [r, reservation] of target.ec2.Reservations.entries()) {
    for (const [i, instance] of (reservation.Instances ?? []).entries()) {
      const seen = instances.get(instance.InstanceId);
      if (seen === undefined) instances.set(instance.InstanceId, instance);
      else if (!sameRecord(seen, instance)) {
        return new DuplicateRecordError(`${base}.ec2.Reservations[${r}].Instances[${i}]`, `instance ${instance.InstanceId} is recorded twice with different contents (identical duplicates are counted once)`);
      }
    }
  }
  for (const list of idLists(target, base)) {
    const seen = new Map<string, unknown>();
    for (const [index, item] of list.items.entries()) {
      const id = (list.idOf as (item: object) => string)(item);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, item);
      else if (!sameRecord(first, item)) return new DuplicateRecordError(`${list.path}[${index}]`, `${list.what} ${id} is recorded twice with different contents (identical duplicates are counted once)`);
    }
  }
  return undefined;
}
