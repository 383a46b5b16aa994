/**
 * How the HTML report stays readable at any size: pure grouping of the
 * findings, nothing dropped.
 *
 * - Findings that need a decision (FAIL, UNKNOWN, SUPPRESSED) are shown in full, grouped by what they
 *   share: rule, status, severity, title, required, requirement and remediation are printed once
 *   per group (texts that name the finding's own resource are compared as templates, below).
 *   Within a group, findings whose observed sentence is the same once the finding's own resource
 *   id, name and cluster are replaced by placeholders (`observedTemplate`) share one sentence,
 *   followed by the resources it is about; every finding's own values (resource, name, cluster,
 *   waiver, rule verdict) are printed with it. So each finding's observed sentence can be
 *   read back exactly: put the resource's values into the placeholders (a sentence of one finding
 *   alone is printed as the finding has it).
 * - Within a group, findings are listed by account, region and environment (written once for all
 *   the findings there), then by shared observed sentence.
 * - PASS and NOT_APPLICABLE findings are counted per rule, their resources listed once
 *   (passing-resources.ts).
 * The JSON and CSV exports are unchanged and keep every finding as a record.
 */
import type { FindingStatus, Severity, StoredFinding } from '../model';

export const PLACEHOLDERS = { resource: '[resource]', name: '[name]', cluster: '[cluster]' } as const;

/** Values shorter than this are never replaced (a one-letter name would match inside words). */
const MIN_PLACEHOLDER_VALUE = 3;

export interface ObservedGroup {
  /** The observed sentence with the finding's own values replaced by PLACEHOLDERS. */
  template: string;
  findings: StoredFinding[];
  /** This sentence or its group's shared texts hold [cluster]: each finding's cluster is printed with it. */
  clusterPlaceholder: boolean;
}

/** The findings of a group in one account, region and environment, by observed sentence. */
export interface LocationGroup {
  accountId: string;
  region: string;
  environment: string;
  production: boolean;
  count: number;
  observed: ObservedGroup[];
}

export interface AttentionGroup {
  ruleId: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  required: string;
  requirement: string;
  remediation: string;
  count: number;
  /** In order of first appearance; within each, the observed sentences in order of first appearance. */
  locations: LocationGroup[];
}

export function needsDecision(status: FindingStatus): boolean {
  return status === 'FAIL' || status === 'UNKNOWN' || status === 'SUPPRESSED';
}

/** The observed sentence with the finding's resource id, name and cluster replaced by placeholders. */
export function observedTemplate(f: Pick<StoredFinding, 'observed' | 'resourceId' | 'resourceName' | 'cluster'>): string {
  return templateOf(f.observed, f);
}

/** Any of the finding's texts with its resource id, name and cluster replaced by placeholders. */
export function templateOf(text: string, f: Pick<StoredFinding, 'resourceId' | 'resourceName' | 'cluster'>): string {
  // Most texts name none of the finding's values: answered without allocating (this runs four times per finding).
  const { resourceId, resourceName, cluster } = f;
  // A text that already holds a placeholder's spelling (a hostile tag value, say) would read as if
  // it named this finding's own value: its brackets are shown as full-width ones instead.
  if (text.includes('[') && PLACEHOLDER_TEXTS.some((p) => text.includes(p))) text = withoutPlaceholderSpellings(text);
  if (!replaceable(text, resourceId) && (resourceName === undefined || !replaceable(text, resourceName)) && (cluster === null || !replaceable(text, cluster))) return text;
  const swaps: Array<[string, string]> = [[resourceId, PLACEHOLDERS.resource]];
  if (resourceName !== undefined) swaps.push([resourceName, PLACEHOLDERS.name]);
  if (cluster !== null) swaps.push([cluster, PLACEHOLDERS.cluster]);
  // Longest first (stable), so a name that contains the id (or the reverse) is replaced whole.
  // An insertion sort of at most three: Array.prototype.sort's set-up costs more at this size.
  for (let i = 1; i < swaps.length; i++) {
    for (let j = i; j > 0 && swaps[j]![0].length > swaps[j - 1]![0].length; j--) [swaps[j], swaps[j - 1]] = [swaps[j - 1]!, swaps[j]!];
  }
  for (const [value, placeholder] of swaps) {
    // The placeholders hold no `$`, so replaceAll inserts them as they are.
    if (replaceable(text, value)) text = text.replaceAll(value, placeholder);
  }
  return text;
}

const PLACEHOLDER_TEXTS: readonly string[] = Object.values(PLACEHOLDERS);

/** `[name]` -> `［name］` for every placeholder spelling in the text, so only inserted placeholders remain. */
function withoutPlaceholderSpellings(text: string): string {
  for (const p of PLACEHOLDER_TEXTS) text = text.replaceAll(p, `\uff3b${p.slice(1, -1)}\uff3d`);
  return text;
}

