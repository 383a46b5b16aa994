import { applySuppressions } from '../../../lambdas/core/suppressions/apply-suppressions';
import type { Suppression } from '../../../lambdas/core/model';
import { aFinding } from '../../support/findings-fixture';

const NOW = new Date('2030-06-01T00:00:00Z');

function waiver(overrides: Partial<Suppression> = {}): Suppression {
  return {
    id: 'w1',
    ruleId: 'instance.vcpu',
    resourcePattern: 'i-0123456789abcdef0',
    reason: 'Replacement ordered',
    owner: 'platform-team',
    expiresAt: '2030-07-01T00:00:00Z',
    createdAt: '2030-05-01T00:00:00Z',
    ...overrides,
  };
}

describe('applySuppressions', () => {
  it('stores each finding with its own keys in their order, then scanId and ruleStatus, and leaves the finding as it was', () => {
    const named = aFinding({ resourceName: 'redis-a' });
    const unnamed = aFinding();
    delete (unnamed as { resourceName?: string }).resourceName;
    const reordered = { ...unnamed, resourceName: 'late-name' };
    for (const finding of [named, unnamed, reordered, aFinding({ status: 'PASS' })]) {
      const before = JSON.stringify(finding);
      const [stored] = applySuppressions([finding], [], NOW, 'scan-1');
      expect(JSON.stringify(stored)).toBe(JSON.stringify({ ...finding, scanId: 'scan-1', status: finding.status, ruleStatus: finding.status }));
      expect(stored).not.toBe(finding);
      expect(JSON.stringify(finding)).toBe(before);
    }
  });

  it('suppresses a failing finding matched by an active waiver and keeps the rule status', () => {
    const [stored] = applySuppressions([aFinding()], [waiver()], NOW, 'scan-1');
    expect(stored).toMatchObject({
      scanId: 'scan-1',
      status: 'SUPPRESSED',
      ruleStatus: 'FAIL',
      suppression: { id: 'w1', reason: 'Replacement ordered', owner: 'platform-team', expiresAt: '2030-07-01T00:00:00Z' },
    });
    expect(stored!.waiverExpired).toBeUndefined();
  });

  it('suppresses UNKNOWN findings too', () => {
    const [stored] = applySuppressions([aFinding({ status: 'UNKNOWN' })], [waiver()], NOW, 's');
    expect(stored).toMatchObject({ status: 'SUPPRESSED', ruleStatus: 'UNKNOWN' });
  });

  it.each(['PASS', 'NOT_APPLICABLE'] as const)('never suppresses a %s finding', (status) => {
    const [stored] = applySuppressions([aFinding({ status })], [waiver(), waiver({ id: 'old', expiresAt: '2020-01-01T00:00:00Z' })], NOW, 's');
    expect(stored).toMatchObject({ status, ruleStatus: status });
    expect(stored!.suppression).toBeUndefined();
    expect(stored!.waiverExpired).toBeUndefined();
  });

  it('brings a finding back with waiverExpired when its only waiver expired', () => {
    const [stored] = applySuppressions([aFinding()], [waiver({ expiresAt: '2030-05-31T23:59:59Z' })], NOW, 's');
    expect(stored).toMatchObject({ status: 'FAIL', ruleStatus: 'FAIL', waiverExpired: { id: 'w1', expiredAt: '2030-05-31T23:59:59Z', owner: 'platform-team' } });
    expect(stored!.suppression).toBeUndefined();
  });

  it('treats a waiver expiring exactly now as expired', () => {
    const [stored] = applySuppressions([aFinding()], [waiver({ expiresAt: NOW.toISOString() })], NOW, 's');
    expect(stored!.status).toBe('FAIL');
    expect(stored!.waiverExpired?.id).toBe('w1');
  });

  it('prefers an active waiver over an expired one, and the longest-lasting active one', () => {
    const waivers = [
      waiver({ id: 'expired', expiresAt: '2030-01-01T00:00:00Z' }),
      waiver({ id: 'short', expiresAt: '2030-06-02T00:00:00Z' }),
      waiver({ id: 'long', expiresAt: '2031-01-01T00:00:00Z' }),
    ];
    const [stored] = applySuppressions([aFinding()], waivers, NOW, 's');
    expect(stored!.suppression?.id).toBe('long');
  });

  it('reports the most recently expired waiver', () => {
    const waivers = [waiver({ id: 'older', expiresAt: '2029-01-01T00:00:00Z' }), waiver({ id: 'recent', expiresAt: '2030-05-01T00:00:00Z' })];
    expect(applySuppressions([aFinding()], waivers, NOW, 's')[0]!.waiverExpired?.id).toBe('recent');
  });

  it('matches on rule: another rule is untouched, "*" matches any rule', () => {
    const finding = aFinding({ ruleId: 'instance.memory' });
    expect(applySuppressions([finding], [waiver()], NOW, 's')[0]!.status).toBe('FAIL');
    expect(applySuppressions([finding], [waiver({ ruleId: '*' })], NOW, 's')[0]!.status).toBe('SUPPRESSED');
  });

  it('matches on resource: id globs and account/region globs', () => {
    const finding = aFinding({ resourceId: 'i-0abc999' });
    expect(applySuppressions([finding], [waiver({ resourcePattern: 'i-0abc*' })], NOW, 's')[0]!.status).toBe('SUPPRESSED');
    expect(applySuppressions([finding], [waiver({ resourcePattern: '111122223333/eu-west-1/*' })], NOW, 's')[0]!.status).toBe('SUPPRESSED');
    expect(applySuppressions([finding], [waiver({ resourcePattern: '111122223333/us-east-1/*' })], NOW, 's')[0]!.status).toBe('FAIL');
    expect(applySuppressions([finding], [waiver({ resourcePattern: 'i-0abc' })], NOW, 's')[0]!.status).toBe('FAIL');
  });

  it('keeps every finding, in order, and does not modify its input', () => {
    const findings = [aFinding({ resourceId: 'i-1' }), aFinding({ resourceId: 'i-2', status: 'PASS' }), aFinding({ resourceId: 'i-3' })];
    const copy = JSON.parse(JSON.stringify(findings));
    const stored = applySuppressions(findings, [waiver({ resourcePattern: 'i-3' })], NOW, 's');
    expect(stored.map((f) => [f.resourceId, f.status])).toEqual([['i-1', 'FAIL'], ['i-2', 'PASS'], ['i-3', 'SUPPRESSED']]);
    expect(findings).toEqual(copy);
  });
});
