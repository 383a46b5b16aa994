/**
 * A zod schema compiled into plain functions, for the records a snapshot holds by the hundred
 * thousand. zod stays the judge: the compiled function either returns exactly what
 * `schema.safeParse(value).data` would (same values, same keys in the same order) for a value zod
 * accepts, or answers UNDECIDED, and the caller then asks zod, which gives the verdict and the
 * message. The compiled function never rejects anything by itself, so the accept / reject
 * decisions and the messages are zod's own by construction; what has to hold is that it returns
 * a value only where zod accepts that value (test/properties/compiled-schema.test.ts feeds both
 * random valid and invalid records and compares).
 *
 * What it follows of zod 4's parsing (node_modules/zod/v4/core/schemas.cjs):
 * - object (loose): not an object or an array -> undecided. The output is a new object with the
 *   shape's keys first, in the shape's order (a key `in` the input, or it is left out), then every
 *   other key `for...in` gives, in that order, but `__proto__`.
 * - optional: an undefined value stays undefined; anything else goes to the inner schema.
 * - string, boolean: the value itself when its type is right. number: finite numbers only.
 * - record (string keys): plain objects only (as zod's isPlainObject surely takes them); keys as Reflect.ownKeys gives
 *   them, enumerable ones only, `__proto__` skipped; a symbol key -> undecided.
 * - array: a new array of the element's outputs.
 * - unknown: the value itself.
 * - checks on a string (max_length, refine): run as zod runs them (each check's own code).
 * Any other kind of schema is left to zod's safeParse for that part of the value.
 */
import * as z from 'zod/mini';

/** The compiled function's answer when it cannot vouch for the value: ask zod. */
export const UNDECIDED: unique symbol = Symbol('undecided');

/**
 * `owned`: the value is the caller's own, made for this check (JSON.parse's output that nothing
 * else holds); then a part of it that is already what zod would return may be returned itself
 * instead of a copy. Without it every object and array of the output is new, as zod's are.
 */
export type CompiledSchema = (value: unknown, owned?: boolean) => unknown;

interface ZodInternals {
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  def: {
    type: string;
    shape?: Record<string, z.ZodMiniType>;
    catchall?: z.ZodMiniType;
    innerType?: z.ZodMiniType;
    element?: z.ZodMiniType;
    keyType?: z.ZodMiniType;
    valueType?: z.ZodMiniType;
    checks?: ReadonlyArray<{ _zod: CheckInternals }>;
  };
}

interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

interface CheckInternals {
  def: { check: string; when?: (payload: CheckPayload) => boolean };
  check(payload: CheckPayload): unknown;
}

const internals = (schema: z.ZodMiniType): ZodInternals => (schema as unknown as { _zod: ZodInternals })._zod;

/** The checks whose code only reads the value (no transformation): these are run as zod runs them. */
const READ_ONLY_CHECKS: ReadonlySet<string> = new Set(['max_length', 'custom']);

/** The whole of `schema` left to zod (a kind this module does not compile). */
function byZod(schema: z.ZodMiniType): CompiledSchema {
  return (value) => {
    const result = z.safeParse(schema, value);
    return result.success ? result.data : UNDECIDED;
  };
}

/**
 * A check as a predicate that passes a string only where zod's own check passes it. max_length
 * counts code points in zod, which are never more than the UTF-16 units `length` counts; refine
 * passes on a `true` from its function. Anything else, and any string those two do not pass at
 * once, is run through the check's own code.
 */
function checkPredicate(check: CheckInternals): (value: string) => boolean {
  const byZod = (value: string): boolean => {
    const payload: CheckPayload = { value, issues: [] };
    if (check.def.when && !check.def.when(payload)) return true;
    return check.check(payload) === undefined && payload.issues.length === 0;
  };
  const { def } = check as unknown as { def: { check: string; maximum?: number; fn?: (value: unknown) => unknown; when?: unknown } };
  if (def.check === 'max_length' && typeof def.maximum === 'number') {
    const maximum = def.maximum;
    return (value) => value.length <= maximum || byZod(value);
  }
  if (def.check === 'custom' && def.when === undefined && typeof def.fn === 'function') {
    const fn = def.fn;
    return (value) => fn(value) === true || byZod(value);
  }
  return byZod;
}

function compileString(checks: readonly CheckInternals[]): CompiledSchema {
  if (checks.length === 0) return (value) => (typeof value === 'string' ? value : UNDECIDED);
  const predicates = checks.map(checkPredicate);
  if (predicates.length === 1) {
    const passes = predicates[0]!;
    return (value) => (typeof value === 'string' && passes(value) ? value : UNDECIDED);
  }
  return (value) => (typeof value === 'string' && predicates.every((passes) => passes(value)) ? value : UNDECIDED);
}

