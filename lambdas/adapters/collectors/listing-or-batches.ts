/**
 * A capture often wants only some items of a listing: the volumes of the Redis servers among all the
 * region's volumes, the attached and referenced groups among all the groups of the VPCs. It can get
 * them two ways: page through the wider listing at the API's full page size keeping what it wants,
 * or ask for them by id in batches of filter values (200 a call, see api-limits.ts). Which costs
 * fewer calls depends on how much of the listing is wanted, and no API tells that in advance.
 *
 * So the listing is read one page at a time, and only while it looks cheaper: after each page the
 * pages still needed are estimated from the share of wanted items found so far, and compared with
 * the batched calls that would fetch the rest. Reading stops as soon as every wanted item is in.
 * - An account holding mostly the scanned estate: the listing is read to the end (or to the last
 *   wanted item), ceil(items / page size) calls instead of ceil(wanted / 200).
 * - An account where the estate is a small part: the first page finds few wanted items, reading
 *   stops there and the rest comes in batches: one call more than batches alone.
 * The estimate assumes wanted items are spread through the listing (AWS gives no order); when they
 * all sit at its end, the first page finds none and reading stops after that one call.
 */

export interface ListingProgress {
  pagesRead: number;
  /** Wanted items known so far (the set may grow as items are read, e.g. referenced groups). */
  wantedTotal: number;
  wantedFound: number;
  /** Batched calls that would fetch the wanted items not found yet. */
  batchedCallsForRest: number;
}

/** Whether reading the next page of the listing is expected to cost fewer calls than batches. */
export function keepPaging(progress: ListingProgress): boolean {
  const { pagesRead, wantedTotal, wantedFound, batchedCallsForRest } = progress;
  if (wantedFound >= wantedTotal || batchedCallsForRest === 0) return false;
  if (wantedFound === 0) return false;
  const estimatedPages = Math.ceil((pagesRead * wantedTotal) / wantedFound);
  return estimatedPages - pagesRead < batchedCallsForRest;
}

/**
 * Whether the listing is worth starting: it cannot cost less than ceil(wanted / page size) calls,
 * so when batches need no more than that, batches are used straight away.
 */
export function worthListing(wanted: number, pageSize: number, batchedCalls: number): boolean {
  return wanted > 0 && Math.ceil(wanted / pageSize) < batchedCalls;
}

/**
 * Yields the pages of `pages` while `more(page)` says to go on after each one; stopping early sends
 * no further request (SDK paginators fetch a page only when the next one is asked for).
 */
export async function* pagesWhile<Page>(pages: AsyncIterable<Page>, more: (page: Page) => boolean): AsyncGenerator<Page> {
  for await (const page of pages) {
    yield page;
    if (!more(page)) return;
  }
}
