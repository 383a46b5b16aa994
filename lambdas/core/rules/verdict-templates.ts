/**
 * Verdicts made once for stand-ins and written out again for every group of resources of the same
 * shape. A rule whose verdicts name ids (a cluster's members, the security group each cluster has
 * to itself) cannot share verdict objects between clusters, but when two clusters differ only in
 * those ids it can share the work: it judges stand-ins whose ids are placeholders (NUL, a letter
 * and numbers, NUL: no AWS id or name holds a NUL), turns those verdicts into templates, and fills
 * the templates with each cluster's own ids.
 *
 * A template is made the second time a shape is met (a shape met once costs nothing extra), and
 * kept only if it gives exactly the verdicts judged the normal way for that cluster; otherwise the
 * shape is never templated. Create one per `evaluate()` call, so nothing outlives the evaluation.
 */
import type { Verdict } from './rule';

/** Literal pieces, and value indexes where a placeholder stood. */
type TemplateText = ReadonlyArray<string | number>;

interface VerdictTemplate {
  status: Verdict['status'];
  severity: Verdict['severity'];
  observed: TemplateText;
  required: TemplateText;
  remediation: TemplateText;
}

const PLACEHOLDER = /\u0000[^\u0000]*\u0000/g;

/** The text as pieces; undefined when it holds a placeholder `slotOf` does not know, or a stray NUL. */
function compileText(text: string, slotOf: (placeholder: string) => number | undefined): TemplateText | undefined {
  const pieces: Array<string | number> = [];
  let at = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const slot = slotOf(match[0]);
    if (slot === undefined) return undefined;
    if (match.index > at) pieces.push(text.slice(at, match.index));
    pieces.push(slot);
    at = match.index + match[0].length;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces.some((p) => typeof p === 'string' && p.includes('\u0000')) ? undefined : pieces;
}

function fill(text: TemplateText, values: readonly string[]): string {
  // A text without placeholders is the same string object for every cluster (as a shared verdict's is).
  if (text.length === 1 && typeof text[0] === 'string') return text[0];
  let out = '';
  for (const piece of text) out += typeof piece === 'number' ? values[piece]! : piece;
  return out;
}

function compile(verdicts: readonly Verdict[], slotOf: (placeholder: string) => number | undefined): VerdictTemplate[] | undefined {
  const out: VerdictTemplate[] = [];
  // Equal texts share one template, so that `instantiate` writes them once per group (as judging did).
  const texts = new Map<string, TemplateText | undefined>();
  const compiled = (text: string) => {
    if (!texts.has(text)) texts.set(text, compileText(text, slotOf));
    return texts.get(text);
  };
  for (const v of verdicts) {
    const observed = compiled(v.observed);
    const required = compiled(v.required);
    const remediation = compiled(v.remediation);
    if (!observed || !required || !remediation) return undefined;
    out.push({ status: v.status, severity: v.severity, observed, required, remediation });
  }
  return out;
}

function instantiate(templates: readonly VerdictTemplate[], values: readonly string[]): Verdict[] {
  const filled = new Map<TemplateText, string>();
  const text = (t: TemplateText) => {
    let out = filled.get(t);
    if (out === undefined) filled.set(t, (out = fill(t, values)));
    return out;
  };
  return templates.map((t) => ({ status: t.status, severity: t.severity, observed: text(t.observed), required: text(t.required), remediation: text(t.remediation) }));
}

function same(a: readonly Verdict[], b: readonly Verdict[]): boolean {
  return a.length === b.length && a.every((v, i) => v.status === b[i]!.status && v.severity === b[i]!.severity && v.observed === b[i]!.observed && v.required === b[i]!.required && v.remediation === b[i]!.remediation);
}

/** What a caller gives for one group of resources of a shape. */
export interface TemplatedGroup {
  /** Equal keys: equal verdicts once `values` are put in for the placeholders. */
  key: string;
  /** This group's own texts, by slot. */
  values: readonly string[];
  /** The verdicts judged the normal way. */
  judge(): Verdict[];
  /** The verdicts of the stand-ins, and the slot of each placeholder they hold. */
  judgeStandIns(): { verdicts: Verdict[]; slotOf(placeholder: string): number | undefined };
}

export class VerdictTemplates {
  /** false: met once; null: never templated. */
  private readonly byKey = new Map<string, VerdictTemplate[] | false | null>();

  verdicts(group: TemplatedGroup): Verdict[] {
    const entry = this.byKey.get(group.key);
    if (entry) return instantiate(entry, group.values);
    if (entry === undefined) {
      this.byKey.set(group.key, false);
      return group.judge();
    }
    if (entry === null) return group.judge();
    const judged = group.judge();
    const standIns = group.judgeStandIns();
    const template = compile(standIns.verdicts, standIns.slotOf);
    this.byKey.set(group.key, template && same(instantiate(template, group.values), judged) ? template : null);
    return judged;
  }
}