/** Whether a key is found on every object through its prototype (then `key in input` says nothing about the input's own keys). */
const inheritedByEveryObject = (key: string): boolean => key in Object.prototype;

/**
 * A loose object's check. The output is zod's: shape keys first, in the shape's order (each one
 * `in` the input), then the other keys `for...in` gives, but `__proto__`.
 *
 * Two ways to it. For any value, code generated with the shape's keys written out builds that
 * output (a property read with a literal key is what V8 makes fast). For an owned value (parsed
 * from text by the caller: a plain object of its own enumerable keys, nothing inherited), one
 * `for...in` pass over its keys checks each field: when its keys are already in the output's
 * order and every field's check returns the field itself, the value is returned as it is;
 * otherwise the output is built from the fields checked in that pass.
 */
function compileObject(shape: Record<string, z.ZodMiniType>, catchall: z.ZodMiniType | undefined): CompiledSchema | undefined {
  if (catchall === undefined || internals(catchall).def.type !== 'unknown' || Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  const keys = Object.keys(shape).filter((key) => key !== '__proto__');
  const fields = keys.map((key) => compileSchema(shape[key]!));
  const index = new Map(keys.map((key, i) => [key, i]));
  // A key zod leaves out when absent: its schema is optional in and out (not one that puts a default in its place).
  const optional = keys.map((key) => internals(shape[key]!).optin === 'optional' && internals(shape[key]!).optout === 'optional');
  const lines: string[] = [
    'return function checkObject(value, owned) {',
    '  if (typeof value !== "object" || value === null || Array.isArray(value)) return UNDECIDED;',
  ];
  keys.forEach((key, i) => {
    const literal = JSON.stringify(key);
    lines.push(
      `  const present${i} = ${literal} in value;`,
      `  let field${i};`,
      `  if (present${i}) {`,
      `    field${i} = fields[${i}](value[${literal}], owned);`,
      `    if (field${i} === UNDECIDED) return UNDECIDED;`,
      optional[i] ? '  }' : '  } else return UNDECIDED;',
    );
  });
  lines.push(
    '  const out = {};',
    ...keys.map((key, i) => `  if (present${i}) out[${JSON.stringify(key)}] = field${i};`),
    '  for (const key in value) {',
    '    if (index.has(key) || key === "__proto__") continue;',
    '    out[key] = value[key];',
    '  }',
    '  return out;',
    '};',
  );
  const copy = new Function('fields', 'index', 'UNDECIDED', lines.join('\n'))(fields, index, UNDECIDED) as CompiledSchema;
  if (keys.some(inheritedByEveryObject)) return copy;
  const required = optional.filter((isOptional) => !isOptional).length;
  // Each checked field of the owned value being checked, kept for building a reordered copy: a
  // field counts when its stamp is this call's. A schema never contains itself, so no call of this
  // check starts while another is under way.
  const checkedFields = new Array<unknown>(keys.length);
  const stamps = new Array<number>(keys.length).fill(0);
  let call = 0;
  return function checkOwnedObject(value, owned) {
    if (owned !== true) return copy(value, owned);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return UNDECIDED;
    const input = value as Record<string, unknown>;
    const stamp = ++call;
    let same = true;
    let last = -1;
    let other = false;
    let requiredSeen = 0;
    for (const key in input) {
      const at = index.get(key);
      if (at === undefined) {
        other = true;
        if (key === '__proto__' || !Object.hasOwn(input, key)) same = false;
        continue;
      }
      const field: unknown = input[key];
      const checked = fields[at]!(field, true);
      if (checked === UNDECIDED) return UNDECIDED;
      if (checked !== field || other || at < last) same = false;
      last = at;
      checkedFields[at] = checked;
      stamps[at] = stamp;
      if (!optional[at]) requiredSeen++;
    }
    if (requiredSeen !== required) return UNDECIDED;
    if (same) return input;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      if (stamps[i] !== stamp) continue;
      out[keys[i]!] = checkedFields[i];
      checkedFields[i] = undefined;
    }
    for (const key in input) {
      if (index.has(key) || key === '__proto__') continue;
      out[key] = input[key];
    }
    return out;
  };
}

/**
 * Objects zod's isPlainObject (zod/v4/core/util) surely takes as plain: a null prototype and no
 * `constructor`, or Object.prototype with Object as `constructor`. Anything else is left to zod.
 */
function surelyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  const constructor = (value as { constructor?: unknown }).constructor;
  if (prototype === null) return constructor === undefined;
  return prototype === Object.prototype && constructor === Object && Object.hasOwn(Object.prototype, 'isPrototypeOf');
}

function compileRecord(keyType: z.ZodMiniType, valueType: z.ZodMiniType): CompiledSchema | undefined {
  const keyDef = internals(keyType).def;
  if (keyDef.type !== 'string' || (keyDef.checks?.length ?? 0) > 0) return undefined;
  const element = compileSchema(valueType);
  return function checkRecord(value, owned) {
    if (owned === true && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // An owned value is a plain object of its own enumerable string keys (zod's isPlainObject
      // holds, whatever its `constructor` key holds): one pass over its keys. Kept as it is when
      // every item's check returns the item; otherwise copied as below.
      const input = value as Record<string, unknown>;
      let same = true;
      for (const key in input) {
        if (key === '__proto__' || !Object.hasOwn(input, key)) return UNDECIDED;
        const item: unknown = input[key];
        const checked = element(item, true);
        if (checked === UNDECIDED) return UNDECIDED;
        if (checked !== item) same = false;
      }
      if (same) return input;
    }
    if (!surelyPlainObject(value)) return UNDECIDED;
    const input = value as Record<PropertyKey, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(input)) {
      if (key === '__proto__') continue;
      if (!Object.prototype.propertyIsEnumerable.call(input, key)) continue;
      if (typeof key !== 'string') return UNDECIDED;
      const item = element(input[key], owned);
      if (item === UNDECIDED) return UNDECIDED;
      out[key] = item;
    }
    return out;
  };
}

function compileArray(elementType: z.ZodMiniType): CompiledSchema {
  const element = compileSchema(elementType);
  return function checkArray(value, owned) {
    if (!Array.isArray(value)) return UNDECIDED;
    const length = value.length;
    // Made at the first element that differs from its input (at once for a value not owned).
    let out: unknown[] | undefined = owned === true ? undefined : new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const input: unknown = value[i];
      const item = element(input, owned);
      if (item === UNDECIDED) return UNDECIDED;
      if (out === undefined && item !== input) {
        out = new Array<unknown>(length);
        for (let j = 0; j < i; j++) out[j] = value[j];
      }
      if (out !== undefined) out[i] = item;
    }
    return out ?? value;
  };
}

/** `schema` compiled: its output for a value zod accepts, or UNDECIDED. */
export function compileSchema(schema: z.ZodMiniType): CompiledSchema {
  const { def } = internals(schema);
  const checks = (def.checks ?? []).map((check) => check._zod);
  const readOnlyChecks = checks.every((check) => READ_ONLY_CHECKS.has(check.def.check));
  let compiled: CompiledSchema | undefined;
  switch (def.type) {
    case 'string':
      if (readOnlyChecks) compiled = compileString(checks);
      break;
    case 'number':
      if (checks.length === 0) compiled = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : UNDECIDED);
      break;
    case 'boolean':
      if (checks.length === 0) compiled = (value) => (typeof value === 'boolean' ? value : UNDECIDED);
      break;
    case 'unknown':
      if (checks.length === 0) compiled = (value) => value;
      break;
    case 'optional':
      // zod gives an undefined value to the inner schema only when that one puts a default in its place.
      if (checks.length === 0 && internals(def.innerType!).optin !== 'defaulted') {
        const innerDef = internals(def.innerType!).def;
        const plain = (innerDef.checks?.length ?? 0) === 0;
        // The optional strings, numbers and booleans most fields are: one check, no call to the inner one.
        if (plain && innerDef.type === 'string') compiled = (value) => (value === undefined || typeof value === 'string' ? value : UNDECIDED);
        else if (plain && innerDef.type === 'number') compiled = (value) => (value === undefined || (typeof value === 'number' && Number.isFinite(value)) ? value : UNDECIDED);
        else if (plain && innerDef.type === 'boolean') compiled = (value) => (value === undefined || typeof value === 'boolean' ? value : UNDECIDED);
        else {
          const inner = compileSchema(def.innerType!);
          compiled = function checkOptional(value, owned) {
            return value === undefined ? undefined : inner(value, owned);
          };
        }
      }
      break;
    case 'array':
      if (checks.length === 0) compiled = compileArray(def.element!);
      break;
    case 'object':
      if (checks.length === 0) compiled = compileObject(def.shape!, def.catchall);
      break;
    case 'record':
      if (checks.length === 0) compiled = compileRecord(def.keyType!, def.valueType!);
      break;
  }
  return compiled ?? byZod(schema);
}
