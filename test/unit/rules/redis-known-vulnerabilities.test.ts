import { redisKnownVulnerabilitiesRule } from '../../../lambdas/core/rules/redis-known-vulnerabilities';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { coverage, inspectorSection, redisFinding } from '../../support/inspector-section';

const ID = REDIS_IDS[0];
const OLD = { epoch: 5, version: '7.0.15', release: '1~deb12u5' };

function withInspector(findings = [redisFinding(ID, 'CVE-2025-49844', 'CRITICAL', OLD, '5:7.0.15-1~deb12u6')], covered = REDIS_IDS.map((id) => coverage(id))) {
  return compliantEstate().mutate((t) => (t.inspector = inspectorSection([...REDIS_IDS], findings, covered)));
}

describe('redis.known-vulnerabilities', () => {
  it('fails with the CVE id, the Inspector severity, the installed and the fixed version', () => {
    const f = findingFor(redisKnownVulnerabilitiesRule, withInspector(), ID);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain('CVE-2025-49844 (Inspector severity CRITICAL): redis-server 5:7.0.15-1~deb12u5 installed, fixed in 5:7.0.15-1~deb12u6');
    expect(f.remediation).toContain('redis-server 5:7.0.15-1~deb12u6 or later');
  });

  it('passes an actively scanned instance without a Redis finding', () => {
    const f = findingFor(redisKnownVulnerabilitiesRule, withInspector(), REDIS_IDS[1]);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('package scanning ACTIVE');
  });

  it('ignores findings of other packages and closed findings', () => {
    const other = redisFinding(REDIS_IDS[1], 'CVE-2025-0001', 'HIGH', OLD, '1.2');
    other.packageVulnerabilityDetails!.vulnerablePackages![0]!.name = 'openssl';
    const closed = { ...redisFinding(REDIS_IDS[1], 'CVE-2024-46981', 'HIGH', OLD, '5:7.0.15-1~deb12u3'), status: 'CLOSED' };
    expect(findingFor(redisKnownVulnerabilitiesRule, withInspector([other, closed]), REDIS_IDS[1]).status).toBe('PASS');
  });

  it('is UNKNOWN, never PASS, without active coverage: not covered, inactive, no section, access denied', () => {
    const notCovered = findingFor(redisKnownVulnerabilitiesRule, withInspector([], [coverage(REDIS_IDS[2])]), ID);
    expect(notCovered.status).toBe('UNKNOWN');
    expect(notCovered.observed).toContain('Inspector does not cover it');
    expect(notCovered.remediation).toContain('aws inspector2 enable --resource-types EC2');
    const inactive = findingFor(redisKnownVulnerabilitiesRule, withInspector([], [coverage(ID, 'INACTIVE', 'UNMANAGED_EC2_INSTANCE')]), ID);
    expect(inactive.status).toBe('UNKNOWN');
    expect(inactive.observed).toContain('PACKAGE INACTIVE (UNMANAGED_EC2_INSTANCE)');
    const noSection = findingFor(redisKnownVulnerabilitiesRule, compliantEstate().mutate((t) => delete t.inspector), ID);
    expect(noSection.status).toBe('UNKNOWN');
    expect(noSection.observed).toContain('no Amazon Inspector section');
    const denied = compliantEstate().mutate((t) => delete t.inspector).error({ service: 'inspector2', operation: 'ListCoverage', code: 'AccessDeniedException', message: 'User is not authorized to perform: inspector2:ListCoverage' });
    const f = findingFor(redisKnownVulnerabilitiesRule, denied, ID);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('AccessDeniedException');
  });

  it('still fails on the findings read when a later page failed', () => {
    const estate = withInspector().error({ service: 'inspector2', operation: 'ListFindings', code: 'ThrottlingException', message: 'Rate exceeded' });
    const f = findingFor(redisKnownVulnerabilitiesRule, estate, ID);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('More may be missing');
    expect(findingFor(redisKnownVulnerabilitiesRule, estate, REDIS_IDS[1]).status).toBe('UNKNOWN');
  });
});
