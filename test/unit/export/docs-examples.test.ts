/**
 * The examples in docs/exports.md and docs/finding-events.md are valid and in step with the code:
 * the ASFF and OCSF examples pass the validators; events the code produces match the documented
 * detail schema (a small JSON Schema subset: required, additionalProperties, const, enum, type);
 * the two rule patterns match the events they are meant for and not the others (exact-value
 * EventBridge patterns, the only kind they use).
 */
import { readFileSync } from 'node:fs';
import { findingChangeEvents } from '../../../lambdas/core/export/finding-change-event';
import { nextFindingStates } from '../../../lambdas/core/finding-states';
import { aStoredFinding } from '../../support/findings-fixture';
import { asffProblems } from './asff-model';
import { ocsfProblems } from './ocsf-validator';

function jsonBlocks(path: string): Array<Record<string, unknown>> {
  return [...readFileSync(path, 'utf8').matchAll(/```json\n([\s\S]*?)\n```/g)].flatMap((m) => {
    try {
      return [JSON.parse(m[1]!) as Record<string, unknown>];
    } catch {
      return []; // fragments such as { "securityHub": ... } with placeholders
    }
  });
}

type Schema = { type?: string | string[]; const?: unknown; enum?: unknown[]; required?: string[]; additionalProperties?: boolean; properties?: Record<string, Schema> };

function schemaProblems(value: unknown, schema: Schema, path = '$'): string[] {
  const problems: string[] = [];
  if (schema.const !== undefined && value !== schema.const) problems.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (!types.includes(actual)) problems.push(`${path}: ${actual} is not ${types.join('|')}`);
  }
  if (schema.properties && typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) problems.push(`${path}.${r}: required`);
    for (const [k, v] of Object.entries(o)) {
      const p = schema.properties[k];
      if (!p) {
        if (schema.additionalProperties === false) problems.push(`${path}.${k}: not in the schema`);
      } else problems.push(...schemaProblems(v, p, `${path}.${k}`));
    }
  }
  return problems;
}

function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([k, p]) => (Array.isArray(p) ? p.includes(event[k]) : typeof event[k] === 'object' && event[k] !== null && matches(p as Record<string, unknown>, event[k] as Record<string, unknown>)));
}

describe('docs/exports.md', () => {
  const blocks = jsonBlocks('docs/exports.md');
  it('the ASFF example is a valid finding', () => {
    const asff = blocks.filter((b) => b.SchemaVersion === '2018-10-08');
    expect(asff).toHaveLength(1);
    expect(asffProblems(asff[0]!)).toEqual([]);
  });
  it('the OCSF example is a valid Compliance Finding', () => {
    const ocsf = blocks.filter((b) => b.class_uid === 2003);
    expect(ocsf).toHaveLength(1);
    expect(ocsfProblems(ocsf[0]!)).toEqual([]);
  });
});

describe('docs/finding-events.md', () => {
  const blocks = jsonBlocks('docs/finding-events.md');
  const schema = blocks.find((b) => b.$id === 'redis-compliance/finding-changed/1.0') as Schema;
  const example = blocks.find((b) => b['detail-type'] === 'Redis Compliance Finding Changed' && 'detail' in b && 'version' in b)!;
  const [critical, resolved] = blocks.filter((b) => Array.isArray(b.source) && 'detail' in b);

  const targets = [{ accountId: '111122223333', region: 'eu-west-1' }];
  const prodCritical = aStoredFinding('s1', { status: 'FAIL', ruleStatus: 'FAIL', severity: 'critical', production: true });
  const devCritical = aStoredFinding('s1', { resourceId: 'i-0dev', status: 'FAIL', ruleStatus: 'FAIL', severity: 'critical', production: false, environment: 'dev' });
  const prodHigh = aStoredFinding('s1', { resourceId: 'i-0high', status: 'FAIL', ruleStatus: 'FAIL', severity: 'high' });
  const first = nextFindingStates([], [prodCritical, devCritical, prodHigh], { scanId: 's1', at: '2026-11-24T02:00:00.000Z', targets });
  const newEvents = findingChangeEvents({ previousStates: [], findings: [prodCritical, devCritical, prodHigh], changes: first.changes, states: first.states, scan: { scanId: 's1', at: '2026-11-24T02:00:00.000Z' } });
  const second = nextFindingStates(first.states, [], { scanId: 's2', at: '2026-11-25T02:00:00.000Z', targets });
  const resolvedEvents = findingChangeEvents({ previousStates: first.states, findings: [], changes: second.changes, states: second.states, scan: { scanId: 's2', at: '2026-11-25T02:00:00.000Z' } });
  const envelope = (detail: unknown) => ({ source: 'redis-compliance', 'detail-type': 'Redis Compliance Finding Changed', detail });

  it('events the code produces, and the example, match the detail schema', () => {
    expect(schema).toBeDefined();
    for (const e of [...newEvents, ...resolvedEvents]) expect(schemaProblems(e, schema)).toEqual([]);
    expect(schemaProblems(example.detail, schema)).toEqual([]);
    expect(schemaProblems({ ...newEvents[0]!, extra: 1 }, schema)).toEqual(['$.extra: not in the schema']);
  });

  it('the critical-production rule matches only the new critical production failure', () => {
    expect([...newEvents, ...resolvedEvents].filter((e) => matches(critical!, envelope(e))).map((e) => [e.change, e.finding.resourceId])).toEqual([['NEW_FAILURE', 'i-0123456789abcdef0']]);
  });

  it('the resolved rule matches every resolution and nothing else', () => {
    expect([...newEvents, ...resolvedEvents].filter((e) => matches(resolved!, envelope(e)))).toEqual(resolvedEvents);
    expect(resolvedEvents).toHaveLength(3);
  });
});
