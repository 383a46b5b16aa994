/**
 * redis.scripting-exposure: no running Redis build with unfixed Lua CVEs lets a user run Lua.
 * The vendor's page pins Redis 7.0.X; upstream's 7.0 line never received the Lua fixes of
 * 2024-2025 (CVE-2025-49844: remote code execution, critical), distributions backport them
 * (versions/redis-lua-cves.ts, docs/redis-security.md). Evidence: the Redis probe's owning package
 * and version of the running executable, and each ACL user's `ACL DRYRUN <user> EVAL` answer.
 * Critical when a client that never authenticates reaches a process that lets it run Lua, else high.
 * An unknown build, or unknown users on a vulnerable build, is UNKNOWN, never PASS.
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { describeProcess, isSentinel, redisPosture, unauthenticatedExposure, type ProcessPosture } from '../inventory/redis-posture';
import { REQUIREMENT } from '../requirements';
import { DEBIAN12_LUA_FIXED, assessLuaBuild, type LuaCve } from '../versions/redis-lua-cves';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';

const REQUIRED = 'No user may run Lua (EVAL, EVALSHA, FUNCTION) on a Redis build with unfixed Lua CVEs: a patched build, or scripting denied to every user.';

export const redisScriptingExposureRule: RuleDefinition = {
  id: 'redis.scripting-exposure',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis build with Lua CVEs does not let clients run Lua',
  requirement: REQUIREMENT.redisVersion,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(redisScriptingExposureRule, server, serverVerdict(target, server)));
  },
};

interface ProcessJudgement {
  status: 'FAIL' | 'UNKNOWN' | 'PASS';
  text: string;
  cves?: LuaCve[];
  unauthenticated?: boolean;
}

function judgeProcess(p: ProcessPosture): ProcessJudgement {
  const label = describeProcess(p.process);
  const build = assessLuaBuild({ ...(p.process.redisVersion ?? p.process.binaryVersion ? { redisVersion: p.process.redisVersion ?? p.process.binaryVersion } : {}), ...pick(p.process) });
  const luaUsers = p.users?.filter((u) => u.enabled && u.may.eval === true).map((u) => u.user);
  const untested = p.users?.filter((u) => u.enabled && u.may.eval === undefined).map((u) => u.user) ?? [];
  const exposure = unauthenticatedExposure(p);
  const defaultMayEval = luaUsers?.includes('default') ?? false;
  const unauthenticated = defaultMayEval && (exposure.kind === 'open' || exposure.kind === 'loopback-only' || exposure.kind === 'protected');
  const remote = defaultMayEval && exposure.kind === 'open';
  const who =
    luaUsers === undefined
      ? `who may run Lua is not known (${p.usersMissing ?? 'no ACL users reported'})`
      : luaUsers.length === 0
        ? `no enabled user may run EVAL (ACL DRYRUN)${untested.length > 0 ? `, except perhaps ${untested.join(', ')} (not tested)` : ''}`
        : `user(s) ${luaUsers.join(', ')} may run EVAL (ACL DRYRUN)${unauthenticated ? `, and the default user is what a client that never authenticates gets${remote ? ' from any host that reaches the port' : ' (from this host)'}` : ''}`;
  if (build.status === 'fixed') return { status: 'PASS', text: `${label} runs ${build.build}, which has the fixes for the Lua CVEs known here` };
  if (build.status === 'unknown') {
    if (luaUsers !== undefined && luaUsers.length === 0 && untested.length === 0) return { status: 'PASS', text: `${label} runs ${build.build} (${build.reason}), but ${who}` };
    return { status: 'UNKNOWN', text: `${label} runs ${build.build}: whether it has the Lua fixes is not known (${build.reason}); ${who}` };
  }
  const cves = build.cves.map((c) => c.id).join(', ');
  if (luaUsers === undefined || untested.length > 0) return { status: 'UNKNOWN', text: `${label} runs ${build.build}, which lacks the fixes for ${cves}; ${who}`, cves: build.cves };
  if (luaUsers.length === 0) return { status: 'PASS', text: `${label} runs ${build.build}, which lacks the fixes for ${cves}, but ${who}` };
  return { status: 'FAIL', text: `${label} runs ${build.build}, which lacks the fixes for ${cves}; ${who}`, cves: build.cves, unauthenticated: remote };
}

function pick(process: ProcessPosture['process']) {
  return {
    ...(process.packageManager !== undefined ? { packageManager: process.packageManager } : {}),
    ...(process.packageName !== undefined ? { packageName: process.packageName } : {}),
    ...(process.packageVersion !== undefined ? { packageVersion: process.packageVersion } : {}),
  };
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const posture = redisPosture(target, server.instanceId);
  if (!posture.found) {
    return { status: 'UNKNOWN', severity: 'high', observed: `Which Redis build runs on ${server.instanceId} and who may run Lua is not known: ${posture.reason}`, required: REQUIRED, remediation: probeRemediation(server) };
  }
  const processes = posture.processes.filter((p) => !isSentinel(p));
  if (processes.length === 0) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `The Redis probe found no Redis server process running on ${server.instanceId} (Sentinel processes run no scripts; see redis.version).`, required: REQUIRED, remediation: 'None needed until a Redis process runs.' };
  }
  const judged = processes.map(judgeProcess);
  const problems = posture.problems.length > 0 ? ` Rows not understood: ${posture.problems.join('; ')}.` : '';
  const observed = `${judged.map((j) => capitalise(j.text)).join('. ')}.${problems}`;
  const failing = judged.filter((j) => j.status === 'FAIL');
  if (failing.length > 0) {
    const cves = [...new Map(failing.flatMap((j) => j.cves ?? []).map((c) => [c.id, c])).values()];
    const detail = cves.map((c) => `${c.id} (${c.summary})`).join('; ');
    return {
      status: 'FAIL',
      severity: failing.some((j) => j.unauthenticated) ? 'critical' : 'high',
      observed: `${observed} CVEs: ${detail}.`,
      required: REQUIRED,
      remediation: remediation(server, failing.some((j) => j.unauthenticated)),
    };
  }
  if (judged.some((j) => j.status === 'UNKNOWN') || posture.problems.length > 0) {
    return { status: 'UNKNOWN', severity: 'high', observed, required: REQUIRED, remediation: probeRemediation(server) };
  }
  return { status: 'PASS', severity: 'high', observed, required: REQUIRED, remediation: `None needed. Keep the Redis package patched (Debian 12: ${DEBIAN12_LUA_FIXED} or later) and rescan after each update.` };
}

function remediation(server: RedisServer, unauthenticated: boolean): string {
  return (
    `${unauthenticated ? 'First require a password (see redis.authentication): today any client that reaches the port may run Lua. ' : ''}` +
    `Then, on ${server.instanceId}: (1) run a patched build: on Debian 12 \`apt-get install --only-upgrade redis-server redis-tools\` to ${DEBIAN12_LUA_FIXED} or later (still Redis 7.0.15, so redis.version keeps passing), restarting one node at a time after failing its masters over; ` +
    'a build from source has no fixed 7.0.x release upstream: replace it with a distribution package that backports the fixes (upstream 7.2.11 / 7.4.6 / 8.0.4 / 8.2.2 also have them, but leave the 7.0.X line the vendor page pins). ' +
    '(2) Deny Lua to every user that does not need it (`ACL SETUSER <user> -@scripting`, then ACL SAVE or CONFIG REWRITE). ' +
    "Do not deny it to the user the front-ends log in as (the default user, with the vendor's password-only connection string): OutSystems' session provider must be assumed to run its session operations as Lua scripts (EVAL), so that would likely break session storage (docs/redis-security.md); patching is the fix for that user."
  );
}

function probeRemediation(server: RedisServer): string {
  return `Run the current Redis probe on ${server.instanceId} (it reports the package that owns the running executable and each ACL user's ACL DRYRUN EVAL answer: docs/redis-probe.md), or check with Amazon Inspector (redis.known-vulnerabilities); then scan again.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
