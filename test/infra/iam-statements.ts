/** Reads IAM statements out of a synthesized template in a readable, comparable form. */
import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation value as text: `{Fn::GetAtt: [X, Arn]}` -> `X.Arn`, joins concatenated, `Ref` -> `${X}`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(describeValue).join(',');
  if (value && typeof value === 'object') {
    const [key, arg] = Object.entries(value as Record<string, unknown>)[0]!;
    if (key === 'Fn::GetAtt') return `${(arg as string[])[0]}.${(arg as string[])[1]}`;
    if (key === 'Ref') return `\${${String(arg)}}`;
    if (key === 'Fn::Join') return ((arg as [string, unknown[]])[1]).map(describeValue).join((arg as [string, unknown[]])[0]);
    if (key === 'Fn::ImportValue') return `import(${describeValue(arg)})`;
    return JSON.stringify(value);
  }
  return String(value);
}

export interface Statement {
  sid?: string;
  effect: string;
  actions: string[];
  resources: string[];
  condition?: unknown;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function normalise(s: Record<string, unknown>): Statement {
  return {
    ...(s['Sid'] ? { sid: String(s['Sid']) } : {}),
    effect: String(s['Effect']),
    actions: list(s['Action']).map(String).sort(),
    resources: list(s['Resource']).map(describeValue).sort(),
    ...(s['Condition'] ? { condition: s['Condition'] } : {}),
  };
}

/** Logical id of the one role whose logical id starts with the prefix. */
export function roleId(template: Template, prefix: string): string {
  const ids = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one role starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** Every statement granted to the role: its inline policies and every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const role = template.findResources('AWS::IAM::Role')[roleLogicalId]!;
  const inline = list(role['Properties']['Policies']).flatMap((p) => list((p as { PolicyDocument: { Statement: unknown } }).PolicyDocument.Statement));
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => list(p['Properties']['Roles']).some((r) => (r as { Ref?: string }).Ref === roleLogicalId))
    .flatMap((p) => list(p['Properties']['PolicyDocument']['Statement']));
  return [...inline, ...attached].map((s) => normalise(s as Record<string, unknown>));
}

/** `action -> resources`, one line per action, sorted: easy to compare as a whole. */
export function grantLines(statements: Statement[]): string[] {
  return statements.flatMap((s) => s.actions.map((a) => `${s.effect} ${a} on ${s.resources.join(' | ')}`)).sort();
}
