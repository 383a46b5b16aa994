/**
 * How long a fan-out execution may run, from the work it has: the targets (account x region) are
 * scanned `maxConcurrency` at a time, each within `minutesPerTarget` (one 10-minute worker
 * invocation by default; a target that continues itself over several invocations needs more), after
 * the listing and before the merge. A fixed timeout let a large organization time out with no report.
 * Pure; docs/deploy.md's capacity table is computed from it (test/infra/fan-out-budget.test.ts).
 */

export const FAN_OUT_BUDGET = {
  /** Listing the targets (Organizations pages included) and taking the scan lease. */
  listMinutes: 10,
  /** The merge Lambda's timeout. */
  mergeMinutes: 15,
  /** Retries, throttling back-off, Step Functions' own scheduling. */
  marginMinutes: 30,
  /** Never below the fixed timeout the fan-out had (small deployments keep it). */
  minimumMinutes: 180,
  /** A Standard execution runs at most one year. */
  maximumMinutes: 365 * 24 * 60,
} as const;

export interface FanOutWork {
  targets: number;
  maxConcurrency: number;
  minutesPerTarget: number;
}

/** The execution timeout, in minutes, for this much work. */
export function fanOutTimeoutMinutes(work: FanOutWork): number {
  const waves = Math.ceil(Math.max(1, work.targets) / work.maxConcurrency);
  const minutes = FAN_OUT_BUDGET.listMinutes + waves * work.minutesPerTarget + FAN_OUT_BUDGET.mergeMinutes + FAN_OUT_BUDGET.marginMinutes;
  return Math.min(FAN_OUT_BUDGET.maximumMinutes, Math.max(FAN_OUT_BUDGET.minimumMinutes, minutes));
}

/**
 * One worker's capture time for a target of `instances` tagged instances, from the collectors'
 * request model (docs/collectors.md, "API calls"): about 12 + 1.42 requests per instance, 5 in
 * flight, 50 ms a request.
 */
export function workerSecondsPerTarget(instances: number): number {
  const requests = 12 + 1.42 * instances;
  return Math.ceil((requests * 0.05) / 5);
}
