/**
 * How the HTML report and the e-mail stay readable at any size (issue 13): pure grouping of the
 * findings, nothing dropped.
 *
 * - Findings that need a decision (FAIL, UNKNOWN, SUPPRESSED) are shown in full, grouped by what they
 *   share: rule, status, severity, title, required, requirement and remediation are printed once
 *   per group (texts that name the finding's own resource are compared as templates, below). Within a group, findings whose observed sentence is the same once the finding's own
 *   resource id, name and cluster are replaced by placeholders (`observedTemplate`) share one
 *   sentence, followed by the resources it is about; every finding's own values (resource, name,
 *   cluster, waiver, rule verdict) are printed with it. So each finding's observed sentence can be
 *   read back exactly: put the resource's values into the placeholders.
 * - PASS and NOT_APPLICABLE findings are counted per rule, with the list of their resources.
 * The JSON and CSV exports are unchanged and keep every finding as a record.
 */
import type { FindingStatus, Severity, StoredFinding } from '../model';

export const PLACEHOLDERS = { resource: '[resource]', name: '[name]', cluster: '[cluster]' } as const;

/** Values shorter than this are never replaced (a one-letter name would match inside words). */
const MIN_PLACEHOLDER_VALUE = 3;

export interface ObservedGroup {
  /** The observed sentence with the finding's own values replaced by PLACEHOLDERS. */
  template: string;
  /** `<account> / <region>` and environment shared by the findings listed under it. */
  accountId: string;
  region: string;
  environment: string;
  production: boolean;
  findings: StoredFinding[];
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
  observed: ObservedGroup[];
}

export interface RuleTally {
  ruleId: string;
  status: 'PASS' | 'NOT_APPLICABLE';
  title: string;
  findings: StoredFinding[];
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
  const swaps: Array<[string, string]> = [[f.resourceId, PLACEHOLDERS.resource]];
  if (f.resourceName !== undefined) swaps.push([f.resourceName, PLACEHOLDERS.name]);
  if (f.cluster !== null) swaps.push([f.cluster, PLACEHOLDERS.cluster]);
  // Longest first, so a name that contains the id (or the reverse) is replaced whole.
  swaps.sort((a, b) => b[0].length - a[0].length);
  for (const [value, placeholder] of swaps) {
    if (value.length < MIN_PLACEHOLDER_VALUE || !text.includes(value) || Object.values(PLACEHOLDERS).some((p) => p.includes(value))) continue;
    text = text.split(value).join(placeholder);
  }
  return text;
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

const SEP = '\u0000';

/** Short ids for long texts, so group keys are built and hashed from numbers, not from kilobytes of text. */
function interner(): (text: string) => number {
  const ids = new Map<string, number>();
  return (text) => {
    let id = ids.get(text);
    if (id === undefined) ids.set(text, (id = ids.size));
    return id;
  };
}

/** FAIL, UNKNOWN and SUPPRESSED findings in groups, in the order of `findings` (worst first). */
export function attentionGroups(findings: readonly StoredFinding[]): AttentionGroup[] {
  const id = interner();
  const groups = new Map<string, { group: AttentionGroup; observed: Map<string, ObservedGroup> }>();
  for (const f of findings) {
    if (!needsDecision(f.status)) continue;
    // Titles, requirements and fixes that name the resource share their template too.
    const [title, required, remediation] = [templateOf(f.title, f), templateOf(f.required, f), templateOf(f.remediation, f)];
    const key = [f.ruleId, f.status, f.severity, id(title), id(required), id(f.requirement), id(remediation)].join(SEP);
    let entry = groups.get(key);
    if (!entry) {
      entry = { group: { ruleId: f.ruleId, status: f.status, severity: f.severity, title, required, requirement: f.requirement, remediation, count: 0, observed: [] }, observed: new Map() };
      groups.set(key, entry);
    }
    entry.group.count++;
    // Only a template that holds a placeholder, or the same sentence, is shared.
    const template = observedTemplate(f);
    const observedKey = [id(template), f.accountId, f.region, f.environment, f.production].join(SEP);
    let observed = entry.observed.get(observedKey);
    if (!observed) {
      observed = { template, accountId: f.accountId, region: f.region, environment: f.environment, production: f.production, findings: [] };
      entry.observed.set(observedKey, observed);
      entry.group.observed.push(observed);
    }
    observed.findings.push(f);
  }
  return [...groups.values()].map((e) => e.group);
}

/** PASS and NOT_APPLICABLE findings by rule and status, in order of first appearance. */
export function ruleTallies(findings: readonly StoredFinding[]): RuleTally[] {
  const tallies = new Map<string, RuleTally>();
  for (const f of findings) {
    if (f.status !== 'PASS' && f.status !== 'NOT_APPLICABLE') continue;
    const key = `${f.ruleId}${SEP}${f.status}`;
    let tally = tallies.get(key);
    if (!tally) {
      tally = { ruleId: f.ruleId, status: f.status, title: f.title, findings: [] };
      tallies.set(key, tally);
    }
    tally.findings.push(f);
  }
  return [...tallies.values()].sort((a, b) => (a.status === b.status ? (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) : a.status === 'PASS' ? -1 : 1));
}
