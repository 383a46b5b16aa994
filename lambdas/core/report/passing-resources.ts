/**
 * PASS and NOT_APPLICABLE findings in the HTML report: counted per rule,
 * and every resource listed once, under the set of verdicts it has (for example "PASS on
 * instance.vcpu, instance.disk, ...; NOT_APPLICABLE on ..."). A resource passes many rules, so one
 * list per rule would print each id about seven times; listing it once under its set of verdicts
 * keeps the page a few hundred kilobytes at 100k findings, and each rule's count says how many of
 * its findings there are. The findings may come in any order: the result is the same. Pure; the
 * JSON and CSV exports keep every finding as a record.
 */
import type { FindingStatus, StoredFinding } from '../model';
import { compareStoredFindings } from './order-findings';

export type PassingStatus = 'PASS' | 'NOT_APPLICABLE';

export function isPassingStatus(status: FindingStatus): status is PassingStatus {
  return status === 'PASS' || status === 'NOT_APPLICABLE';
}

/** What the passing lists read of a finding (a store can read just these: FindingsStore.listFindingOutlines). */
export type FindingOutline = Pick<StoredFinding, 'ruleId' | 'status' | 'severity' | 'title' | 'accountId' | 'region' | 'resourceId' | 'resourceName'>;

export interface RuleTally {
  ruleId: string;
  status: PassingStatus;
  title: string;
  /** Findings of this rule with this status. */
  count: number;
  /** Positions (in `PassingResources.sets`) of the sets whose resources have this verdict, ascending. */
  sets: number[];
}

export interface PassingResource {
  accountId: string;
  region: string;
  resourceId: string;
  /** The resource's Name tag, when any of its findings carries one. */
  resourceName?: string;
}

export interface PassingSet {
  /** Positions (in `PassingResources.tallies`) of the verdicts every resource of the set has, and no other. */
  tallies: number[];
  /** By account, region and resource id. */
  resources: PassingResource[];
}

export interface PassingResources {
  /** PASS and NOT_APPLICABLE findings. */
  findings: number;
  /** PASS first, then NOT_APPLICABLE; each by rule id. */
  tallies: RuleTally[];
  /** Largest first. */
  sets: PassingSet[];
}

const SEP = '\u0000';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Entry {
  resource: PassingResource;
  verdicts: number[];
  /** The finding the name was taken from: the first in report order that has one. */
  nameFrom?: FindingOutline;
}

/**
 * Collects PASS and NOT_APPLICABLE findings one at a time (the HTML report deals every finding to
 * this or to the attention groups in one pass). Other findings are ignored.
 */
export class PassingCollector {
  private readonly tallies: RuleTally[] = [];
  /** Per tally, the finding its title was taken from: the first in report order. */
  private readonly titleFrom: FindingOutline[] = [];
  /** rule id -> [PASS tally, NOT_APPLICABLE tally] (-1: none yet). */
  private readonly tallyOf = new Map<string, [number, number]>();
  /** By resource id alone (ids are unique across accounts in practice) ... */
  private readonly byId = new Map<string, Entry>();
  /** ... and by account, region and id for the rare id seen in two places. */
  private readonly byPlace = new Map<string, Entry>();
  private readonly entries: Entry[] = [];
  private last: Entry | undefined;
  private count = 0;

  add(f: FindingOutline): void {
    const status = f.status;
    if (!isPassingStatus(status)) return;
    this.count++;
    let tallies = this.tallyOf.get(f.ruleId);
    if (!tallies) this.tallyOf.set(f.ruleId, (tallies = [-1, -1]));
    const column = status === 'PASS' ? 0 : 1;
    let tally = tallies[column];
    if (tally < 0) {
      tally = tallies[column] = this.tallies.length;
      this.tallies.push({ ruleId: f.ruleId, status, title: f.title, count: 0, sets: [] });
      this.titleFrom.push(f);
    } else if (compareStoredFindings(f, this.titleFrom[tally]!) < 0) {
      // The title of the rule's first finding in report order, whatever order the findings came in.
      this.titleFrom[tally] = f;
      this.tallies[tally]!.title = f.title;
    }
    this.tallies[tally]!.count++;
    const entry = this.entryOf(f);
    entry.verdicts.push(tally);
    if (f.resourceName !== undefined && (entry.nameFrom === undefined || compareStoredFindings(f, entry.nameFrom) < 0)) {
      // The name on the resource's first finding in report order that has one.
      entry.nameFrom = f;
      entry.resource.resourceName = f.resourceName;
    }
  }

