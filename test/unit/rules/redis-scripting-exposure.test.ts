import { redisScriptingExposureRule } from '../../../lambdas/core/rules/redis-scripting-exposure';
import { redisVersionRule } from '../../../lambdas/core/rules/redis-version';
import { redisAuthenticationRule } from '../../../lambdas/core/rules/redis-authentication';
import { assessLuaBuild } from '../../../lambdas/core/versions/redis-lua-cves';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';
import { FRONTEND_USER, OPEN_UPSTREAM_SERVER, withPosture } from '../../support/posture-rows';

const ID = REDIS_IDS[0];
const IP = '10.0.1.11';
const LUA_2025 = ['CVE-2025-49844', 'CVE-2025-46817', 'CVE-2025-46818', 'CVE-2025-46819'];

describe('redis.scripting-exposure', () => {
  it('fails (critical) upstream 7.0.15 with no password and the default user allowed EVAL, while redis.version passes', () => {
    const estate = withPosture(compliantEstate(), ID, IP, [OPEN_UPSTREAM_SERVER]);
    const f = findingFor(redisScriptingExposureRule, estate, ID);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'critical' });
    for (const cve of ['CVE-2024-31449', 'CVE-2024-46981', ...LUA_2025]) expect(f.observed).toContain(cve);
    expect(f.observed).toContain('a build from source (no package owns the executable) reporting Redis 7.0.15');
    expect(f.observed).toContain('from any host that reaches the port');
    expect(f.remediation).toContain('5:7.0.15-1~deb12u7');
    expect(f.remediation).toContain('Do not deny it to the user the front-ends log in as');
    expect(findingFor(redisVersionRule, estate, ID).status).toBe('PASS');
    expect(findingFor(redisAuthenticationRule, estate, ID).status).toBe('FAIL');
  });

  it('fails (high) an old Debian 12 package when an authenticated user may run EVAL, naming only the CVEs it lacks', () => {
    const f = findingFor(redisScriptingExposureRule, withPosture(compliantEstate(), ID, IP, [{ row: { package_version: '5:7.0.15-1~deb12u3' } }]), ID);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'high' });
    for (const cve of LUA_2025) expect(f.observed).toContain(cve);
    expect(f.observed).not.toContain('CVE-2024-46981');
    expect(f.observed).toContain('Debian 12 package redis-server 5:7.0.15-1~deb12u3');
  });

  it('passes the patched Debian 12 package even though the front-ends user may run EVAL', () => {
    const f = findingFor(redisScriptingExposureRule, withPosture(compliantEstate(), ID, IP), ID);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('5:7.0.15-1~deb12u10');
  });

  it('passes a vulnerable build when no enabled user may run Lua (ACL -@scripting)', () => {
    const users = [{ ...FRONTEND_USER, commands: '+@all -@scripting', may: { ...FRONTEND_USER.may, eval: false } }, { user: 'ops', enabled: false, may: { eval: true } }];
    const f = findingFor(redisScriptingExposureRule, withPosture(compliantEstate(), ID, IP, [{ row: { package_manager: 'none', package_name: undefined, package_version: undefined }, users }]), ID);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('no enabled user may run EVAL');
  });

  it('is UNKNOWN, never PASS, when the owner of the executable or the users are not reported, or the package has no fix table', () => {
    const noOwner = findingFor(redisScriptingExposureRule, withPosture(compliantEstate(), ID, IP, [{ row: { package_manager: undefined, package_name: undefined, package_version: undefined } }]), ID);
    expect(noOwner.status).toBe('UNKNOWN');
    const rpm = findingFor(redisScriptingExposureRule, withPosture(compliantEstate(), ID, IP, [{ row: { package_manager: 'rpm', package_name: 'redis', package_version: '7.0.15-1.amzn2023' } }]), ID);
    expect(rpm.status).toBe('UNKNOWN');
    const usersLost = withPosture(compliantEstate(), ID, IP, [{ row: { package_version: '5:7.0.15-1~deb12u1' } }]).mutate((t) => {
      delete t.ssm.Entities.find((e) => e.Id === ID)!.Data!['Custom:RedisAclUser'];
      t.errors.push({ service: 'ssm', operation: 'ListInventoryEntries', code: 'AccessDeniedException', message: 'denied' });
    });
    const f = findingFor(redisScriptingExposureRule, usersLost, ID);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('who may run Lua is not known');
    expect(findingFor(redisScriptingExposureRule, compliantEstate(), ID).status).toBe('UNKNOWN');
  });
});

describe('assessLuaBuild', () => {
  it('reads upstream lines: 7.0.x and 7.2.10 lack CVE-2025-49844, 7.2.11, 7.4.6 and 8.2.2 have every fix', () => {
    const of = (v: string) => assessLuaBuild({ redisVersion: v, packageManager: 'none' });
    expect(of('7.0.15')).toMatchObject({ status: 'vulnerable' });
    const r = of('7.2.10');
    expect(r.status === 'vulnerable' && r.cves.map((c) => c.id)).toEqual(LUA_2025);
    for (const v of ['7.2.11', '7.4.6', '8.2.2', '9.0.0']) expect(of(v).status).toBe('fixed');
    expect(of('8.0.3').status).toBe('vulnerable');
  });

  it('knows Debian 12 packages only; a sid or Ubuntu version is unknown', () => {
    expect(assessLuaBuild({ packageManager: 'dpkg', packageName: 'redis-server', packageVersion: '5:7.0.15-1~deb12u7' }).status).toBe('fixed');
    expect(assessLuaBuild({ packageManager: 'dpkg', packageName: 'redis-server', packageVersion: '5:7.0.15-1~deb12u6' }).status).toBe('vulnerable');
    expect(assessLuaBuild({ packageManager: 'dpkg', packageName: 'redis-server', packageVersion: '5:7.0.15-1' }).status).toBe('unknown');
    expect(assessLuaBuild({ packageManager: 'dpkg', packageName: 'redis-server', packageVersion: '5:7.0.15-1ubuntu0.24.04.1' }).status).toBe('unknown');
  });
});
