/**
 * The compiled record checks against zod, the reference: on records of every list the reader
 * checks record by record (from generated estates, then mutated: fields dropped, retyped, set to
 * odd values, keys reordered, extra and inherited-looking keys added) and on arbitrary values, the
 * compiled check returns a value only where zod accepts, and then exactly zod's output (the same
 * keys in the same order, the same values, undefined included). With `owned`, the same output.
 * The reader's verdicts and messages come from zod wherever the compiled check does not vouch.
 */
import * as fc from 'fast-check';
import * as z from 'zod/mini';
import { compileSchema, UNDECIDED } from '../../lambdas/core/snapshot/compiled-schema';
import { parseSnapshot, SnapshotError } from '../../lambdas/core/snapshot/parse-snapshot';
import { SnapshotSchema, TargetSchema, TagSchema } from '../../lambdas/core/snapshot/schema';
import { estateSeedArbitrary, generateSnapshot } from '../support/estate-generator';

const FACTOR = Number(process.env.PROPERTY_RUNS_FACTOR ?? 1);

type Data = Record<string, unknown>;

/** The record schema of each list the reader checks record by record, by `section.list`. */
const RECORD_SCHEMAS: ReadonlyArray<[string, z.ZodMiniType]> = (['ec2', 'ssm'] as const).flatMap((section) =>
  Object.entries(TargetSchema.shape[section].shape).map(([list, schema]) => [`${section}.${list}`, (schema as unknown as { _zod: { def: { element: z.ZodMiniType } } })._zod.def.element] as [string, z.ZodMiniType]),
);
const COMPILED = new Map<string, ReturnType<typeof compileSchema>>(RECORD_SCHEMAS.map(([name, schema]) => [name, compileSchema(schema)]));

/** JSON text that keeps key order and tells undefined, NaN and the infinities apart from null. */
function orderedText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return '<undefined>';
    if (typeof v === 'number' && !Number.isFinite(v)) return `<${String(v)}>`;
    return v;
  });
}

/** Checks one value with both; returns whether the compiled check vouched for it. */
function agree(name: string, schema: z.ZodMiniType, value: unknown): boolean {
  const reference = z.safeParse(schema, value);
  const compiled = COMPILED.get(name)!(value);
  if (compiled === UNDECIDED) return false;
  expect(reference.success).toBe(true);
  expect(orderedText(compiled)).toBe(orderedText(reference.data));
  // Owned: what a parse of the value's own text would give, checked without a copy where it can be.
  const text = orderedText(value);
  if (!text.includes('<')) {
    const ownedOutput = COMPILED.get(name)!(JSON.parse(text), true);
    expect(orderedText(ownedOutput)).toBe(orderedText(reference.data));
  }
  return true;
}

/**
 * A deep copy made in this realm (structuredClone makes its objects in Node's main realm, whose
 * Object.prototype is not the one jest's test context has: the compiled checks leave such objects to zod).
 */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A deep copy of a generated value that keeps what JSON would lose (undefined, NaN, a null
 * prototype): the arbitraries hand out the same constant objects run after run, and a mutation
 * must not write into them.
 */
function freshCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(freshCopy);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype) as Data;
  for (const key of Object.keys(value)) out[key] = freshCopy((value as Data)[key]);
  return out;
}

/** Every object and array inside `root` (root included), in document order; each once. */
function containers(root: unknown): Array<Data | unknown[]> {
  const found: Array<Data | unknown[]> = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    found.push(node as Data);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

const oddValue = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -Infinity, '', 'x', [], {}, [null], { Key: 1 }, Object.create(null)),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 120, maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
);

type Mutation =
  | { kind: 'set'; pick: number; key: number; value: unknown }
  | { kind: 'drop'; pick: number; key: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'extra'; pick: number; name: string; value: unknown };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), key: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat(), key: fc.nat() }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), name: fc.constantFrom('Extra', 'constructor', 'toString', 'hasOwnProperty', '0', '17', 'Placement', 'InstanceId'), value: oddValue }),
);

/** The keys of `object` in reverse order (a new object, put back in place of the old one). */
function reversed(object: Data): Data {
  const out: Data = {};
  for (const key of Object.keys(object).reverse()) out[key] = object[key];
  return out;
}

function mutate(record: unknown, given: Mutation): unknown {
  const mutation = 'value' in given ? { ...given, value: freshCopy(given.value) } : given;
  const all = containers(record);
  const target = all[mutation.pick % all.length]!;
  switch (mutation.kind) {
    case 'set': {
      if (Array.isArray(target)) target[mutation.key % (target.length + 1)] = mutation.value;
      else {
        const keys = Object.keys(target);
        target[keys.length > 0 ? keys[mutation.key % keys.length]! : 'Field'] = mutation.value;
      }
      return record;
    }
    case 'drop': {
      if (Array.isArray(target)) target.splice(mutation.key % (target.length + 1), 1);
      else {
        const keys = Object.keys(target);
        if (keys.length > 0) delete target[keys[mutation.key % keys.length]!];
      }
      return record;
    }
    case 'reverse': {
      if (Array.isArray(target)) {
        target.reverse();
        return record;
      }
      const turned = reversed(target);
      if (target === record) return turned;
      for (const key of Object.keys(target)) delete target[key];
      Object.assign(target, turned);
      return record;
    }
    case 'extra':
      if (!Array.isArray(target)) Object.defineProperty(target, mutation.name, { value: mutation.value, enumerable: true, writable: true, configurable: true });
      return record;
  }
}

