/**
 * The scanner hands out each taken value's exact text, wherever the chunks are cut: on arbitrary
 * JSON values (strings with quotes, backslashes, escaped quotes before a cut, multi-byte
 * characters; numbers, literals, nested containers), taken whole as items of a descended array,
 * indented or not. And it says a value is within the reader's limits only where it is.
 */
import * as fc from 'fast-check';
import { JsonValueScanner, type JsonPathStep } from '../../lambdas/core/snapshot/json-value-scanner';
import { firstLimitProblem, MAX_STRING_LENGTH } from '../../lambdas/core/snapshot/reader-limits';

const FACTOR = Number(process.env.PROPERTY_RUNS_FACTOR ?? 1);

function scanItems(text: string, cuts: readonly number[]): Array<{ path: JsonPathStep[]; value: unknown }> {
  const taken: Array<{ path: JsonPathStep[]; value: unknown }> = [];
  const scanner = new JsonValueScanner({
    // The document (an object) and its `items` array are walked; everything else is taken whole.
    decide: (path, kind) => (path.length === 0 && kind === 'object') || (path.length === 1 && path[0] === 'items' && kind === 'array') ? 'descend' : 'take',
    onValue: (path, valueText) => taken.push({ path: [...path], value: JSON.parse(valueText) }),
  });
  pushInChunks(scanner, text, cuts);
  return taken;
}

/** Feeds `text` to the scanner in chunks cut at `cuts` (byte offsets, taken modulo the length), then ends it. */
function pushInChunks(scanner: JsonValueScanner, text: string, cuts: readonly number[]): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    if (cut <= at) continue;
    scanner.push(bytes.subarray(at, cut));
    at = cut;
  }
  scanner.push(bytes.subarray(at));
  scanner.end();
}

/** Strings made of the characters that matter to a scanner: quotes, backslashes, brackets, multi-byte ones. */
const trickyString = fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'a', ' ', '\n', '\u00e9', '\u4e2d', '\ud83d\ude00'), maxLength: 12 });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    trickyString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(true, false, null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('json'), { maxKeys: 4 }),
  ),
})).json;

describe('the JSON value scanner', () => {
  it('hands out every taken value as its exact text, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), value, fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), (items, other, cuts, indented) => {
        const document = { items, other };
        const text = indented ? JSON.stringify(document, null, 2) : JSON.stringify(document);
        // JSON.stringify writes -0 as 0: compare with what a parse of the whole text gives.
        const expected = JSON.parse(text) as { items: unknown[]; other: unknown };
        expect(scanItems(text, cuts)).toEqual([...expected.items.map((item, i) => ({ path: ['items', i], value: item })), { path: ['other'], value: expected.other }]);
      }),
      { numRuns: 300 * FACTOR },
    );
  });

  it('says a taken value is within the limits only where it is (no long string or key, no __proto__ key)', () => {
    const special = fc.constantFrom('__proto__', '\\u005f_proto__', '_12345678', 'x'.repeat(MAX_STRING_LENGTH), 'x'.repeat(MAX_STRING_LENGTH + 1), '\u00e9'.repeat(MAX_STRING_LENGTH), '\ud83d\ude00'.repeat(MAX_STRING_LENGTH / 2 + 1));
    let vouched = 0;
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), fc.array(fc.record({ at: fc.nat(), text: special, asKey: fc.boolean() }), { maxLength: 2 }), fc.array(fc.nat(), { maxLength: 6 }), (items, inserts, cuts) => {
        // Specials go in as keys or string values of one more item, written into the text as they are (escapes included).
        const extra = inserts.map(({ text, asKey }, i) => (asKey ? `{"${text}": ${i}}` : `["${text}"]`));
        const text = `{"items": [${[...items.map((item) => JSON.stringify(item)), ...extra].join(', ')}]}`;
        const taken: Array<{ path: JsonPathStep[]; text: string; withinLimits: boolean }> = [];
        const scanner = new JsonValueScanner({
          decide: (path, kind) => ((path.length === 0 && kind === 'object') || (path.length === 1 && kind === 'array') ? 'descend' : 'take'),
          onValue: (path, valueText, withinLimits) => taken.push({ path: [...path], text: valueText, withinLimits }),
        });
        pushInChunks(scanner, text, cuts);
        for (const { path, text: valueText, withinLimits } of taken) {
          if (!withinLimits) continue;
          vouched++;
          expect(firstLimitProblem(JSON.parse(valueText), path)).toBeUndefined();
        }
      }),
      { numRuns: 100 * FACTOR },
    );
    expect(vouched).toBeGreaterThan(0);
  });

  it('rejects a document cut short anywhere inside a taken value', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), (items, end, cuts) => {
        const text = JSON.stringify({ items });
        const short = text.slice(0, 10 + (end % (text.length - 11)));
        expect(() => scanItems(short, cuts)).toThrow();
      }),
      { numRuns: 200 * FACTOR },
    );
  });
});