  private entryOf(f: FindingOutline): Entry {
    const { accountId, region, resourceId } = f;
    // Findings come sorted by resource within a status and severity: most are the previous one's.
    const last = this.last;
    if (last !== undefined && last.resource.resourceId === resourceId && last.resource.accountId === accountId && last.resource.region === region) return last;
    let entry = this.byId.get(resourceId);
    if (entry !== undefined && (entry.resource.accountId !== accountId || entry.resource.region !== region)) {
      const key = `${accountId}${SEP}${region}${SEP}${resourceId}`;
      entry = this.byPlace.get(key);
      if (entry === undefined) this.byPlace.set(key, (entry = this.newEntry(accountId, region, resourceId)));
    } else if (entry === undefined) {
      this.byId.set(resourceId, (entry = this.newEntry(accountId, region, resourceId)));
    }
    this.last = entry;
    return entry;
  }

  private newEntry(accountId: string, region: string, resourceId: string): Entry {
    const entry = { resource: { accountId, region, resourceId }, verdicts: [] };
    this.entries.push(entry);
    return entry;
  }

  result(): PassingResources {
    return arrange(this.count, this.tallies, this.entries);
  }
}

function arrange(count: number, tallies: readonly RuleTally[], resources: readonly Entry[]): PassingResources {
  // Tallies in their printed order; the sets name them by that position.
  const order = tallies.map((_, i) => i).sort((a, b) => {
    const x = tallies[a]!;
    const y = tallies[b]!;
    return x.status === y.status ? cmp(x.ruleId, y.ruleId) : x.status === 'PASS' ? -1 : 1;
  });
  const position = new Array<number>(tallies.length);
  order.forEach((old, i) => (position[old] = i));
  const sortedTallies = order.map((i) => tallies[i]!);

  // Sets keyed by the verdicts as first numbered (a resource's are nearly always in ascending order
  // already), renumbered once per set rather than once per resource.
  const setOf = new Map<string, PassingSet>();
  for (const { resource, verdicts } of resources) {
    const key = verdictKey(verdicts);
    let set = setOf.get(key);
    if (!set) setOf.set(key, (set = { tallies: verdicts, resources: [] }));
    set.resources.push(resource);
  }
  for (const set of setOf.values()) set.tallies = unique(set.tallies.map((v) => position[v]!).sort((a, b) => a - b));
  const sets = [...setOf.values()].sort((a, b) => b.resources.length - a.resources.length || compareVerdicts(a.tallies, b.tallies));
  sets.forEach((set, i) => {
    set.resources.sort((a, b) => cmp(a.accountId, b.accountId) || cmp(a.region, b.region) || cmp(a.resourceId, b.resourceId));
    for (const t of set.tallies) sortedTallies[t]!.sets.push(i);
  });
  return { findings: count, tallies: sortedTallies, sets };
}

/** The verdicts in ascending order without repeats, as a key. */
function verdictKey(verdicts: number[]): string {
  let ascending = true;
  for (let i = 1; i < verdicts.length; i++) if (verdicts[i]! <= verdicts[i - 1]!) ascending = false;
  return (ascending ? verdicts : unique(verdicts.slice().sort((a, b) => a - b))).join(',');
}

/** A sorted list without its repeats. */
function unique(sorted: number[]): number[] {
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

function compareVerdicts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
