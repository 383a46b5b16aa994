/**
 * One reader contract: on generated snapshots with injected faults (`__proto__` and `constructor`
 * keys at every level, null and wrongly typed records, records listed twice, strings and nesting
 * over the limits, a key twice, a byte-order mark), the stream reader (cut anywhere), parseSnapshot
 * and validateSnapshot on the runtime-parsed data accept and reject the same documents with the
 * same message. The faults that must be rejected are.
 */
import * as fc from 'fast-check';
import { parseSnapshot, SnapshotError, validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import type { Snapshot, SnapshotTarget } from '../../lambdas/core/snapshot/schema';
import { SnapshotStreamReader } from '../../lambdas/core/snapshot/snapshot-stream-reader';
import { estateSeedArbitrary, generateSnapshot } from '../support/estate-generator';
import { nestedArrays, withOwnProtoKey } from '../fixtures/hostile/make-hostile-snapshots';

type Data = Record<string, unknown>;
type Outcome = { accepted: true; snapshot: Snapshot } | { accepted: false; message: string };

function outcomeOf(read: () => Snapshot): Outcome {
  try {
    return { accepted: true, snapshot: read() };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    return { accepted: false, message: error.message };
  }
}

function streamed(text: string, cuts: readonly number[]): Snapshot {
  const bytes = Buffer.from(text, 'utf8');
  const targets: SnapshotTarget[] = [];
  const reader = new SnapshotStreamReader('estate.json', (target) => targets.push(target));
  let at = 0;
  for (const cut of [...cuts].map((c) => c % (bytes.length + 1)).sort((a, b) => a - b)) {
    if (cut <= at) continue;
    reader.push(bytes.subarray(at, cut));
    at = cut;
  }
  reader.push(bytes.subarray(at));
  return { ...reader.end(), targets };
}

/** Every object and array of the document, in document order. */
function containers(root: unknown): Array<Data | unknown[]> {
  const found: Array<Data | unknown[]> = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    found.push(node as Data);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

type Fault = 'proto' | 'constructor' | 'null' | 'retype' | 'longString' | 'deep' | 'duplicate' | 'longTag';
/** Faults that make any document invalid, wherever they land. */
const ALWAYS_REJECTED: ReadonlySet<Fault> = new Set(['proto', 'longString', 'deep']);

function inject(document: Data, fault: Fault, pick: number): void {
  const all = containers(document);
  const objects = all.filter((c): c is Data => !Array.isArray(c));
  const arrays = all.filter((c): c is unknown[] => Array.isArray(c) && c.length > 0);
  const object = objects[pick % objects.length]!;
  switch (fault) {
    case 'proto':
      withOwnProtoKey(object, { InstanceId: 12345 });
      return;
    case 'constructor':
      (object as Record<string, unknown>)['constructor'] = pick % 2 === 0 ? 'data' : { prototype: null };
      return;
    case 'null': {
      const array = arrays[pick % arrays.length];
      if (array) array[pick % array.length] = null;
      return;
    }
    case 'retype': {
      const key = Object.keys(object).find((k) => typeof object[k] === 'string');
      if (key) object[key] = 12345;
      return;
    }
    case 'longString':
      object.Note = 'x'.repeat(70_000);
      return;
    case 'deep':
      object.Deep = nestedArrays(70);
      return;
    case 'duplicate': {
      const array = arrays[pick % arrays.length];
      const item = array?.[pick % array.length];
      if (array && item !== null && typeof item === 'object') {
        const copy = JSON.parse(JSON.stringify(item)) as Data;
        if (pick % 3 === 0) copy.Extra = 'differs';
        array.push(copy);
      }
      return;
    }
    case 'longTag':
      object.Tags = [{ Key: 'Name', Value: 'n'.repeat(257) }];
      return;
  }
}

const faultArbitrary = fc.record({
  fault: fc.constantFrom<Fault>('proto', 'constructor', 'null', 'retype', 'longString', 'deep', 'duplicate', 'longTag'),
  pick: fc.nat(),
});

describe('the stream reader, parseSnapshot and validateSnapshot agree', () => {
  it('on generated snapshots with injected faults', () => {
    fc.assert(
      fc.property(estateSeedArbitrary(2), fc.array(faultArbitrary, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), ({ seed, size }, faults, cuts, indented) => {
        const document = generateSnapshot(seed, size) as unknown as Data;
        for (const { fault, pick } of faults) inject(document, fault, pick);
        const text = indented ? JSON.stringify(document, null, 2) : JSON.stringify(document);
        const whole = outcomeOf(() => parseSnapshot(text, 'estate.json'));
        expect(outcomeOf(() => streamed(text, cuts))).toEqual(whole);
        // What the Lambda runtime hands the scan Lambda: the text already parsed.
        expect(outcomeOf(() => validateSnapshot(JSON.parse(text), 'estate.json'))).toEqual(whole);
        // A byte-order mark changes nothing.
        expect(outcomeOf(() => parseSnapshot(`\uFEFF${text}`, 'estate.json'))).toEqual(whole);
        // A later fault can replace the part an earlier one went into (a null over the record that was
        // made deep): only the last fault is sure to be in the document.
        const lastFault = faults[faults.length - 1];
        if (lastFault && ALWAYS_REJECTED.has(lastFault.fault)) expect(whole.accepted).toBe(false);
        if (!whole.accepted) expect(whole.message).toMatch(/^estate\.json: invalid snapshot at \$/);
      }),
      { numRuns: 60 },
    );
  });

  it('on a key given twice: the text readers both reject it', () => {
    fc.assert(
      fc.property(estateSeedArbitrary(2), fc.constantFrom('targets', 'format', 'capturedAt'), fc.array(fc.nat(), { maxLength: 8 }), ({ seed, size }, key, cuts) => {
        const text = JSON.stringify(generateSnapshot(seed, size)).replace('{', `{${JSON.stringify(key)}:[],`);
        const whole = outcomeOf(() => parseSnapshot(text, 'estate.json'));
        expect(whole).toEqual({ accepted: false, message: `estate.json: invalid snapshot at $.${key}: the key "${key}" appears twice` });
        expect(outcomeOf(() => streamed(text, cuts))).toEqual(whole);
      }),
      { numRuns: 20 },
    );
  });
});
