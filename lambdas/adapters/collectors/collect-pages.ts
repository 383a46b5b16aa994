/**
 * Drains an SDK paginator, keeping only the JSON-safe items of each page as it arrives (raw pages
 * are not held). A failure on any page is recorded and the items already received are kept.
 */
import type { CollectionError } from '../../core/snapshot/schema';
import { attempt, type AwsService } from './collection-error';
import { toJsonSafe, type JsonSafe } from './to-json-safe';

export async function collectPages<Page, Item>(
  errors: CollectionError[],
  service: AwsService,
  operation: string,
  pages: AsyncIterable<Page>,
  itemsOf: (page: Page) => readonly Item[] | undefined,
  into: JsonSafe<Item>[] = [],
): Promise<{ items: JsonSafe<Item>[]; complete: boolean }> {
  const done = await attempt(errors, service, operation, async () => {
    for await (const page of pages) {
      for (const item of itemsOf(page) ?? []) into.push(toJsonSafe(item));
    }
    return true;
  });
  return { items: into, complete: done === true };
}
