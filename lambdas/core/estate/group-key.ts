/**
 * The one normalisation of tag values that name a group (an environment, a cluster): surrounding
 * white space dropped, inner runs of white space folded to one space, case folded. "LIVE", "Live"
 * and " live " name the same environment; every grouping (clusters, front-end matching, subnet
 * ownership) uses this and nothing else.
 */
export function groupKey(tagValue: string): string {
  return groupDisplayName(tagValue).toLowerCase();
}

const WHITE_SPACE = /\s/;
const WHITE_SPACE_RUNS = /\s+/g;

/** The display form of a group's name: trimmed, inner white space folded (case kept). */
export function groupDisplayName(tagValue: string): string {
  const trimmed = tagValue.trim();
  // Most values have no inner white space: skip the replacement (a cluster tag is read per server).
  return WHITE_SPACE.test(trimmed) ? trimmed.replace(WHITE_SPACE_RUNS, ' ') : trimmed;
}
