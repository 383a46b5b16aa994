import { instanceSsmManagedRule } from '../../../lambdas/core/rules/instance-ssm-managed';
import { FRONTEND_IDS, REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor, runRule } from '../../support/evaluate-rule';

const redis = REDIS_IDS[0];

function withPing(PingStatus: string | undefined, LastPingDateTime = '2026-11-20T08:14:03.000Z') {
  return compliantEstate().mutate((t) => {
    const info = t.ssm.InstanceInformationList.find((i) => i.InstanceId === redis)!;
    if (PingStatus === undefined) delete info.PingStatus;
    else info.PingStatus = PingStatus;
    info.LastPingDateTime = LastPingDateTime;
  });
}

const withoutRecord = () => compliantEstate().mutate((t) => (t.ssm.InstanceInformationList = t.ssm.InstanceInformationList.filter((i) => i.InstanceId !== redis)));

describe('instance.ssm-managed', () => {
  it('passes every Redis server of the compliant estate, and judges only Redis servers', () => {
    const findings = runRule(instanceSsmManagedRule, compliantEstate());
    expect(findings.map((f) => f.resourceId).sort()).toEqual([...REDIS_IDS].sort());
    expect(findings.some((f) => (FRONTEND_IDS as readonly string[]).includes(f.resourceId))).toBe(false);
    expect(findings.every((f) => f.status === 'PASS' && f.severity === 'medium')).toBe(true);
    expect(findings[0]!.observed).toContain('PingStatus Online');
  });

  it.each(['ConnectionLost', 'Inactive'])('fails when the ping status is %s, giving the last ping', (status) => {
    const f = findingFor(instanceSsmManagedRule, withPing(status), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain(`PingStatus ${status}`);
    expect(f.observed).toContain('last ping 2026-11-20T08:14:03.000Z');
    expect(f.remediation).toContain('AmazonSSMManagedInstanceCore');
  });

  it('fails when the server is not an SSM managed node', () => {
    const f = findingFor(instanceSsmManagedRule, withoutRecord(), redis);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('not in the SSM InstanceInformationList');
    expect(f.remediation).toMatch(/ssmmessages/);
  });

  it('is UNKNOWN when DescribeInstanceInformation failed', () => {
    const estate = withoutRecord().error({ service: 'ssm', operation: 'DescribeInstanceInformation', code: 'AccessDeniedException', message: 'denied' });
    const f = findingFor(instanceSsmManagedRule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('ssm:DescribeInstanceInformation failed during capture (AccessDeniedException: denied)');
  });

  it('is UNKNOWN for a ping status SSM does not document', () => {
    expect(findingFor(instanceSsmManagedRule, withPing(undefined), redis).status).toBe('UNKNOWN');
    expect(findingFor(instanceSsmManagedRule, withPing('Rebooting'), redis).status).toBe('UNKNOWN');
  });
});
