/**
 * The exit code a pipeline can trust, shared by `scan`, `run-local --fail-on` and `remote scan
 * --wait`: a FAIL at or above --fail-on (and UNKNOWN with --fail-on-unknown) is 1; otherwise a run
 * that did not check everything in scope (PARTIAL, a target that yielded nothing, no Redis server
 * matched the role tag) is 3 unless the user accepted it (--allow-partial, --allow-empty); else 0.
 * Every reason is said on standard error.
 */
import type { Command } from 'commander';
import { isAtOrAbove, SEVERITIES, type FindingStatus, type ScanStatus, type Severity } from '../lambdas/core/model';
import { safeTerminalText } from './terminal-text';
import { EXIT } from './usage-error';

export interface GateFlags {
  failOn?: Severity;
  failOnUnknown?: boolean;
  allowPartial?: boolean;
  allowEmpty?: boolean;
}

export interface GateEvidence {
  status: ScanStatus;
  /** Targets with failed reads, as `account/region`. */
  partialTargets: string[];
  /** Targets read without error where no instance carried the role tag, as `account/region`. */
  emptyTargets: string[];
  /** Redis servers judged (pending or running, role tag matched). */
  redisServers: number;
  /** The role tag searched, e.g. `Role=redis`. */
  roleTag: string;
  /** Role-like tags seen on the instances read (when known). */
  roleLikeTags?: Array<{ tag: string; instances: number }>;
}

export interface GateFindings {
  /** How many findings of this status and severity count (after waivers). */
  count(status: FindingStatus, severity: Severity): number;
}

export function addGateOptions(command: Command, failOnHelp = 'with --fail-on'): Command {
  return command
    .option('--fail-on-unknown', `${failOnHelp}: count UNKNOWN findings (evidence missing) at or above the threshold as failing (exit 1); alone: any UNKNOWN`)
    .option('--allow-partial', 'exit 0 rather than 3 when some reads failed (the scan is PARTIAL)')
    .option('--allow-empty', 'exit 0 rather than 3 when no Redis server matched the role tag or a target yielded nothing');
}

export function findingCounts(findings: ReadonlyArray<{ status: FindingStatus; severity: Severity }>): GateFindings {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.status}/${f.severity}`, (counts.get(`${f.status}/${f.severity}`) ?? 0) + 1);
  return { count: (status, severity) => counts.get(`${status}/${severity}`) ?? 0 };
}

/** The exit code, writing each reason for a non-zero one (and each warning) to `stderr`. */
export function gateExitCode(findings: GateFindings, evidence: GateEvidence, flags: GateFlags, stderr: (text: string) => void): number {
  const threshold: Severity | undefined = flags.failOn ?? (flags.failOnUnknown ? 'info' : undefined);
  const atOrAbove = (status: FindingStatus) => (threshold ? SEVERITIES.filter((s) => isAtOrAbove(s, threshold)).reduce((n, s) => n + findings.count(status, s), 0) : 0);
  const failing = flags.failOn ? atOrAbove('FAIL') : 0;
  const unknown = flags.failOnUnknown ? atOrAbove('UNKNOWN') : 0;

  if (evidence.status === 'FAILED') {
    stderr(`redis-compliance: the scan FAILED: its findings are not a verdict; see the scanner's logs and run it again (exit ${EXIT.RUNTIME_FAILURE}).\n`);
    return EXIT.RUNTIME_FAILURE;
  }
  let incomplete = false;
  if (evidence.redisServers === 0) {
    const seen = evidence.roleLikeTags;
    const seenText = seen === undefined ? '' : seen.length === 0 ? '; no role-like tag was seen on any instance read' : `; role-like tags seen: ${seen.map((s) => `${s.tag} (${s.instances} instance${s.instances === 1 ? '' : 's'})`).join(', ')}`;
    stderr(safeTerminalText(`redis-compliance: no Redis server matched the role tag ${evidence.roleTag}${seenText}.`) + (flags.allowEmpty ? ' (accepted: --allow-empty)\n' : ' Check --role-tag / --redis-role or the config file; --allow-empty accepts an estate without Redis servers.\n'));
    incomplete ||= !flags.allowEmpty;
  }
  if (evidence.emptyTargets.length > 0) {
    stderr(safeTerminalText(`redis-compliance: no instance carried the role tag in ${evidence.emptyTargets.join(', ')}.`) + (flags.allowEmpty ? ' (accepted: --allow-empty)\n' : ' --allow-empty accepts targets with nothing to scan.\n'));
    incomplete ||= !flags.allowEmpty;
  }
  if (evidence.status === 'PARTIAL') {
    const where = evidence.partialTargets.length > 0 ? ` (reads failed in ${evidence.partialTargets.join(', ')})` : '';
    stderr(safeTerminalText(`redis-compliance: the scan is PARTIAL${where}: findings that needed the missing data are UNKNOWN.`) + (flags.allowPartial ? ' (accepted: --allow-partial)\n' : ' Fix the access or pass --allow-partial to accept it.\n'));
    incomplete ||= !flags.allowPartial;
  }

  if (failing > 0 || unknown > 0) {
    const parts = [...(failing > 0 ? [`${failing} FAIL`] : []), ...(unknown > 0 ? [`${unknown} UNKNOWN`] : [])];
    stderr(`redis-compliance: ${parts.join(' and ')} finding(s) at or above ${threshold} (exit ${EXIT.FAILED_CHECKS}).\n`);
    return EXIT.FAILED_CHECKS;
  }
  if (incomplete) {
    stderr(`redis-compliance: the evidence is incomplete (exit ${EXIT.INCOMPLETE_EVIDENCE}).\n`);
    return EXIT.INCOMPLETE_EVIDENCE;
  }
  return EXIT.OK;
}
