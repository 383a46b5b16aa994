/**
 * Glob matching for waiver resource patterns: `*` matches any run of characters (including none and
 * including `/`), every other character matches itself, and the whole value must match (anchored).
 * No regular expression is built from the pattern, so nothing in it can be interpreted as one, and
 * the matcher runs in O(pattern x value) time whatever the pattern (no catastrophic backtracking).
 */
export function matchesResourcePattern(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  /** Position in the pattern just after the last `*`, and the value position it was tried at. */
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = ++p;
      starV = v;
    } else if (p < pattern.length && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (starP >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      p = starP;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The names a finding's resource can be matched by: its id, and `<account>/<region>/<id>`. */
export function resourceNames(f: { accountId: string; region: string; resourceId: string }): [string, string] {
  return [f.resourceId, `${f.accountId}/${f.region}/${f.resourceId}`];
}
