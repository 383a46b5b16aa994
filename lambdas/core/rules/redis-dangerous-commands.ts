/**
 * redis.dangerous-commands (advisory: the vendor's page is silent): the user the front-ends log in
 * as cannot run CONFIG, DEBUG, MODULE, FLUSHALL, FLUSHDB or KEYS (all in Redis's @dangerous ACL
 * category), and `enable-debug-command` / `enable-module-command` are not `yes`. A session store
 * needs none of them; each lets a stolen session password reconfigure, crash, extend or empty the
 * server. The front-ends' user is the default user (the vendor's connection string names no user,
 * docs/redis-security.md); with the default user off, which user they use is not known, so any
 * enabled user allowed these commands makes the finding UNKNOWN. Evidence: ACL DRYRUN answers and
 * CONFIG GET values from the Redis probe (docs/redis-probe.md, "Security posture").
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { defaultUser, describeProcess, isSentinel, redisPosture, type ProcessPosture } from '../inventory/redis-posture';
import type { AclCapability, AclUserFact } from '../inventory/redis-probe-rows';
import { REQUIREMENT } from '../requirements';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'medium';
const CHECKED: readonly AclCapability[] = ['config', 'debug', 'module', 'flushall', 'flushdb', 'keys'];
const REQUIRED =
  "Advisory (the vendor's page is silent): the front-ends' Redis user cannot run CONFIG, DEBUG, MODULE, FLUSHALL, FLUSHDB or KEYS, and enable-debug-command / enable-module-command are no (or local).";

export const redisDangerousCommandsRule: RuleDefinition = {
  id: 'redis.dangerous-commands',
  resourceType: 'AWS::EC2::Instance',
  title: "Redis front-end user cannot run administrative commands (advisory)",
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(redisDangerousCommandsRule, server, serverVerdict(target, server)));
  },
};

interface ProcessResult {
  fail: string[];
  unknown: string[];
  note: string[];
}

/** The commands a user may run here, and the ones not tested. */
function allowed(user: AclUserFact, p: ProcessPosture): { may: string[]; untested: string[] } {
  const may: string[] = [];
  const untested: string[] = [];
  for (const command of CHECKED) {
    const answer = user.may[command];
    // DEBUG and MODULE LOAD also need enable-debug-command / enable-module-command.
    const gate = command === 'debug' ? p.process.enableDebugCommand : command === 'module' ? p.process.enableModuleCommand : undefined;
    // A command renamed in the config file is unknown by its name (ACL DRYRUN cannot test it): noted, not counted.
    if (answer === undefined && p.process.renamedCommandNames?.includes(command)) continue;
    if (answer === undefined) untested.push(command.toUpperCase());
    else if (answer && gate !== 'no') may.push(command.toUpperCase());
  }
  return { may, untested };
}

function judgeProcess(p: ProcessPosture): ProcessResult {
  const label = describeProcess(p.process);
  const out: ProcessResult = { fail: [], unknown: [], note: [] };
  for (const [name, value] of [['enable-debug-command', p.process.enableDebugCommand], ['enable-module-command', p.process.enableModuleCommand]] as const) {
    if (value === 'yes') out.fail.push(`${label} has ${name} yes (any client allowed the command may use it, remote ones included)`);
    else if (value === undefined) out.unknown.push(`${label}: ${name} not reported`);
  }
  if (p.process.renamedCommands) out.note.push(`${label} renames ${p.process.renamedCommands} command(s)${p.process.renamedCommandNames?.length ? ` (${p.process.renamedCommandNames.join(', ')})` : ''}`);
  if (!p.users) {
    out.unknown.push(`${label}: ${p.usersMissing ?? 'ACL users not reported'}`);
    return out;
  }
  const def = defaultUser(p);
  const enabled = p.users.filter((u) => u.enabled);
  if (def.enabled !== false) {
    const user = p.users.find((u) => u.user === 'default');
    if (!user) {
      out.unknown.push(`${label}: the default user's permissions were not reported`);
      return out;
    }
    const { may, untested } = allowed(user, p);
    if (may.length > 0) out.fail.push(`on ${label} the default user (the front-ends' user) may run ${may.join(', ')}${user.dangerousCategory ? ' (its rules grant all of @dangerous)' : ''}`);
    if (untested.length > 0) out.unknown.push(`${label}: ${untested.join(', ')} not tested for the default user`);
    return out;
  }
  const risky = enabled.map((u) => ({ user: u.user, ...allowed(u, p) })).filter((u) => u.may.length > 0 || u.untested.length > 0);
  if (risky.length > 0) {
    out.unknown.push(`on ${label} the default user is off, so which user the front-ends use is not known, and ${risky.map((u) => `${u.user} may run ${u.may.join(', ') || 'nothing checked'}${u.untested.length > 0 ? ` (${u.untested.join(', ')} not tested)` : ''}`).join('; ')}`);
  } else {
    out.note.push(`on ${label} the default user is off and no enabled user may run ${CHECKED.map((c) => c.toUpperCase()).join(', ')}`);
  }
  return out;
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const posture = redisPosture(target, server.instanceId);
  if (!posture.found) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `What the Redis users of ${server.instanceId} may run is not known: ${posture.reason}`, required: REQUIRED, remediation: `Run the current Redis probe on ${server.instanceId} (docs/redis-probe.md), then scan again.` };
  }
  const processes = posture.processes.filter((p) => !isSentinel(p));
  if (processes.length === 0) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `The Redis probe found no Redis server process running on ${server.instanceId} (Sentinel processes run no scripts; see redis.version).`, required: REQUIRED, remediation: 'None needed until a Redis process runs.' };
  }
  const results = processes.map(judgeProcess);
  const fail = results.flatMap((r) => r.fail);
  const unknown = results.flatMap((r) => r.unknown);
  const note = results.flatMap((r) => r.note);
  const problems = posture.problems.length > 0 ? ` Rows not understood: ${posture.problems.join('; ')}.` : '';
  const tail = `${note.length > 0 ? ` ${capitalise(note.join('; '))}.` : ''}${problems}`;
  if (fail.length > 0) {
    return {
      status: 'FAIL',
      severity: SEVERITY,
      observed: `${capitalise(fail.join('; '))}.${unknown.length > 0 ? ` Also not known: ${unknown.join('; ')}.` : ''}${tail}`,
      required: REQUIRED,
      remediation:
        `On ${server.instanceId}: set enable-debug-command and enable-module-command to no (config file; they cannot be changed at run time), and take the administrative commands from the front-ends' user, keeping what sessions use: ` +
        '`ACL SETUSER default -@dangerous +@scripting` keeps EVAL (which the session provider must be assumed to need); give operators their own ACL user with these commands; then ACL SAVE or CONFIG REWRITE. Test a login on a front-end afterwards.',
    };
  }
  if (unknown.length > 0 || posture.problems.length > 0) {
    return { status: 'UNKNOWN', severity: SEVERITY, observed: `${capitalise(unknown.join('; ') || 'Some rows were not understood')}.${tail}`, required: REQUIRED, remediation: `Run the current Redis probe on ${server.instanceId} (docs/redis-probe.md); if the front-ends use a named ACL user, make sure it cannot run these commands; then scan again.` };
  }
  return { status: 'PASS', severity: SEVERITY, observed: `No process lets the front-ends' user run CONFIG, DEBUG, MODULE, FLUSHALL, FLUSHDB or KEYS, and debug / module commands are not enabled for everyone.${tail}`, required: REQUIRED, remediation: 'None needed. Keep administrative commands on a separate operator user.' };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
