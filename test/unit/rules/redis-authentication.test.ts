import { redisAuthenticationRule } from '../../../lambdas/core/rules/redis-authentication';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { REDIS_IDS, REDIS_SG, compliantEstate, tcpPermission } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { FRONTEND_USER, OPEN_UPSTREAM_SERVER, withPosture } from '../../support/posture-rows';

const ID = REDIS_IDS[0];
const IP = '10.0.1.11';
const noPassword = { auth_required: '0', default_user_nopass: '1', protected_mode: 'no', listen: `0.0.0.0:7000 0.0.0.0:17000` };

describe('redis.authentication', () => {
  it('passes a process that refuses unauthenticated commands (requirepass)', () => {
    const f = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP), ID);
    expect(f).toMatchObject({ status: 'PASS', severity: 'high', requirement: REQUIREMENT.ownSubnet });
    expect(f.observed).toContain('The Redis process on port 7000 requires authentication');
  });

  it('fails (high) a process answering without a password on a private address whose groups admit only front-ends and members', () => {
    const f = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: noPassword }]), ID);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'high' });
    expect(f.observed).toContain('The Redis process on port 7000 answers commands without authentication on 0.0.0.0');
    expect(f.observed).toContain("admit only the front-ends and the cluster's members");
    expect(f.remediation).toContain('requirepass');
    expect(f.remediation).toContain('password=');
  });

  it('is critical when a group admits a whole range on the port (any host of the VPC)', () => {
    const estate = withPosture(compliantEstate(), ID, IP, [{ row: noPassword }]).mutate((t) => {
      t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions!.push(tcpPermission(7000, 7000, { cidrs: ['10.0.0.0/16'] }));
    });
    const f = findingFor(redisAuthenticationRule, estate, ID);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(f.observed).toContain(`10.0.0.0/16 on ${REDIS_SG} (port 7000)`);
  });

  it('counts a stopped front-end that carries an admitted group as a front-end, not as "also attached to" (it is one again when it starts)', () => {
    const stoppedFrontend = (state: string) =>
      withPosture(compliantEstate(), ID, IP, [OPEN_UPSTREAM_SERVER])
        .instance({ id: 'i-0bbb00000000000b2', subnetId: 'subnet-0front0000000001', privateIp: '10.0.2.98', securityGroupIds: ['sg-0front00000000001'], tags: { Name: 'app-standby', Role: 'outsystems-frontend', Environment: 'Staging' } })
        .mutate((t) => {
          for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) if (i.InstanceId === 'i-0bbb00000000000b2') i.State = { Code: state === 'running' ? 16 : 80, Name: state as 'running' | 'stopped' };
        });
    for (const state of ['running', 'stopped']) {
      const f = findingFor(redisAuthenticationRule, stoppedFrontend(state), ID);
      expect(`${state}: ${f.observed}`).not.toContain('i-0bbb00000000000b2');
    }
  });

  it('is critical when a group it admits is attached to an instance that is neither a front-end nor a member', () => {
    const estate = withPosture(compliantEstate(), ID, IP, [OPEN_UPSTREAM_SERVER]).instance({ id: 'i-0bbb00000000000b1', subnetId: 'subnet-0front0000000001', privateIp: '10.0.2.99', securityGroupIds: ['sg-0front00000000001'], tags: { Name: 'batch' } });
    const f = findingFor(redisAuthenticationRule, estate, ID);
    expect(f.severity).toBe('critical');
    expect(f.observed).toContain('also attached to i-0bbb00000000000b1');
  });

  it('passes a process without a password that listens on loopback only', () => {
    const f = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: { ...noPassword, listen: '127.0.0.1:7000' } }]), ID);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('listens on loopback only');
  });

  it('passes a password-less process that protected mode shields from other hosts, and says the front-ends cannot use it', () => {
    const f = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: { ...noPassword, protected_mode: 'yes' } }]), ID);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('protected mode (yes) refuses clients from 0.0.0.0');
  });

  it('reads the default user flags when the unauthenticated PING was not reported: off passes, on with nopass fails', () => {
    const off = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: { ...noPassword, auth_required: undefined, default_user_enabled: '0' }, users: [{ user: 'default', enabled: false, nopass: true, may: { eval: false } }] }]), ID);
    expect(off.status).toBe('PASS');
    const open = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: { ...noPassword, auth_required: undefined }, users: [{ ...FRONTEND_USER, nopass: true }] }]), ID);
    expect(open.status).toBe('FAIL');
  });

  it('is UNKNOWN, never PASS, without posture evidence: legacy rows, unreported protected mode, a failed inventory read', () => {
    expect(findingFor(redisAuthenticationRule, compliantEstate(), ID).status).toBe('UNKNOWN');
    const f = findingFor(redisAuthenticationRule, withPosture(compliantEstate(), ID, IP, [{ row: { ...noPassword, protected_mode: undefined } }]), ID);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('protected-mode setting was not reported');
    const lost = withPosture(compliantEstate(), ID, IP).mutate((t) => {
      t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== ID);
      t.errors.push({ service: 'ssm', operation: 'ListInventoryEntries', code: 'ThrottlingException', message: 'Rate exceeded' });
    });
    expect(findingFor(redisAuthenticationRule, lost, ID).status).toBe('UNKNOWN');
  });
});
