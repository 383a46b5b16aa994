/**
 * What a capture that reached its deadline hands to the next invocation: the target captured so far
 * (EC2 complete, SSM instance information complete, the inventory read so far, the errors met and
 * the API calls made) and the inventory cursor. Plain JSON; the fan-out worker stores it in the table
 * (target-result-store.ts) and passes only a flag through the state machine.
 */
import type { SnapshotInput } from '../../core/snapshot/schema';
import type { InventoryCursor } from './inventory-cursor';

export interface TargetContinuation {
  target: SnapshotInput['targets'][number];
  inventory: InventoryCursor;
}

/** API-call counts of two pieces of one capture, added up, keys sorted (as the snapshot stores them). */
export function mergeApiCalls(before: Record<string, number> | undefined, after: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...(before ?? {}) };
  for (const [key, count] of Object.entries(after)) merged[key] = (merged[key] ?? 0) + count;
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}
