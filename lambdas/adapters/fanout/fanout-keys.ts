/**
 * Keys of the fan-out's per-target results in the findings table. A Step Functions payload is
 * limited to 256 KB, so each worker stores its snapshot target here and passes on only its key;
 * the merge reads them back. The state machine writes failure items with the same layout.
 * Partition `FANOUT#<scanId>` never collides with the store's prefixes (SCAN#, SCANS, STATE#, ...).
 */
export const FANOUT_KEYS = {
  partition: (scanId: string) => `FANOUT#${scanId}`,
  targetPrefix: 'TARGET#',
  /** One gzip chunk of a target's JSON. */
  part: (accountId: string, region: string, index: number) => `TARGET#${accountId}#${region}#PART#${String(index).padStart(4, '0')}`,
  /**
   * One gzip chunk of a worker's continuation (a capture stopped at its deadline, continued by the
   * next invocation). Not under TARGET#: the merge never reads a partial target as a captured one.
   */
  continuationPrefix: 'CONTINUE#',
  continuationPart: (accountId: string, region: string, index: number) => `CONTINUE#${accountId}#${region}#PART#${String(index).padStart(4, '0')}`,
  /**
   * One gzip chunk of the merge's progress (the evaluation so far and the next target), stored when
   * the merge stops before its Lambda's time is up; the next invocation resumes from it.
   */
  mergePrefix: 'MERGE#',
  mergePart: (index: number) => `MERGE#PART#${String(index).padStart(4, '0')}`,
  /** A worker that failed after its retries (written by the state machine's Catch). */
  failed: (accountId: string, region: string) => `TARGET#${accountId}#${region}#FAILED`,
} as const;

/** Attribute names of fan-out items (besides PK / SK and the table's TTL attribute). */
export const FANOUT_ATTRIBUTES = {
  accountId: 'accountId',
  region: 'region',
  data: 'data',
  parts: 'parts',
  error: 'error',
  cause: 'cause',
  /** Merge progress chunks: the index of the next target to evaluate (the same on every chunk of one write). */
  next: 'next',
} as const;

/** Fan-out items expire two days after the execution started, whether or not the merge ran. */
export const FANOUT_ITEM_TTL_SECONDS = 2 * 86400;