/** A value long enough to be replaced, in the text, and not part of a placeholder itself. */
function replaceable(text: string, value: string): boolean {
  return value.length >= MIN_PLACEHOLDER_VALUE && text.includes(value) && !PLACEHOLDER_TEXTS.some((p) => p.includes(value));
}

/** Fills a template back in for one finding: observedTemplate's inverse on the finding's own values. */
export function fillTemplate(template: string, f: Pick<StoredFinding, 'resourceId' | 'resourceName' | 'cluster'>): string {
  return template
    .split(PLACEHOLDERS.resource)
    .join(f.resourceId)
    .split(PLACEHOLDERS.name)
    .join(f.resourceName ?? PLACEHOLDERS.name)
    .split(PLACEHOLDERS.cluster)
    .join(f.cluster ?? PLACEHOLDERS.cluster);
}

/** Short ids for texts, so group keys are built and hashed from a few digits, not from kilobytes of text. */
class Interner {
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) this.ids.set(text, (id = this.ids.size));
    return id;
  }
}

interface Place {
  location: LocationGroup;
  observed: Map<string, ObservedGroup>;
}

interface GroupEntry {
  group: AttentionGroup;
  locations: Map<string, Place>;
  lastPlace: Place | undefined;
  /** The group's title, required or remediation holds [cluster]. */
  clusterInTexts: boolean;
}

/**
 * Builds the attention groups one finding at a time (the HTML report deals every finding to this
 * or to the passing collector in one pass). Findings that need no decision are ignored.
 */
export class AttentionGrouper {
  private readonly texts = new Interner();
  private readonly groups = new Map<string, GroupEntry>();
  private readonly lastOfRule = new Map<string, GroupEntry>();

  /** Adds a finding that needs a decision and answers the observed group it joined (undefined for others). */
  add(f: StoredFinding): ObservedGroup | undefined {
    if (!needsDecision(f.status)) return undefined;
    const entry = this.groupOf(f);
    entry.group.count++;
    const place = this.placeOf(entry, f);
    place.location.count++;
    // Only a template that holds a placeholder, or the same sentence, is shared.
    const template = observedTemplate(f);
    let observed = place.observed.get(template);
    if (!observed) {
      const cluster = entry.clusterInTexts || template.includes(PLACEHOLDERS.cluster);
      observed = { template, findings: [], clusterPlaceholder: cluster };
      place.observed.set(template, observed);
      place.location.observed.push(observed);
    }
    observed.findings.push(f);
    return observed;
  }

  private groupOf(f: StoredFinding): GroupEntry {
    // Titles, requirements and fixes that name the resource share their template too.
    const title = templateOf(f.title, f);
    const required = templateOf(f.required, f);
    const remediation = templateOf(f.remediation, f);
    // The same texts as this rule's previous finding (most findings of a rule): its group, no key to build.
    const last = this.lastOfRule.get(f.ruleId);
    if (last !== undefined) {
      const g = last.group;
      if (g.status === f.status && g.severity === f.severity && g.title === title && g.required === required && g.requirement === f.requirement && g.remediation === remediation) return last;
    }
    const id = (text: string) => this.texts.id(text);
    const key = `${id(f.ruleId)} ${f.status} ${f.severity} ${id(title)} ${id(required)} ${id(f.requirement)} ${id(remediation)}`;
    let entry = this.groups.get(key);
    if (!entry) {
      entry = { group: { ruleId: f.ruleId, status: f.status, severity: f.severity, title, required, requirement: f.requirement, remediation, count: 0, locations: [] }, locations: new Map(), lastPlace: undefined, clusterInTexts: [title, required, remediation].some((t) => t.includes(PLACEHOLDERS.cluster)) };
      this.groups.set(key, entry);
    }
    this.lastOfRule.set(f.ruleId, entry);
    return entry;
  }

  private placeOf(entry: GroupEntry, f: StoredFinding): Place {
    const last = entry.lastPlace?.location;
    if (last !== undefined && last.accountId === f.accountId && last.region === f.region && last.environment === f.environment && last.production === f.production) return entry.lastPlace!;
    const locationKey = `${this.texts.id(f.accountId)} ${this.texts.id(f.region)} ${this.texts.id(f.environment)} ${f.production}`;
    let place = entry.locations.get(locationKey);
    if (!place) {
      place = { location: { accountId: f.accountId, region: f.region, environment: f.environment, production: f.production, count: 0, observed: [] }, observed: new Map() };
      entry.locations.set(locationKey, place);
      entry.group.locations.push(place.location);
    }
    entry.lastPlace = place;
    return place;
  }

  result(): AttentionGroup[] {
    const out: AttentionGroup[] = [];
    for (const entry of this.groups.values()) out.push(entry.group);
    return out;
  }
}
