/**
 * Properties every verdict must keep on any estate, checked on generated AWS-shaped estates
 * (test/support/estate-generator.ts). fast-check prints the failing { seed, size } and the run's
 * seed; `generateSnapshot(seed, size)` rebuilds the estate exactly.
 *
 * Runs per property: set per property below; ten times as many: `PROPERTY_RUNS_FACTOR=10 npx jest test/properties`.
 * To replay a failure: FC_SEED=<seed> (and FC_PATH=<path>) from the report.
 */
import * as fc from 'fast-check';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { groupKey } from '../../lambdas/core/estate/group-key';
import type { Finding } from '../../lambdas/core/model';
import { cidrContainsIp, parseCidr, parseIp } from '../../lambdas/core/network/cidr';
import type { Snapshot, SnapshotTarget } from '../../lambdas/core/snapshot/schema';
import { addUnrelatedEnvironment, estateSeedArbitrary, generateSnapshot, generateTarget, Ids, randomPermission, Rng } from '../support/estate-generator';

/** Runs per property: the default keeps the file at about half a minute; PROPERTY_RUNS_FACTOR=10 is the longer run. */
const FACTOR = Number(process.env.PROPERTY_RUNS_FACTOR ?? 1);
const parameters = (runs: number): fc.Parameters<[{ seed: number; size: number }]> => ({
  numRuns: Math.round(runs * FACTOR),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
});
const NOW = () => new Date('2026-11-25T03:00:00Z');

function evaluate(snapshot: Snapshot, shareVerdicts = true): Finding[] {
  return evaluateSnapshot(structuredClone(snapshot), { now: NOW, shareVerdicts }).findings;
}

function keyOf(f: Pick<Finding, 'accountId' | 'region' | 'ruleId' | 'resourceId'>): string {
  return `${f.accountId}|${f.region}|${f.ruleId}|${f.resourceId}`;
}

/** Findings by key; a key met twice is itself a defect (one finding per rule and resource). */
function byKey(findings: readonly Finding[]): Map<string, Finding> {
  const map = new Map<string, Finding>();
  for (const f of findings) {
    const key = keyOf(f);
    if (map.has(key)) throw new Error(`two findings for ${key}`);
    map.set(key, f);
  }
  return map;
}

const verdict = (f: Finding) => `${f.status}/${f.severity}`;

/** A deep copy with every array shuffled (the order AWS lists anything in carries no meaning). */
function shuffleEverything(value: unknown, rng: Rng): unknown {
  if (Array.isArray(value)) return rng.shuffle(value.map((v) => shuffleEverything(v, rng)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Timestamps and Values of a metric result are parallel arrays: their order pairs them.
    for (const [k, v] of Object.entries(value)) out[k] = k === 'Timestamps' || k === 'Values' ? v : shuffleEverything(v, rng);
    return out;
  }
  return value;
}

const AWS_ID = /^([a-z]+(?:-[a-z]+)?)-([0-9a-f]{17})$/;

/** Renames every AWS id consistently (same prefix, new hex), every Name tag, and every cluster name (same normalised class, new word). */
class Renaming {
  readonly ids = new Map<string, string>();
  readonly clusters = new Map<string, string>();
  private counter = 0;
  constructor(private readonly rng: Rng) {}

  id(text: string): string {
    let renamed = this.ids.get(text);
    if (!renamed) {
      const prefix = AWS_ID.exec(text)![1]!;
      renamed = `${prefix}-${(0xabc00000000 + this.rng.int(0, 0xfffff) * 0x1000 + ++this.counter).toString(16).padStart(17, '0')}`;
      this.ids.set(text, renamed);
    }
    return renamed;
  }

  /** "Sessions " -> "Orbit7 ": same spaces and case style, a new word for each normalised name. */
  cluster(value: string): string {
    const key = groupKey(value);
    let word = this.clusters.get(key);
    if (!word) {
      word = `grp${this.clusters.size}x${this.rng.int(100, 999)}`;
      this.clusters.set(key, word);
    }
    const trimmed = value.trim();
    const styled = trimmed !== '' && trimmed === trimmed.toUpperCase() && trimmed !== trimmed.toLowerCase() ? word.toUpperCase() : trimmed[0] && trimmed[0] !== trimmed[0].toLowerCase() ? word[0]!.toUpperCase() + word.slice(1) : word;
    return value.replace(trimmed, styled);
  }

  apply(value: unknown, parentKey?: string, tagKey?: string): unknown {
    if (typeof value === 'string') {
      if (AWS_ID.test(value)) return this.id(value);
      if (parentKey === 'Value' && tagKey === 'Name') return `renamed-${value.length}-${this.rng.int(0, 9)}`;
      if (parentKey === 'Value' && tagKey === 'RedisCluster') return this.cluster(value);
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => this.apply(v, parentKey));
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const tag = typeof record.Key === 'string' ? record.Key : undefined;
      for (const [k, v] of Object.entries(record)) out[k] = this.apply(v, k, tag);
      return out;
    }
    return value;
  }

  /** The key a finding of the original estate has in the renamed one. */
  findingKey(f: Finding): string {
    let resourceId = this.ids.get(f.resourceId) ?? f.resourceId;
    if (f.resourceType === 'Redis::Cluster') {
      const [account, region, ...rest] = f.resourceId.split('/');
      const name = rest.join('/');
      resourceId = `${account}/${region}/${this.clusters.get(name) ?? name}`;
    }
    return keyOf({ ...f, resourceId });
  }
}

