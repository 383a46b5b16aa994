/**
 * The HTML report's "Findings needing attention": every FAIL, UNKNOWN and SUPPRESSED finding in full,
 * in the groups of finding-groups.ts. Per group: the shared texts once; per account, region and
 * environment one line; per observed sentence the sentence once and the resources it is about, one
 * short line each (`id (name)`, and only what is the finding's own beside it: cluster, rule verdict,
 * waiver), lines rather than list items to keep the page small. Every dynamic string goes through
 * escapeHtml.
 */
import type { StoredFinding } from '../model';
import { escapeHtml as h } from './escaping';
import { AttentionGrouper, PLACEHOLDERS, type AttentionGroup, type ObservedGroup } from './finding-groups';
import { formatTime, locationLabel } from './labels';

/** Lists (of resources, or of observed sentences) longer than this fold into a <details> of their own (the page opens at once at any size). */
const FOLD_RESOURCES_OVER = 12;

/** Upper bound on distinct texts remembered by one render (memory stays bounded on any estate). */
const SHARED_TEXT_LIMIT = 100_000;

/**
 * Builds the section one finding at a time, in the one pass the report makes over the findings:
 * each finding's own line is written while the finding is at hand, so the section never reads a
 * finding twice (at 100k findings, reading them again costs more than writing them).
 */
export class AttentionSection {
  private readonly grouper = new AttentionGrouper();
  private readonly lines = new Map<ObservedGroup, string[]>();
  /** FAIL, UNKNOWN and SUPPRESSED findings added. */
  count = 0;

  /** Takes a finding that needs a decision (true) or leaves it (false). */
  add(f: StoredFinding): boolean {
    const observed = this.grouper.add(f);
    if (observed === undefined) return false;
    this.count++;
    let lines = this.lines.get(observed);
    if (lines === undefined) this.lines.set(observed, (lines = []));
    lines.push(resourceItem(f, observed.clusterPlaceholder));
    return true;
  }

  html(): string {
    const shared = sharedTextEscaper();
    const out: string[] = [];
    this.grouper.result().forEach((g, i) => attentionGroup(out, g, i, shared, this.lines));
    return out.join('');
  }
}

function attentionGroup(out: string[], g: AttentionGroup, index: number, shared: (text: string) => string, lines: ReadonlyMap<ObservedGroup, string[]>): void {
  const open = g.status === 'SUPPRESSED' ? '' : ' open';
  // A group of one finding has nothing to share: its texts name its own resource, no placeholder.
  const only = g.count === 1 ? g.locations[0]!.observed[0]!.findings[0]! : undefined;
  const text = (template: string, own: string | undefined): string => (own === undefined ? templateHtml(template, shared) : h(own));
  out.push(
    `<article class="finding f-${h(g.status)}" id="group-${index + 1}"><details${open}>`,
    `<summary>${statusBadges(g.status, g.severity)} <strong>${text(g.title, only?.title)}</strong>: ${g.count} resource(s) <span class="meta">(<code>${h(g.ruleId)}</code>)</span></summary>`,
    `<dl><dt>Required</dt><dd>${text(g.required, only?.required)}</dd><dt>Requirement</dt><dd><blockquote>${shared(g.requirement)}</blockquote></dd><dt>Remediation</dt><dd>${text(g.remediation, only?.remediation)}</dd><dt>Observed</dt><dd>`,
  );
  for (const place of g.locations) {
    out.push(`<p class="meta">${h(locationLabel(place))}, ${h(`${place.production ? 'production' : 'non-production'} "${place.environment}"`)}: ${place.count} resource(s)</p>`);
    // Many different sentences fold like a long list of resources: a browser lays out only what is open.
    const fold = place.observed.length > FOLD_RESOURCES_OVER;
    if (fold) out.push(`<details><summary>${place.observed.length} different observations</summary>`);
    for (const o of place.observed) observedBlock(out, o, shared, lines.get(o)!);
    if (fold) out.push('</details>');
  }
  out.push('</dd></dl></details></article>\n');
}

function observedBlock(out: string[], o: ObservedGroup, shared: (text: string) => string, lines: readonly string[]): void {
  if (o.findings.length === 1) {
    // One finding alone: its own sentence, as it is (nothing to share).
    out.push(`<div class="o"><p>${h(o.findings[0]!.observed)}</p><p class="r">${lines[0]}</p></div>`);
    return;
  }
  const items = lines.join('<br>');
  const list = lines.length > FOLD_RESOURCES_OVER ? `<details><summary>${lines.length} resource(s)</summary><p class="r">${items}</p></details>` : `<p class="r">${items}</p>`;
  out.push(`<div class="o"><p>${templateHtml(o.template, shared)}</p>${list}</div>`);
}

/** The shared sentence, escaped, its placeholders marked. */
function templateHtml(template: string, shared: (text: string) => string): string {
  let out = shared(template);
  for (const placeholder of Object.values(PLACEHOLDERS)) {
    if (out.includes(placeholder)) out = out.split(placeholder).join(`<span class="ph">${placeholder}</span>`);
  }
  return out;
}

/**
 * One finding in a group: its resource and everything that is its own. The cluster is printed when
 * a shared text stands for it with [cluster] (the group's texts or the sentence, which a finding
 * alone prints as it is: the cluster is then said twice) and the resource id does not already end
 * with it (a cluster's own findings); the JSON and CSV exports carry it on every finding.
 */
function resourceItem(f: StoredFinding, withCluster: boolean): string {
  let item = h(f.resourceId);
  if (f.resourceName !== undefined) item += ` (${h(f.resourceName)})`;
  if (withCluster && f.cluster !== null && !f.resourceId.endsWith(`/${f.cluster}`)) item += ` · cluster ${h(f.cluster)}`;
  if (f.ruleStatus !== f.status) item += ` (rule verdict ${h(f.ruleStatus)})`;
  if (f.suppression) {
    const s = f.suppression;
    item += ` <span class="waiver">Suppressed by <code>${h(s.id)}</code>: “${h(s.reason)}”, owner ${h(s.owner)}, expires ${h(formatTime(s.expiresAt))}</span>`;
  }
  if (f.waiverExpired) {
    const w = f.waiverExpired;
    item += ` <span class="expired-note">Waiver <code>${h(w.id)}</code> (“${h(w.reason)}”, owner ${h(w.owner)}) expired ${h(formatTime(w.expiredAt))}: the finding counts again.</span>`;
  }
  return item;
}

function statusBadges(status: string, severity: string): string {
  return `<span class="badge st-${h(status)}">${h(status)}</span> <span class="badge sev-${h(severity)}">${h(severity)}</span>`;
}

/**
 * escapeHtml for the texts findings share (title, required, requirement, remediation, and observed
 * sentences of identical verdicts): each distinct text is escaped once per render. Same output as
 * escapeHtml; it only saves the repeated work on large reports.
 */
function sharedTextEscaper(): (text: string) => string {
  const escaped = new Map<string, string>();
  return (text) => {
    let out = escaped.get(text);
    if (out === undefined) {
      out = h(text);
      if (escaped.size < SHARED_TEXT_LIMIT) escaped.set(text, out);
    }
    return out;
  };
}
