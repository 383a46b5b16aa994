/**
 * redis.known-vulnerabilities: Amazon Inspector reports no open finding for the Redis packages of a
 * Redis server, and Inspector actively scans that instance. Evidence: the snapshot's `inspector`
 * section (inspector2 ListFindings filtered by the Redis servers' instance ids and the Redis package
 * names, and ListCoverage of those instances; adapters/collectors/inspector-collector.ts). No
 * finding is a PASS only when coverage says the instance is scanned (`scanStatus.statusCode`
 * ACTIVE); Inspector off, the instance not covered, or a failed read is UNKNOWN with how to enable it.
 * The vendor's page pins Redis 7.0.X and is silent on patches (docs/redis-security.md).
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import type { Severity } from '../model';
import { REQUIREMENT } from '../requirements';
import type { InspectorFinding } from '../snapshot/schema';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';

const REQUIRED = 'No open Amazon Inspector finding for the Redis packages, on an instance Inspector actively scans.';
const ENABLE =
  'Enable Amazon Inspector EC2 scanning in this account and region (`aws inspector2 enable --resource-types EC2`), keep the instance managed by SSM (Inspector reads its packages through the SSM agent), ' +
  'and let the reader call inspector2:ListFindings and inspector2:ListCoverage (docs/iam-reader-policy.md); then scan again.';

const SEVERITY_BY_INSPECTOR: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', INFORMATIONAL: 'info', UNTRIAGED: 'medium' };

export const redisKnownVulnerabilitiesRule: RuleDefinition = {
  id: 'redis.known-vulnerabilities',
  resourceType: 'AWS::EC2::Instance',
  title: 'Amazon Inspector finds no open vulnerability in the Redis packages',
  requirement: REQUIREMENT.redisVersion,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(redisKnownVulnerabilitiesRule, server, serverVerdict(target, server)));
  },
};

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const section = target.inspector;
  const findingsError = target.errorFor('inspector2:ListFindings');
  const coverageError = target.errorFor('inspector2:ListCoverage');
  const asked = section?.instanceIds.includes(server.instanceId) ?? false;
  const findings = asked ? (section?.findings ?? []).filter((f) => concerns(f, server.instanceId, section!.packageNames)) : [];
  if (findings.length > 0) {
    const lines = findings.map(describe);
    const worst = findings.map((f) => SEVERITY_BY_INSPECTOR[(f.severity ?? '').toUpperCase()] ?? 'medium').sort((a, b) => rank(a) - rank(b))[0]!;
    const fixes = [...new Set(findings.flatMap((f) => (f.packageVulnerabilityDetails?.vulnerablePackages ?? []).map((p) => (p.fixedInVersion && p.fixedInVersion !== 'NotAvailable' ? `${p.name} ${p.fixedInVersion}` : undefined)).filter((x): x is string => x !== undefined)))];
    return {
      status: 'FAIL',
      severity: worst,
      observed: `Amazon Inspector has ${findings.length} open finding(s) for the Redis packages of ${server.instanceId}: ${lines.join('; ')}.${findingsError ? ` (More may be missing: ${describeError(findingsError)}.)` : ''}`,
      required: REQUIRED,
      remediation:
        `Update the Redis packages on ${server.instanceId}${fixes.length > 0 ? ` to ${fixes.join(', ')} or later` : ''} (Debian: \`apt-get install --only-upgrade redis-server redis-tools\`; still 7.0.x on Debian 12, so redis.version keeps passing), ` +
        'then restart each Redis process, one node at a time after failing its masters over; Inspector closes the findings on its next scan.',
    };
  }
  if (!section && !findingsError && !coverageError) {
    return { status: 'UNKNOWN', severity: 'high', observed: 'The snapshot has no Amazon Inspector section (captured without inspector2:ListFindings / ListCoverage, or by an older collector).', required: REQUIRED, remediation: ENABLE };
  }
  if (findingsError || coverageError) {
    return { status: 'UNKNOWN', severity: 'high', observed: `Amazon Inspector could not be read for ${server.instanceId}: ${[findingsError, coverageError].filter((e) => e !== undefined).map((e) => describeError(e!)).join('; ')}.`, required: REQUIRED, remediation: ENABLE };
  }
  if (!asked) {
    return { status: 'UNKNOWN', severity: 'high', observed: `${server.instanceId} was not among the instances asked of Amazon Inspector.`, required: REQUIRED, remediation: 'Capture again: the Inspector read covers every Redis server found.' };
  }
  const coverage = section!.coveredResources.filter((c) => c.resourceId === server.instanceId && (c.resourceType ?? 'AWS_EC2_INSTANCE') === 'AWS_EC2_INSTANCE');
  const active = coverage.find((c) => (c.scanStatus?.statusCode ?? '').toUpperCase() === 'ACTIVE' && (c.scanType === undefined || c.scanType === 'PACKAGE'));
  if (!active) {
    const why = coverage.length === 0 ? 'Inspector does not cover it (Inspector EC2 scanning off, or the instance not yet discovered)' : `Inspector's coverage says ${coverage.map((c) => `${c.scanType ?? 'scan'} ${c.scanStatus?.statusCode ?? 'status unknown'}${c.scanStatus?.reason ? ` (${c.scanStatus.reason})` : ''}`).join(', ')}`;
    return { status: 'UNKNOWN', severity: 'high', observed: `No open Inspector finding for the Redis packages of ${server.instanceId}, but that proves nothing: ${why}.`, required: REQUIRED, remediation: ENABLE };
  }
  return {
    status: 'PASS',
    severity: 'high',
    observed: `Amazon Inspector actively scans ${server.instanceId} (package scanning ACTIVE${active.lastScannedAt ? `, last scanned ${active.lastScannedAt}` : ''}) and has no open finding for its Redis packages (${section!.packageNames.join(', ')}).`,
    required: REQUIRED,
    remediation: 'None needed. Keep Inspector EC2 scanning on and the packages updated.',
  };
}

/** An open package finding on this instance for one of the Redis packages. */
function concerns(finding: InspectorFinding, instanceId: string, packageNames: readonly string[]): boolean {
  if (finding.status !== undefined && finding.status.toUpperCase() !== 'ACTIVE') return false;
  if (!(finding.resources ?? []).some((r) => r.id === instanceId)) return false;
  return (finding.packageVulnerabilityDetails?.vulnerablePackages ?? []).some((p) => p.name !== undefined && packageNames.includes(p.name));
}

/** `CVE-2025-49844 (CRITICAL): redis-server 5:7.0.15-1~deb12u5 installed, fixed in 5:7.0.15-1~deb12u6`. */
function describe(finding: InspectorFinding): string {
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? 'a finding';
  const packages = (details?.vulnerablePackages ?? []).map((p) => {
    const installed = `${p.epoch ? `${p.epoch}:` : ''}${p.version ?? '?'}${p.release ? `-${p.release}` : ''}`;
    return `${p.name} ${installed} installed${p.fixedInVersion && p.fixedInVersion !== 'NotAvailable' ? `, fixed in ${p.fixedInVersion}` : ', no fix available yet'}`;
  });
  return `${id} (Inspector severity ${finding.severity ?? 'unknown'}): ${packages.join(', ')}`;
}

function rank(severity: Severity): number {
  return ['critical', 'high', 'medium', 'low', 'info'].indexOf(severity);
}
