/**
 * Where a scan's snapshot comes from: a snapshot file (local runs), a snapshot given inline, or the
 * live collectors (./live-snapshot-source, kept apart so local runs and tests never load the SDK's
 * EC2 / SSM clients).
 */
import type { CaptureDeadline } from '../../adapters/collectors/capture-deadline';
import type { ScanConfig } from '../../core/config';
import type { Snapshot, SnapshotTarget } from '../../core/snapshot/schema';

export interface SnapshotRequest {
  /** Narrow the scan to these regions / accounts (the configured ones otherwise). */
  regions?: string[];
  accounts?: string[];
  config: ScanConfig;
  now: () => Date;
  /** Live captures stop starting per-instance reads when this expires (the scan Lambda's remaining time). */
  deadline?: CaptureDeadline;
}

export interface SnapshotSource {
  capture(request: SnapshotRequest): Promise<Snapshot>;
  /**
   * The same capture handed on target by target, in snapshot order, each validated (optional: a
   * scan that has it evaluates each target as it arrives instead of holding the whole estate).
   */
  captureTargets?(request: SnapshotRequest, onTarget: (target: SnapshotTarget, index: number) => void): Promise<{ capturedAt: string }>;
}

/** Always the given (already validated) snapshot. */
export function fixedSnapshotSource(snapshot: Snapshot): SnapshotSource {
  return { capture: async () => snapshot };
}
