/**
 * The one sanitiser at the evidence boundary. Every text of a snapshot comes from AWS data that
 * whoever can tag an instance, name a group or write an inventory row controls: before the estate is
 * built from it, every string loses C0 and C1 control characters (ESC sequences drive terminals;
 * raw control bytes break CSV, HTML and the JSON consumers) and the bidirectional controls that
 * reorder text on screen (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069). Tabs and line
 * breaks become a space, so words stay apart. Names, tags and the ids built from them (cluster ids)
 * are then clean in every output format, whatever renders them. Pure.
 */

/** A character no evidence text keeps (C0, DEL, C1, bidi controls, line and paragraph separators). */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/;
const SPACED = /[\t\n\r\u2028\u2029]/g;
const DROPPED = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text without control or bidi characters (the same string when it had none). */
export function cleanEvidenceText(text: string): string {
  return UNSAFE.test(text) ? text.replace(SPACED, ' ').replace(DROPPED, '') : text;
}

/**
 * `value` with every string cleaned. Structure is shared: an object or array none of whose strings
 * changed is returned as it is (the common case costs one test per string, no copy); only the path
 * to a changed string is copied, so the caller's snapshot is never modified.
 */
export function sanitiseEvidence<T>(value: T): T {
  if (typeof value === 'string') return cleanEvidenceText(value) as T;
  return value !== null && typeof value === 'object' ? (sanitiseContainer(value) as T) : value;
}

/**
 * An array or plain object with every string cleaned (anything else as it is). Strings met as
 * items are tested here rather than in a call each: a snapshot holds millions of them.
 */
function sanitiseContainer(value: object): object {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = typeof item === 'string' ? (UNSAFE.test(item) ? cleanEvidenceText(item) : item) : item !== null && typeof item === 'object' ? sanitiseContainer(item) : item;
      if (clean !== item) (copy ??= value.slice())[i] = clean;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  // for-in, not Object.keys: the same own keys in the same order (a plain object inherits no
  // enumerable key), without a keys array per record.
  for (const key in record) {
    const item = record[key];
    const clean = typeof item === 'string' ? (UNSAFE.test(item) ? cleanEvidenceText(item) : item) : item !== null && typeof item === 'object' ? sanitiseContainer(item) : item;
    if (clean !== item) (copy ??= { ...record })[key] = clean;
  }
  return copy ?? value;
}
