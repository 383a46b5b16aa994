/**
 * One scan end to end, shared by the scan Lambda and the fan-out merge: snapshot -> evaluation ->
 * waivers -> store (scan record RUNNING, findings, finding states, final record) -> "Scan Completed".
 * The findings go from the evaluation to the store as they are made (./scan-findings-pipeline).
 * A module of its own (no middy chain at module scope), so the merge bundle does not pull in the
 * scan Lambda's live collectors.
 */
import type { CaptureDeadline } from '../../adapters/collectors/capture-deadline';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../adapters/store/clock';
import { systemClock } from '../../adapters/store/clock';
import type { FindingsStore } from '../../adapters/store/findings-store';
import type { ScanConfig } from '../../core/config';
import { evaluateSnapshotStreamed, evaluateTargetFeed, evaluateTargetFeedStreamed, type EvaluateOptions, type StreamedScanResult } from '../../core/evaluate';
import { nextFindingStates } from '../../core/finding-states';
import type { FindingStatus, ScanRecord, ScanResult, ScanTrigger } from '../../core/model';
import { ScanAlreadyRunningError } from '../../core/scan-lease';
import { failedScanRecord, finishedScanRecord, runningScanRecord } from '../../core/scan-record';
import type { Snapshot, SnapshotTarget } from '../../core/snapshot/schema';
import { configSuppressions } from '../../core/suppressions/suppression-schema';
import { SCAN_OUTCOME_LOG } from '../scan-outcome-log';
import { optionalEnv, scanConfigFromEnv } from './environment';
import { EventBridgePublisher, type EventPublisher } from './event-publisher';
import { nextExportedPairs } from '../../core/export/exported-pairs';
import { findingExportersFromEnv, runFindingExports, type FindingExporter, type FindingExportReport } from './finding-exports';
import { logger } from './logger';
import { ScanFindingsPipeline } from './scan-findings-pipeline';
import { newScanId } from './scan-id';
import { scanLeaseMsFromEnv } from './scan-lease-duration';
import type { SnapshotRequest, SnapshotSource } from './snapshot-source';
import { storeFromEnv } from './store';

export interface ScanDependencies {
  store: FindingsStore;
  snapshots: SnapshotSource;
  publisher: EventPublisher;
  clock: Clock;
  config: ScanConfig;
  newScanId?: (now: Date) => string;
  /** How long the scan lease is taken for (default DEFAULT_SCAN_LEASE_SECONDS; ./scan-lease-duration). */
  leaseMs?: number;
  /** Security Hub import, finding-change events (opt-in; none by default). */
  exporters?: FindingExporter[];
}

export interface ScanRequest {
  scanId?: string;
  trigger: ScanTrigger;
  regions?: string[];
  accounts?: string[];
  snapshot?: Snapshot;
  /**
   * Instead of a snapshot: evaluates the scan's targets itself, one at a time (the fan-out merge),
   * with the scan's config and time. If it throws (a stored target unreadable or invalid), the scan
   * is recorded FAILED with the error, as a failed capture is.
   */
  evaluate?: (options: EvaluateOptions) => Promise<ScanResult>;
  /**
   * Instead of a snapshot: the scan's targets handed on one at a time (a snapshot file read as a
   * stream), each evaluated as it arrives, its findings stored as they are made. `onTarget`'s
   * promise settles once that target's findings are stored: a feed that waits for it holds one
   * target at a time. If the feed throws, the scan is recorded FAILED with the error; the findings
   * and finding states it had stored stay (a re-run of the same scan id replaces them).
   */
  feed?: (onTarget: (target: SnapshotTarget) => Promise<void>) => Promise<{ capturedAt: string }>;
  /** Organization mode: ACTIVE accounts without the reader role, recorded in the scan (not scanned, not errors). */
  notEnrolled?: readonly string[];
  /** For a live capture: when to stop starting per-instance reads (the scan Lambda's remaining time). */
  deadline?: CaptureDeadline;
}

