import type { Tag } from '../snapshot/schema';

/** The value of tag `key` (exact key match, as AWS tag keys are case-sensitive), or undefined. */
export function tagValue(tags: ReadonlyArray<Tag> | undefined, key: string): string | undefined {
  if (!tags) return undefined;
  for (const tag of tags) if (tag.Key === key) return tag.Value ?? '';
  return undefined;
}