/** What a failed call would have returned, and how much of it a partial answer keeps. */
const OPERATIONS: ReadonlyArray<{ service: string; operation: string; drop: (t: SnapshotTarget, rng: Rng, keep: number) => void }> = [
  { service: 'ec2', operation: 'DescribeInstances', drop: (t, rng, keep) => (t.ec2.Reservations = rng.some(t.ec2.Reservations, keep)) },
  { service: 'ec2', operation: 'DescribeInstanceTypes', drop: (t, rng, keep) => (t.ec2.InstanceTypes = rng.some(t.ec2.InstanceTypes, keep)) },
  { service: 'ec2', operation: 'DescribeSubnets', drop: (t, rng, keep) => (t.ec2.Subnets = rng.some(t.ec2.Subnets, keep)) },
  { service: 'ec2', operation: 'DescribeRouteTables', drop: (t, rng, keep) => (t.ec2.RouteTables = rng.some(t.ec2.RouteTables, keep)) },
  { service: 'ec2', operation: 'DescribeNetworkAcls', drop: (t, rng, keep) => (t.ec2.NetworkAcls = rng.some(t.ec2.NetworkAcls, keep)) },
  { service: 'ec2', operation: 'DescribeSecurityGroups', drop: (t, rng, keep) => (t.ec2.SecurityGroups = rng.some(t.ec2.SecurityGroups, keep)) },
  { service: 'ec2', operation: 'DescribeVolumes', drop: (t, rng, keep) => (t.ec2.Volumes = rng.some(t.ec2.Volumes, keep)) },
  { service: 'ec2', operation: 'DescribeNetworkInterfaces', drop: (t, rng, keep) => (t.ec2.NetworkInterfaces = rng.some(t.ec2.NetworkInterfaces, keep)) },
  { service: 'ssm', operation: 'DescribeInstanceInformation', drop: (t, rng, keep) => (t.ssm.InstanceInformationList = rng.some(t.ssm.InstanceInformationList, keep)) },
  {
    service: 'ssm',
    operation: 'ListInventoryEntries',
    drop: (t, rng, keep) => {
      t.ssm.Entities = rng.some(t.ssm.Entities, keep);
      for (const entity of t.ssm.Entities) for (const type of Object.keys(entity.Data ?? {})) if (!rng.chance(keep)) delete entity.Data![type];
    },
  },
  { service: 'cloudwatch', operation: 'GetMetricData', drop: (t, rng, keep) => t.cloudwatch && (t.cloudwatch.MetricDataResults = rng.some(t.cloudwatch.MetricDataResults, keep)) },
];

/** The rules judging high availability and capacity (and the estates leaning towards what they read). */
const HA_RULES = ['cluster.failover', 'cluster.membership', 'cluster.zone-spread', 'network.cluster-bus', 'capacity.memory', 'capacity.bandwidth'];
const haSnapshot = (seed: number, size: number) => generateSnapshot(seed, size, { highAvailability: true });