export interface ScanOutcome {
  scanId: string;
  status: ScanRecord['status'];
  counts: Record<FindingStatus, number>;
  /** Failing findings that appeared / went away since the previous scan (by the finding states). */
  newFailures: number;
  resolvedFailures: number;
  /** What each configured exporter did (absent when none is configured). */
  exports?: FindingExportReport[];
  /** true: the scan was already stored by an earlier attempt, and this one changed nothing. */
  alreadyStored?: true;
}

/**
 * Runs one scan end to end. Throws ScanAlreadyRunningError, before writing anything, when another
 * scan holds the scan lease (lambdas/core/scan-lease.ts); otherwise throws only when the outcome
 * cannot be recorded (store errors). The lease is taken (or renewed, by the same scan id) first and
 * released once the scan is recorded finished or failed; a scan that throws keeps it until it lapses
 * or the fan-out's failure path releases it, so its retry finds it free.
 */
export async function runScan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  const startedAt = deps.clock.now();
  const scanId = request.scanId ?? (deps.newScanId ?? newScanId)(startedAt);
  const lease = await deps.store.acquireScanLease(scanId, startedAt, deps.leaseMs ?? scanLeaseMsFromEnv({}));
  if (!lease.acquired) {
    const refused = new ScanAlreadyRunningError(scanId, lease.holder);
    logger.warn('scan refused: one is running', { scanId, runningScanId: lease.holder.scanId, leaseExpiresAt: lease.holder.expiresAt });
    throw refused;
  }
  // A re-run of the same scan id keeps its start time: the same keys, the same items.
  const existing = await deps.store.getScan(scanId);
  const running = runningScanRecord(scanId, existing?.trigger ?? request.trigger, existing?.startedAt ?? startedAt.toISOString(), existing?.targets ?? []);
  await deps.store.putScan(running);
  logger.info('scan started', { scanId, trigger: running.trigger });

  // A scan that cannot get its evidence ends FAILED, recorded and announced, never left RUNNING.
  const failWith = async (operation: string, error: unknown): Promise<ScanOutcome> => {
    const failed = failedScanRecord(running, { operation, code: (error as Error).name || 'Error', message: (error as Error).message }, deps.clock.now().toISOString());
    await deps.store.putScan(failed);
    logger.error(SCAN_OUTCOME_LOG.failedMessage, { scanId, error: error as Error });
    await deps.publisher.scanCompleted({ scanId, status: 'FAILED' });
    await deps.store.releaseScanLease(scanId);
    return { scanId, status: 'FAILED', counts: failed.counts, newFailures: 0, resolvedFailures: 0 };
  };

  const captureRequest: SnapshotRequest = {
    ...(request.regions ? { regions: request.regions } : {}),
    ...(request.accounts ? { accounts: request.accounts } : {}),
    config: deps.config,
    now: () => deps.clock.now(),
    ...(request.deadline ? { deadline: request.deadline } : {}),
  };
  let snapshot: Snapshot | undefined;
  let evaluated: ScanResult | undefined;
  if (!request.evaluate && !request.feed) {
    try {
      if (request.snapshot) snapshot = request.snapshot;
      else if (deps.snapshots.captureTargets) evaluated = await evaluateWhileCapturing(deps, captureRequest);
      else snapshot = await deps.snapshots.capture(captureRequest);
    } catch (error) {
      return failWith('captureSnapshot', error);
    }
  }

  const now = evaluated ? new Date(evaluated.scan.evaluatedAt) : deps.clock.now();
  const evaluateOptions: EvaluateOptions = { config: deps.config, now: () => now };
  if (request.evaluate) {
    try {
      evaluated = await request.evaluate(evaluateOptions);
    } catch (error) {
      return failWith('evaluateTargets', error);
    }
  }
  const waivers = [...(await deps.store.listSuppressions()), ...configSuppressions(deps.config.suppressions ?? [], now, deps.config.waiverPolicy)];
  const exporting = deps.exporters !== undefined && deps.exporters.length > 0;
  // The exporters are handed the previous states in full; the scan alone reads them without findings.
  const previousStates = exporting ? await deps.store.listFindingStates() : undefined;
  const pipeline = await ScanFindingsPipeline.open({
    store: deps.store,
    scan: running,
    waivers,
    now,
    ...(deps.config.waiverPolicy ? { waiverPolicy: deps.config.waiverPolicy } : {}),
    ...(previousStates ? { previousStates } : {}),
    keepForExports: exporting,
  });

  // Findings go to the pipeline as they are made (a snapshot or a feed), or slice by slice from a
  // result evaluated whole (a live capture, the fan-out merge).
  let result: StreamedScanResult;
  if (evaluated) {
    await pipeline.consume(evaluated.findings);
    result = evaluated;
  } else if (request.feed) {
    try {
      result = await evaluateTargetFeedStreamed(evaluateOptions, request.feed, pipeline.consume);
    } catch (error) {
      if (pipeline.storeFailed) throw error;
      return failWith('evaluateTargets', error);
    }
  } else {
    result = await evaluateSnapshotStreamed(snapshot!, evaluateOptions, pipeline.consume);
  }
  const targets = result.scan.targets.map(({ accountId, region }) => ({ accountId, region }));
  const passed = await pipeline.finish(targets);

  const finished = finishedScanRecord(running, result, passed.counts, deps.clock.now().toISOString(), request.notEnrolled);
  await deps.store.putScan(finished);
  const versionUnknown = result.summary.byRule['redis.version']?.UNKNOWN ?? 0;
  const inventoryGap = result.summary.redisServers > 0 ? Math.round((100 * versionUnknown) / result.summary.redisServers) : 0;
  logger.info(SCAN_OUTCOME_LOG.finishedMessage, { scanId, [SCAN_OUTCOME_LOG.statusField]: finished.status, counts: finished.counts, new: passed.newFailures, resolved: passed.resolvedFailures, redisServers: result.summary.redisServers, [SCAN_OUTCOME_LOG.inventoryGapField]: inventoryGap });
  await deps.publisher.scanCompleted({ scanId, status: finished.status });
  const outcome: ScanOutcome = { scanId, status: finished.status, counts: finished.counts, newFailures: passed.newFailures, resolvedFailures: passed.resolvedFailures };
  if (exporting) {
    // The exporters are handed the whole scan: its findings in sorted order, the states and changes.
    const findings = passed.findings!;
    const scanPoint = { scanId, at: running.startedAt, targets };
    const { states, changes } = nextFindingStates(previousStates!, findings, scanPoint);
    // Every pair a consumer was told about, so one that always passed is closed when it is gone.
    const exported = nextExportedPairs(await deps.store.listExportedPairs(), findings, scanPoint);
    await deps.store.putExportedPairs(exported.write);
    outcome.exports = await runFindingExports(deps.exporters!, { scanId, at: running.startedAt, findings, previousStates: previousStates!, writtenStates: states, changes, exported });
    for (const report of outcome.exports) {
      if (report.ok) logger.info('finding export done', { scanId, ...report });
      else logger.error(SCAN_OUTCOME_LOG.exportFailedMessage, { scanId, ...report });
    }
  }
  await deps.store.releaseScanLease(scanId);
  return outcome;
}

/**
 * A live capture evaluated target by target as the targets arrive (each one's records released once
 * its findings are made); the evaluation time is taken when the capture ends, as for a whole capture.
 */
function evaluateWhileCapturing(deps: ScanDependencies, request: SnapshotRequest): Promise<ScanResult> {
  // The result reads the time once, after the last target.
  return evaluateTargetFeed({ config: deps.config, now: () => deps.clock.now() }, (onTarget) => deps.snapshots.captureTargets!(request, onTarget));
}

/** A scan's dependencies from the environment (TABLE_NAME, EVENT_BUS_NAME, SCAN_CONFIG, ...) and a snapshot source. */
export function scanDependenciesFromEnv(snapshots: SnapshotSource): ScanDependencies {
  return {
    store: storeFromEnv(),
    snapshots,
    publisher: new EventBridgePublisher(new EventBridgeClient({}), optionalEnv('EVENT_BUS_NAME') ?? 'default'),
    clock: systemClock,
    config: scanConfigFromEnv(),
    leaseMs: scanLeaseMsFromEnv(),
    exporters: findingExportersFromEnv(),
  };
}
