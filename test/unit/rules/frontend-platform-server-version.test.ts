import { frontendPlatformServerVersionRule } from '../../../lambdas/core/rules/frontend-platform-server-version';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { FRONTEND_IDS, compliantEstate, platformServerPackage, type EstateBuilder } from '../../support/estate-builder';
import { findingFor, runRule, setInstanceTag } from '../../support/evaluate-rule';

const frontend = FRONTEND_IDS[0];

function withApplications(rows: Array<Record<string, string>>, estate: EstateBuilder = compliantEstate()): EstateBuilder {
  return estate.mutate((t) => (t.ssm.Entities.find((e) => e.Id === frontend)!.Data!['AWS:Application']!.Content = rows));
}

describe('frontend.platform-server-version', () => {
  it('passes every front-end of the compliant estate', () => {
    const findings = runRule(frontendPlatformServerVersionRule, compliantEstate());
    expect(findings.map((f) => f.resourceId).sort()).toEqual([...FRONTEND_IDS].sort());
    expect(findings.every((f) => f.status === 'PASS')).toBe(true);
    const f = findings[0]!;
    expect(f.observed).toContain('OutSystems Platform Server "11.23.0.41350" (11.23.0.41350)');
    expect(f.resourceType).toBe('AWS::EC2::Instance');
    expect(f.cluster).toBeNull();
    expect(f.severity).toBe('high');
    expect(f.requirement).toBe(REQUIREMENT.platformServer);
  });

  it.each([
    ['11.23.0.41350', 'PASS'],
    ['11.23', 'PASS'],
    ['11.24.1.50000', 'PASS'],
    ['12.0.0.1', 'PASS'],
    ['11.22.9.99999', 'FAIL'],
    ['11.9.0.20000', 'FAIL'], // 9 < 23 as numbers, though "9" > "2" as text
    ['11.3.1.1', 'FAIL'],
    ['10.0.1104.0', 'FAIL'],
  ])('version %s => %s', (version, status) => {
    expect(findingFor(frontendPlatformServerVersionRule, withApplications([platformServerPackage(version)]), frontend).status).toBe(status);
  });

  it('tells how to upgrade when the version is too low', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([platformServerPackage('11.18.1.39232')]), frontend);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('"11.18.1.39232"');
    expect(f.remediation).toMatch(/Upgrade OutSystems Platform Server on i-0fff00000000000f1 to 11\.23 or later/);
  });

  it('recognises a name that carries the version', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([{ ...platformServerPackage('11.23.0.41350'), Name: 'OutSystems Platform Server 11' }]), frontend);
    expect(f.status).toBe('PASS');
  });

  it('judges the newest of several entries and says so', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([platformServerPackage('11.18.1.39232'), platformServerPackage('11.23.0.41350')]), frontend);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('Judged on the newest, 11.23.0.41350');
  });

  it('is medium severity outside production', () => {
    const estate = setInstanceTag(withApplications([platformServerPackage('11.18.1.39232')]), frontend, 'Environment', 'Development');
    const f = findingFor(frontendPlatformServerVersionRule, estate, frontend);
    expect(f.status).toBe('FAIL');
    expect(f.severity).toBe('medium');
    expect(f.production).toBe(false);
  });

  it('does not trust a row that borrows the name under another publisher', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([{ ...platformServerPackage('11.23.0.41350'), Publisher: 'Contoso' }]), frontend);
    expect(f.status).toBe('UNKNOWN');
  });

  it('is UNKNOWN when Platform Server is not in the inventory', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([{ Name: 'Microsoft .NET Runtime - 8.0.11 (x64)', Version: '8.0.11.34221', Publisher: 'Microsoft Corporation' }]), frontend);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('none of them OutSystems Platform Server');
  });

  it('is UNKNOWN when the version cannot be read', () => {
    const f = findingFor(frontendPlatformServerVersionRule, withApplications([platformServerPackage('')]), frontend);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('cannot be read');
  });

  it('is UNKNOWN when the instance has no inventory', () => {
    const estate = compliantEstate().mutate((t) => (t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== frontend)));
    const f = findingFor(frontendPlatformServerVersionRule, estate, frontend);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain(`SSM inventory has no entry for ${frontend}`);
  });

  it('is UNKNOWN with the capture error when GetInventory failed', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ssm.Entities = []))
      .error({ service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'denied' });
    const f = findingFor(frontendPlatformServerVersionRule, estate, frontend);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ssm:GetInventory failed during capture (AccessDeniedException: denied)');
  });
});