/** Values at the edges of what the schemas accept: types, non-finite numbers, strings at and past each length limit. */
const EDGE_VALUES: readonly unknown[] = [
  undefined, null, true, 0, -0, 2.5, NaN, Infinity, -Infinity, '', [], {}, [1], { Key: 'k' },
  ...[63, 64, 65, 127, 128, 129, 255, 256, 257].flatMap((n) => ['x'.repeat(n), '\u{1F600}'.repeat(n)]),
];

/** The paths of every leaf (and every container) below `root`. */
function pathsBelow(root: unknown): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>): void => {
    if (path.length > 0) found.push(path);
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else for (const key of Object.keys(node)) walk((node as Data)[key], [...path, key]);
  };
  walk(root, []);
  return found;
}

function withValueAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  const copy = plainCopy(root) as Data;
  let node = copy as Data;
  for (const step of path.slice(0, -1)) node = node[step as string] as Data;
  node[path[path.length - 1] as string] = freshCopy(value);
  return copy;
}

describe('the compiled record checks give what zod gives', () => {
  it('on every field of a record of each list set to each edge value', () => {
    const target = generateSnapshot(11, 3).targets[0] as unknown as Record<'ec2' | 'ssm', Record<string, unknown[]>>;
    let vouched = 0;
    let undecided = 0;
    for (const [name, schema] of RECORD_SCHEMAS) {
      const [section, list] = name.split('.') as ['ec2' | 'ssm', string];
      for (const record of target[section][list]!.slice(0, 3)) {
        for (const path of pathsBelow(record)) {
          for (const value of EDGE_VALUES) {
            if (agree(name, schema, withValueAt(record, path, value))) vouched++;
            else undecided++;
          }
        }
      }
    }
    expect(vouched).toBeGreaterThan(0);
    expect(undecided).toBeGreaterThan(0);
  });

  it('on generated records, mutated or not', () => {
    let vouched = 0;
    let checked = 0;
    fc.assert(
      fc.property(estateSeedArbitrary(2), fc.nat(), fc.array(mutationArbitrary, { maxLength: 3 }), ({ seed, size }, pick, mutations) => {
        const target = generateSnapshot(seed, size).targets[0] as unknown as Record<'ec2' | 'ssm', Record<string, unknown[]>>;
        for (const [name, schema] of RECORD_SCHEMAS) {
          const [section, list] = name.split('.') as ['ec2' | 'ssm', string];
          const records = target[section][list] ?? [];
          if (records.length === 0) continue;
          let record: unknown = plainCopy(records[pick % records.length]);
          // Unmutated first: a valid record must be vouched for (the fast path is used at all).
          expect(agree(name, schema, record)).toBe(true);
          for (const mutation of mutations) record = mutate(record, mutation);
          checked++;
          if (agree(name, schema, record)) vouched++;
        }
      }),
      { numRuns: 60 * FACTOR },
    );
    expect(checked).toBeGreaterThan(0);
    expect(vouched).toBeGreaterThan(0);
  });

  it('on whole generated targets and snapshots, mutated or not (defaults, regex checks and refinements left to zod where they stand)', () => {
    const schemas: ReadonlyArray<[string, z.ZodMiniType]> = [
      ['target', TargetSchema],
      ['snapshot', SnapshotSchema],
      ['optional default', z.looseObject({ errors: z.optional(z._default(z.array(z.string()), [])), name: z.optional(z.string()) })],
    ];
    for (const [name, schema] of schemas) COMPILED.set(name, compileSchema(schema));
    fc.assert(
      fc.property(estateSeedArbitrary(2), fc.array(mutationArbitrary, { maxLength: 2 }), fc.boolean(), ({ seed, size }, mutations, withoutErrors) => {
        const snapshot = generateSnapshot(seed, size) as unknown as { targets: Data[] };
        if (withoutErrors) delete snapshot.targets[0]!.errors;
        let target: unknown = plainCopy(snapshot.targets[0]);
        for (const mutation of mutations) target = mutate(target, mutation);
        agree('target', TargetSchema, target);
        agree('snapshot', SnapshotSchema, { ...snapshot, targets: [target] });
        agree('optional default', schemas[2]![1], withoutErrors ? { name: 'n' } : { errors: ['e'], name: 'n' });
      }),
      { numRuns: 20 * FACTOR },
    );
  });

  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECORD_SCHEMAS), fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 3 }), ([name, schema], value) => {
        agree(name, schema, value);
      }),
      { numRuns: 200 * FACTOR },
    );
  });

  it('on tags at and around AWS limits, counted in Unicode characters', () => {
    const compiled = compileSchema(TagSchema);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\uD800'), minLength: 120, maxLength: 300 }), fc.boolean(), (text, asKey) => {
        const tag = asKey ? { Key: text, Value: 'v' } : { Key: 'k', Value: text };
        const reference = z.safeParse(TagSchema, tag);
        const out = compiled(tag);
        if (out !== UNDECIDED) {
          expect(reference.success).toBe(true);
          expect(orderedText(out)).toBe(orderedText(reference.data));
        }
      }),
      { numRuns: 200 * FACTOR },
    );
  });

  it('so the reader rejects a record with zod\'s message at the record\'s path', () => {
    const snapshot = generateSnapshot(7, 2) as unknown as { targets: Array<{ ec2: { Subnets: Data[] } }> };
    snapshot.targets[0]!.ec2.Subnets[0]!.SubnetId = 'subnet-' + 'f'.repeat(80);
    let message = '';
    try {
      parseSnapshot(JSON.stringify(snapshot), 'estate.json');
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      message = error.message;
    }
    expect(message).toBe('estate.json: invalid snapshot at $.targets[0].ec2.Subnets[0].SubnetId: a resource id has at most 64 characters');
  });
});
