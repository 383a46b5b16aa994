/**
 * A minimal OCSF validator for the Compliance Finding class, driven by the schema fixture
 * test/fixtures/ocsf/compliance-finding-1.8.0.json (extracted from github.com/ocsf/ocsf-schema at
 * the v1.8.0 commit by scripts/extract-ocsf-fixture.py). It checks what the schema says of the
 * class and the objects we emit: required attributes (profile attributes only when the profile is
 * applied), no attributes the class or object does not define nor any it deprecates, at-least-one constraints, enum
 * values, scalar types (timestamp_t is a long of epoch milliseconds), and the class / category /
 * type uids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface AttributeSpec { requirement: 'required' | 'recommended' | 'optional'; type: string; is_array: boolean; enum?: number[]; profile?: string; deprecated?: { since?: string; message?: string } }
interface ObjectSpec { attributes: Record<string, AttributeSpec>; constraints: { at_least_one?: string[] } }
interface Fixture {
  source: string;
  version: string;
  class: { uid: number; category_uid: number; attributes: Record<string, AttributeSpec> };
  objects: Record<string, ObjectSpec>;
  types: Record<string, { type?: string; regex?: string }>;
}

export const OCSF_FIXTURE: Fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/ocsf/compliance-finding-1.8.0.json'), 'utf8'));

/** Every problem of one event; empty when it conforms. */
export function ocsfProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const metadata = event.metadata as { profiles?: string[] } | undefined;
  const profiles = new Set(metadata?.profiles ?? []);
  checkAttributes('', event, OCSF_FIXTURE.class.attributes, profiles, problems);
  if (event.class_uid !== OCSF_FIXTURE.class.uid) problems.push(`class_uid: ${String(event.class_uid)} is not ${OCSF_FIXTURE.class.uid}`);
  if (event.category_uid !== OCSF_FIXTURE.class.category_uid) problems.push(`category_uid: ${String(event.category_uid)} is not ${OCSF_FIXTURE.class.category_uid}`);
  if (typeof event.activity_id === 'number' && event.type_uid !== OCSF_FIXTURE.class.uid * 100 + event.activity_id) problems.push(`type_uid: ${String(event.type_uid)} is not class_uid * 100 + activity_id`);
  return problems;
}

function checkAttributes(prefix: string, value: Record<string, unknown>, spec: Record<string, AttributeSpec>, profiles: Set<string>, problems: string[]): void {
  for (const [name, attribute] of Object.entries(spec)) {
    const applies = !attribute.profile || profiles.has(attribute.profile);
    if (attribute.requirement === 'required' && applies && value[name] === undefined) problems.push(`${prefix}${name}: required`);
  }
  for (const [name, v] of Object.entries(value)) {
    const attribute = spec[name];
    if (!attribute) {
      problems.push(`${prefix}${name}: not an attribute of this class / object`);
      continue;
    }
    if (attribute.deprecated) problems.push(`${prefix}${name}: deprecated since ${attribute.deprecated.since} (${attribute.deprecated.message ?? ''})`);
    if (attribute.profile && !profiles.has(attribute.profile)) problems.push(`${prefix}${name}: belongs to the ${attribute.profile} profile, which metadata.profiles does not list`);
    if (attribute.is_array) {
      if (!Array.isArray(v)) problems.push(`${prefix}${name}: must be an array`);
      else v.forEach((item, i) => checkValue(`${prefix}${name}[${i}]`, item, attribute, profiles, problems));
    } else {
      checkValue(`${prefix}${name}`, v, attribute, profiles, problems);
    }
  }
}

function checkValue(path: string, v: unknown, attribute: AttributeSpec, profiles: Set<string>, problems: string[]): void {
  const object = OCSF_FIXTURE.objects[attribute.type];
  if (object) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(`${path}: must be a ${attribute.type} object`);
      return;
    }
    const record = v as Record<string, unknown>;
    checkAttributes(`${path}.`, record, object.attributes, profiles, problems);
    const atLeastOne = object.constraints.at_least_one;
    if (atLeastOne && !atLeastOne.some((k) => record[k] !== undefined)) problems.push(`${path}: needs at least one of ${atLeastOne.join(', ')}`);
    return;
  }
  const base = scalarBase(attribute.type);
  if (base === undefined) {
    problems.push(`${path}: type ${attribute.type} is not in the fixture (add the object to scripts/extract-ocsf-fixture.py)`);
    return;
  }
  const ok =
    base === 'string_t' ? typeof v === 'string' :
    base === 'integer_t' || base === 'long_t' ? typeof v === 'number' && Number.isInteger(v) :
    base === 'float_t' ? typeof v === 'number' :
    base === 'boolean_t' ? typeof v === 'boolean' :
    base === 'json_t' ? v !== undefined :
    false;
  if (!ok) problems.push(`${path}: ${JSON.stringify(v)} is not a ${attribute.type}`);
  const regex = OCSF_FIXTURE.types[attribute.type]?.regex;
  if (ok && regex && typeof v === 'string' && !new RegExp(regex).test(v)) problems.push(`${path}: does not match the ${attribute.type} pattern`);
  if (attribute.type === 'timestamp_t' && typeof v === 'number' && (v < Date.UTC(2000, 0, 1) || v > Date.UTC(2100, 0, 1))) problems.push(`${path}: ${v} is not epoch milliseconds`);
  if (attribute.enum && typeof v === 'number' && !attribute.enum.includes(v)) problems.push(`${path}: ${v} is not one of ${attribute.enum.join(', ')}`);
}

/** A dictionary type down to its base scalar (timestamp_t -> long_t, datetime_t -> string_t, ...). */
function scalarBase(type: string): string | undefined {
  const scalars = ['string_t', 'integer_t', 'long_t', 'float_t', 'boolean_t', 'json_t'];
  let t: string | undefined = type;
  for (let i = 0; i < 5 && t; i++) {
    if (scalars.includes(t)) return t;
    t = OCSF_FIXTURE.types[t]?.type;
  }
  return undefined;
}
