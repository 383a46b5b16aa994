/** Applies waivers to a fresh evaluation, as the CLI does with the waivers of its config file. Pure. */
import { DEFAULT_WAIVER_POLICY, type WaiverPolicy } from './waiver-policy';
import type { ScanInfo, ScanResult, ScanSummary, StoredFinding, Suppression } from '../model';
import { summarise } from '../summarise';
import { applySuppressions } from './apply-suppressions';

export interface WaivedScanResult {
  scan: ScanInfo;
  /** Counted after waivers: a waived failure counts as SUPPRESSED, not FAIL. */
  summary: ScanSummary;
  findings: StoredFinding[];
}

export function waiveScanResult(result: ScanResult, suppressions: readonly Suppression[], now: Date, scanId: string, policy: WaiverPolicy = DEFAULT_WAIVER_POLICY): WaivedScanResult {
  const findings = applySuppressions(result.findings, suppressions, now, scanId, policy);
  const { redisServers, frontends, clusters, notEvaluated, apiCalls } = result.summary;
  return { scan: result.scan, summary: summarise(findings, { redisServers, frontends, clusters, notEvaluated, apiCalls }), findings };
}
