/**
 * Where a target's SSM inventory reads stopped when the capture reached its deadline: the instances
 * still to read (in reading order, with what the reader needs to know of each) and the reader's state
 * (whether access was denied or the name filter was found unusable, and the failures so far), so the
 * next invocation continues exactly as one uninterrupted capture would have. Plain JSON.
 */
import type { PerInstanceFailuresState } from './per-instance-failures';

export interface PendingInventoryRead {
  id: string;
  role: 'redis' | 'frontend';
  /** Whether DescribeInstanceInformation listed the instance (an entity is kept for it even without rows). */
  managed: boolean;
}

export interface InventoryCursor {
  pending: PendingInventoryRead[];
  /** Instances asked for in the whole capture (the failure message counts against it). */
  asked: number;
  reader: { denied: boolean; filterUnusable: boolean; failures: PerInstanceFailuresState };
}