/**
 * One read the high-availability and capacity rules need, lost with its failure recorded: one
 * instance's inventory, or one inventory type of it (the collector keeps a type whole or not at
 * all: lambdas/adapters/collectors/ssm-collector.ts), one metric result, one instance record, one
 * subnet record, one instance type.
 */
const SINGLE_READS: ReadonlyArray<{ name: string; service: string; operation: string; lose: (t: SnapshotTarget, rng: Rng) => boolean }> = [
  { name: 'an inventory entity', service: 'ssm', operation: 'ListInventoryEntries', lose: (t, rng) => t.ssm.Entities.length > 0 && t.ssm.Entities.splice(rng.int(0, t.ssm.Entities.length - 1), 1).length > 0 },
  {
    name: 'an inventory type',
    service: 'ssm',
    operation: 'ListInventoryEntries',
    lose: (t, rng) => {
      const typed = t.ssm.Entities.flatMap((e) => Object.keys(e.Data ?? {}).filter((k) => k.startsWith('Custom:')).map((k) => [e, k] as const));
      if (typed.length === 0) return false;
      const [entity, type] = rng.pick(typed);
      delete entity.Data![type];
      return true;
    },
  },
  { name: 'a metric result', service: 'cloudwatch', operation: 'GetMetricData', lose: (t, rng) => (t.cloudwatch?.MetricDataResults.length ?? 0) > 0 && t.cloudwatch!.MetricDataResults.splice(rng.int(0, t.cloudwatch!.MetricDataResults.length - 1), 1).length > 0 },
  { name: 'an instance record', service: 'ec2', operation: 'DescribeInstances', lose: (t, rng) => t.ec2.Reservations.length > 0 && t.ec2.Reservations.splice(rng.int(0, t.ec2.Reservations.length - 1), 1).length > 0 },
  { name: 'a subnet record', service: 'ec2', operation: 'DescribeSubnets', lose: (t, rng) => t.ec2.Subnets.length > 0 && t.ec2.Subnets.splice(rng.int(0, t.ec2.Subnets.length - 1), 1).length > 0 },
  { name: 'an instance type', service: 'ec2', operation: 'DescribeInstanceTypes', lose: (t, rng) => t.ec2.InstanceTypes.length > 0 && t.ec2.InstanceTypes.splice(rng.int(0, t.ec2.InstanceTypes.length - 1), 1).length > 0 },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function run(property: fc.IProperty<any>, runs = 60): void {
  fc.assert(property as unknown as fc.IProperty<[{ seed: number; size: number }]>, parameters(runs));
}

/** Spread public addresses: a range holding any is public exposure; a set of ranges holding all of one family's admits the internet. */
const PUBLIC_SAMPLES: Record<4 | 6, string[]> = {
  4: ['1.0.0.1', '8.8.8.8', '52.94.1.1', '64.1.1.1', '99.1.1.1', '128.0.0.1', '160.1.1.1', '200.1.1.1', '223.255.255.1'],
  6: ['2001:4860::8888', '2600:1f18::1', '2a00:1450::1', '3fff:ffff::1'],
};

/** Re-spells a tag value in the same normalised class (case and surrounding spaces changed). */
function respell(value: string, rng: Rng): string {
  if (value.trim() === '') return value;
  const core = value.trim();
  const cased = rng.pick([core.toUpperCase(), core.toLowerCase(), core[0]!.toUpperCase() + core.slice(1).toLowerCase(), core]);
  return `${rng.pick(['', ' ', '  '])}${cased}${rng.pick(['', ' '])}`;
}

describe('verdict properties on generated estates', () => {
  it('the generator makes estates that the snapshot schema accepts and that exercise every status', () => {
    const statuses = new Set<string>();
    const rules = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      for (const f of evaluate(generateSnapshot(seed, 6))) {
        statuses.add(f.status);
        rules.add(`${f.ruleId}:${f.status}`);
      }
    }
    expect([...statuses].sort()).toEqual(['FAIL', 'NOT_APPLICABLE', 'PASS', 'UNKNOWN']);
    // Every core rule reaches both PASS and FAIL somewhere in 30 estates (the generator is not too tame).
    for (const rule of ['instance.vcpu', 'instance.disk', 'subnet.private', 'subnet.dedicated', 'security-group.no-public-ingress', 'network.frontend-reachability', 'cluster.size']) {
      expect(rules).toContain(`${rule}:PASS`);
      expect(rules).toContain(`${rule}:FAIL`);
    }
  });

  it('the high-availability estates exercise PASS, FAIL and UNKNOWN of each high-availability and capacity rule', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) for (const f of evaluate(haSnapshot(seed, 4))) seen.add(`${f.ruleId}:${f.status}`);
    for (const rule of HA_RULES) for (const status of ['PASS', 'FAIL', 'UNKNOWN']) expect(seen).toContain(`${rule}:${status}`);
  });

  it('order (high availability): shuffling every list and every inventory type\'s rows changes no verdict of the six rules', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, shuffleSeed) => {
        const snapshot = haSnapshot(seed, size);
        const before = byKey(evaluate(snapshot));
        const after = byKey(evaluate(shuffleEverything(snapshot, new Rng(shuffleSeed)) as Snapshot));
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        for (const [key, f] of before) expect(`${key} ${verdict(after.get(key)!)}`).toBe(`${key} ${verdict(f)}`);
      }),
      30,
    );
  });

  it('evidence (high availability): losing any one read the six rules need, with its failure recorded, never makes a PASS', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: SINGLE_READS.length - 1 }), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, readIndex, loseSeed) => {
        const snapshot = haSnapshot(seed, size);
        const rng = new Rng(loseSeed);
        const less = structuredClone(snapshot);
        const target = less.targets[rng.int(0, less.targets.length - 1)]!;
        const { service, operation, lose } = SINGLE_READS[readIndex]!;
        if (!lose(target, rng)) return;
        target.errors.push({ service, operation, code: 'AccessDeniedException', message: 'generated failure' });
        const before = byKey(evaluate(snapshot));
        for (const f of evaluate(less)) {
          if (f.status !== 'PASS' || !HA_RULES.includes(f.ruleId)) continue;
          expect(`${keyOf(f)} was ${before.get(keyOf(f))?.status ?? 'absent'}`).toBe(`${keyOf(f)} was PASS`);
        }
      }),
      60,
    );
  });

  it('isolation (high availability): adding an unrelated account and an unrelated environment changes no finding of the others', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, otherSeed) => {
        const snapshot = haSnapshot(seed, size);
        const rng = new Rng(otherSeed);
        const changed = structuredClone(snapshot);
        changed.targets.splice(rng.int(0, changed.targets.length), 0, generateTarget(rng, size, new Ids(0xd00000), '999988887777', 'eu-west-1', { highAvailability: true }));
        const target = changed.targets.filter((t) => t.accountId !== '999988887777')[0]!;
        const existing = target.ec2.Reservations.length;
        addUnrelatedEnvironment(rng, target, new Ids(0xc00000), 'Production-EU');
        for (const r of target.ec2.Reservations.splice(existing)) target.ec2.Reservations.splice(rng.int(0, target.ec2.Reservations.length), 0, r);
        const before = byKey(evaluate(snapshot));
        const after = byKey(evaluate(changed));
        for (const [key, f] of before) expect(JSON.stringify(after.get(key))).toBe(JSON.stringify(f));
      }),
      20,
    );
  });

  it('sharing: with every shared-verdict cache off the findings are byte-identical', () => {
    run(
      fc.property(estateSeedArbitrary(), ({ seed, size }) => {
        const snapshot = generateSnapshot(seed, size);
        expect(JSON.stringify(evaluate(snapshot, false))).toBe(JSON.stringify(evaluate(snapshot, true)));
      }),
    );
  });

  it('order: shuffling every list in the snapshot changes no verdict', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, shuffleSeed) => {
        const snapshot = generateSnapshot(seed, size);
        const before = byKey(evaluate(snapshot));
        const after = byKey(evaluate(shuffleEverything(snapshot, new Rng(shuffleSeed)) as Snapshot));
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        for (const [key, f] of before) expect(`${key} ${verdict(after.get(key)!)}`).toBe(`${key} ${verdict(f)}`);
      }),
    );
  });

  it('renaming: consistently renaming ids, names and cluster names changes no status', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, renameSeed) => {
        const snapshot = generateSnapshot(seed, size);
        const renaming = new Renaming(new Rng(renameSeed));
        const renamed = renaming.apply(snapshot) as Snapshot;
        const before = evaluate(snapshot);
        const after = byKey(evaluate(renamed));
        expect(after.size).toBe(before.length);
        for (const f of before) {
          const key = renaming.findingKey(f);
          expect(`${key} ${after.get(key)?.status}`).toBe(`${key} ${f.status}`);
        }
      }),
    );
  });

  it('isolation: adding an unrelated account changes nothing of the others', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, otherSeed) => {
        const snapshot = generateSnapshot(seed, size);
        const rng = new Rng(otherSeed);
        const other = generateTarget(rng, size, new Ids(0xd00000), '999988887777', 'eu-west-1');
        const withOther: Snapshot = { ...structuredClone(snapshot), targets: [...snapshot.targets] };
        withOther.targets.splice(rng.int(0, withOther.targets.length), 0, other);
        const before = evaluate(snapshot);
        const after = evaluate(withOther).filter((f) => f.accountId !== '999988887777');
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
      }),
    );
  });

  it('isolation: adding an unrelated environment (front-ends sharing subnets and groups with others) changes no finding of the others', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), fc.constantFrom('dev-b', 'Staging', 'QA-2', 'Production-EU'), ({ seed, size }, otherSeed, environment) => {
        const snapshot = generateSnapshot(seed, size);
        const rng = new Rng(otherSeed);
        const changed = structuredClone(snapshot);
        const target = changed.targets[rng.int(0, changed.targets.length - 1)]!;
        const reservations = target.ec2.Reservations;
        const existing = reservations.length;
        addUnrelatedEnvironment(rng, target, new Ids(0xc00000), environment);
        // The new instances go to random places in the listing (order must not matter either).
        for (const r of reservations.splice(existing)) reservations.splice(rng.int(0, reservations.length), 0, r);
        const before = byKey(evaluate(snapshot));
        const after = byKey(evaluate(changed));
        for (const [key, f] of before) expect(JSON.stringify(after.get(key))).toBe(JSON.stringify(f));
      }),
    );
  });

  it('evidence: recording a failed call and dropping what it would have returned never makes a PASS', () => {
    run(
      fc.property(
        estateSeedArbitrary(),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: OPERATIONS.length - 1 })),
        fc.constantFrom(0, 0.5, 0.8, 1),
        fc.integer({ min: 0, max: 0x7fffffff }),
        ({ seed, size }, operationIndex, keep, dropSeed) => {
          const snapshot = generateSnapshot(seed, size);
          const rng = new Rng(dropSeed);
          const less = structuredClone(snapshot);
          const target = less.targets[rng.int(0, less.targets.length - 1)]!;
          const { service, operation, drop } = OPERATIONS[operationIndex]!;
          drop(target, rng, keep);
          target.errors.push({ service, operation, code: 'AccessDeniedException', message: 'generated failure' });
          const before = byKey(evaluate(snapshot));
          for (const f of evaluate(less)) {
            if (f.status !== 'PASS') continue;
            const was = before.get(keyOf(f));
            expect(`${keyOf(f)} was ${was?.status ?? 'absent'}`).toBe(`${keyOf(f)} was PASS`);
          }
        },
      ),
      150,
    );
  });

  it('monotone openings: an added allow rule never clears a public-ingress FAIL nor breaks a reachability PASS', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), fc.boolean(), ({ seed, size }, ruleSeed, allowPublic) => {
        const snapshot = generateSnapshot(seed, size);
        const rng = new Rng(ruleSeed);
        const opened = structuredClone(snapshot);
        const target = opened.targets[rng.int(0, opened.targets.length - 1)]!;
        const group = rng.pick(target.ec2.SecurityGroups);
        const added = randomPermission(rng, target, group.VpcId, allowPublic);
        if (rng.chance(0.5)) group.IpPermissions!.push(added);
        else group.IpPermissions!.splice(rng.int(0, group.IpPermissions!.length), 0, added);
        const before = byKey(evaluate(snapshot));
        for (const f of evaluate(opened)) {
          const was = before.get(keyOf(f));
          if (!was) continue;
          if (f.ruleId === 'security-group.no-public-ingress' && was.status === 'FAIL') expect(`${keyOf(f)} ${f.status}`).toBe(`${keyOf(f)} FAIL`);
          if (f.ruleId === 'network.frontend-reachability' && was.status === 'PASS') expect(`${keyOf(f)} ${f.status}`).not.toBe(`${keyOf(f)} FAIL`);
        }
      }),
    );
  });

  it('spelling: re-spelling environment and cluster tags (case, spaces) changes no status', () => {
    run(
      fc.property(estateSeedArbitrary(), fc.integer({ min: 0, max: 0x7fffffff }), ({ seed, size }, spellSeed) => {
        const snapshot = generateSnapshot(seed, size);
        const rng = new Rng(spellSeed);
        const respelled = structuredClone(snapshot);
        for (const t of respelled.targets) {
          for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) for (const tag of i.Tags ?? []) if ((tag.Key === 'Environment' || tag.Key === 'RedisCluster') && tag.Value) tag.Value = respell(tag.Value, rng);
          for (const subnet of t.ec2.Subnets) for (const tag of subnet.Tags ?? []) if (tag.Key === 'Environment' && tag.Value) tag.Value = respell(tag.Value, rng);
        }
        const before = byKey(evaluate(snapshot));
        const after = byKey(evaluate(respelled));
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        for (const [key, f] of before) expect(`${key} ${after.get(key)!.status}`).toBe(`${key} ${f.status}`);
      }),
    );
  });

  it('public ingress, against sample addresses: a group admitting any public address fails, and one admitting them all is high or critical', () => {
    run(
      fc.property(estateSeedArbitrary(), ({ seed, size }) => {
        const snapshot = generateSnapshot(seed, size);
        for (const f of evaluate(snapshot)) {
          if (f.ruleId !== 'security-group.no-public-ingress' || f.status === 'UNKNOWN') continue;
          const group = snapshot.targets.find((t) => t.accountId === f.accountId && t.region === f.region)!.ec2.SecurityGroups.find((g) => g.GroupId === f.resourceId)!;
          const ranges = (group.IpPermissions ?? []).flatMap((p) => [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)]).map((t) => parseCidr(t!)!);
          const admitted = (address: string) => ranges.some((range) => cidrContainsIp(range, parseIp(address)!));
          const anyPublic = [...PUBLIC_SAMPLES[4], ...PUBLIC_SAMPLES[6]].some(admitted);
          const allOfAFamily = PUBLIC_SAMPLES[4].every(admitted) || PUBLIC_SAMPLES[6].every(admitted);
          if (anyPublic) expect(`${f.resourceId} ${f.status}`).toBe(`${f.resourceId} FAIL`);
          if (allOfAFamily) expect(['critical', 'high']).toContain(f.severity);
        }
      }),
    );
  });

  it('duplicates: a snapshot that lists every record twice gives the same findings', () => {
    run(
      fc.property(estateSeedArbitrary(), ({ seed, size }) => {
        const snapshot = generateSnapshot(seed, size);
        const doubled = structuredClone(snapshot);
        for (const t of doubled.targets) {
          t.ec2.Reservations = [...t.ec2.Reservations, ...structuredClone(t.ec2.Reservations)];
          t.ec2.Volumes = [...t.ec2.Volumes, ...structuredClone(t.ec2.Volumes)];
          t.ec2.NetworkInterfaces = [...t.ec2.NetworkInterfaces, ...structuredClone(t.ec2.NetworkInterfaces)];
          t.ec2.Subnets = [...t.ec2.Subnets, ...structuredClone(t.ec2.Subnets)];
          t.ssm.Entities = [...t.ssm.Entities, ...structuredClone(t.ssm.Entities)];
        }
        expect(JSON.stringify(evaluate(doubled))).toBe(JSON.stringify(evaluate(snapshot)));
      }),
    );
  });
});
