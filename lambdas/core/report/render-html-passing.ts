/**
 * The HTML report's "Passing and not applicable": a count per rule, then every resource once, in
 * folded lists by the set of verdicts it has (passing-resources.ts). Ids are escaped: cluster ids
 * carry tag values.
 */
import { escapeHtml as h } from './escaping';
import { locationLabel } from './labels';
import type { PassingResources, PassingSet, RuleTally } from './passing-resources';

export function passingSection({ findings: total, tallies, sets }: PassingResources): string {
  if (total === 0) return '';
  const out: string[] = [
    `<section id="passing"><h2>Passing and not applicable (${total}), by rule</h2>`,
    '<div class="scroll"><table><thead><tr><th>Rule</th><th>Status</th><th>Findings</th><th>Resources listed in</th></tr></thead><tbody>',
  ];
  for (const t of tallies) {
    out.push(
      `<tr id="tally-${h(t.ruleId)}-${t.status}"><td><code>${h(t.ruleId)}</code> ${h(t.title)}</td><td><span class="badge st-${t.status}">${h(t.status)}</span></td><td>${t.count}</td><td>${t.sets.map((i) => `<a href="#pass-${i + 1}">List ${i + 1}</a>`).join(', ')}</td></tr>`,
    );
  }
  const resources = sets.reduce((n, s) => n + s.resources.length, 0);
  out.push(
    '</tbody></table></div>',
    `<h3>Resources (${resources}), each listed once with the rules it passes or that do not apply to it</h3>`,
  );
  sets.forEach((set, i) => passingList(out, set, i, tallies));
  out.push('</section>');
  return out.join('');
}

function passingList(out: string[], set: PassingSet, index: number, tallies: readonly RuleTally[]): void {
  const verdicts = (status: RuleTally['status']) =>
    set.tallies
      .map((t) => tallies[t]!)
      .filter((t) => t.status === status)
      .map((t) => `<code>${h(t.ruleId)}</code>`)
      .join(', ');
  const pass = verdicts('PASS');
  const na = verdicts('NOT_APPLICABLE');
  const what = [pass ? `PASS ${pass}` : '', na ? `NOT_APPLICABLE ${na}` : ''].filter(Boolean).join('; ');
  out.push(`<details id="pass-${index + 1}"><summary>List ${index + 1}: ${set.resources.length} resource(s) · ${what}</summary>`);
  // One paragraph per account and region (resources are sorted by them).
  let from = 0;
  for (let i = 1; i <= set.resources.length; i++) {
    const first = set.resources[from]!;
    const r = set.resources[i];
    if (r !== undefined && r.accountId === first.accountId && r.region === first.region) continue;
    const ids = set.resources.slice(from, i).map((x) => (x.resourceName === undefined ? h(x.resourceId) : `${h(x.resourceId)} (${h(x.resourceName)})`));
    out.push(`<p class="ids"><span class="meta">${h(locationLabel(first))}:</span> ${ids.join(' · ')}</p>`);
    from = i;
  }
  out.push('</details>');
}
