import { redisDangerousCommandsRule } from '../../../lambdas/core/rules/redis-dangerous-commands';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { FRONTEND_USER, OPEN_UPSTREAM_SERVER, withPosture } from '../../support/posture-rows';

const ID = REDIS_IDS[0];
const IP = '10.0.1.11';

describe('redis.dangerous-commands (advisory)', () => {
  it('passes a front-end user limited to what sessions use', () => {
    const f = findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP), ID);
    expect(f).toMatchObject({ status: 'PASS', severity: 'medium' });
    expect(f.required).toContain('Advisory');
  });

  it('fails a default user allowed CONFIG, DEBUG, MODULE, FLUSHALL, FLUSHDB and KEYS only where the gates are open', () => {
    const f = findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [OPEN_UPSTREAM_SERVER]), ID);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain("the default user (the front-ends' user) may run CONFIG, FLUSHALL, FLUSHDB, KEYS (its rules grant all of @dangerous)");
    const opened = findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ ...OPEN_UPSTREAM_SERVER, row: { ...OPEN_UPSTREAM_SERVER.row, enable_debug_command: 'yes' } }]), ID);
    expect(opened.observed).toContain('enable-debug-command yes');
    expect(opened.observed).toContain('may run CONFIG, DEBUG, FLUSHALL');
    expect(opened.remediation).toContain('-@dangerous +@scripting');
  });

  it('fails enable-module-command yes even for a restricted user; local is not a finding', () => {
    expect(findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ row: { enable_module_command: 'yes' } }]), ID).status).toBe('FAIL');
    expect(findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ row: { enable_module_command: 'local' } }]), ID).status).toBe('PASS');
  });

  it('with the default user off: PASS when no enabled user may run them, UNKNOWN when one may (the front-ends user is then unknown)', () => {
    const off = { ...FRONTEND_USER, enabled: false };
    const app = { ...FRONTEND_USER, user: 'outsystems' };
    expect(findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ row: { default_user_enabled: '0' }, users: [off, app] }]), ID).status).toBe('PASS');
    const admin = { user: 'admin', commands: '+@all', may: { config: true, debug: false, module: false, flushall: true, flushdb: true, keys: true, eval: true } };
    const f = findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ row: { default_user_enabled: '0' }, users: [off, app, admin] }]), ID);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('admin may run CONFIG, FLUSHALL, FLUSHDB, KEYS');
  });

  it('is UNKNOWN, never PASS, when a gate or a DRYRUN answer is missing', () => {
    expect(findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ row: { enable_debug_command: undefined } }]), ID).status).toBe('UNKNOWN');
    const untested = { ...FRONTEND_USER, may: { eval: true } };
    expect(findingFor(redisDangerousCommandsRule, withPosture(compliantEstate(), ID, IP, [{ users: [untested] }]), ID).status).toBe('UNKNOWN');
    expect(findingFor(redisDangerousCommandsRule, compliantEstate(), ID).status).toBe('UNKNOWN');
  });
});
