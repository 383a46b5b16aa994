/** Cuts text to a field's maximum length, marking the cut. Pure. */

const ELLIPSIS = '…';

/** `text` when it fits in `max` characters (UTF-16 code units, as the SDK models count), else cut with an ellipsis. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - ELLIPSIS.length);
  // Never leave half of a surrogate pair.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** A non-empty value: empty text becomes `fallback` (required string fields have a minimum length of 1). */
export function nonEmpty(text: string | undefined, fallback: string): string {
  return text && text.trim().length > 0 ? text : fallback;
}
