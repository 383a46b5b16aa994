/**
 * redis.authentication: no Redis process answers commands without authentication on an address
 * other than loopback. The vendor's page asks for no public exposure "for security reasons"; its
 * page "Configure Platform Server to use Redis for sessions" gives the front-ends a connection
 * string with `password=` and says Configuration Tool does not accept one without a password
 * (docs/redis-security.md). Evidence: the Redis probe's posture (docs/redis-probe.md, "Security
 * posture"): the unauthenticated PING, the default user's flags, the listening addresses,
 * protected mode. High; critical when the server's security groups admit, on that port, more than
 * the environment's front-ends and the cluster's members (network/ingress-beyond-peers.ts).
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { describeProcess, redisPosture, unauthenticatedExposure } from '../inventory/redis-posture';
import { ingressBeyondPeers } from '../network/ingress-beyond-peers';
import { REQUIREMENT } from '../requirements';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';

const REQUIRED =
  'Every Redis process listening on an address other than loopback requires authentication (requirepass, or the ACL default user off or without nopass): ' +
  "OutSystems' Configuration Tool does not accept a Redis connection string without a password.";

export const redisAuthenticationRule: RuleDefinition = {
  id: 'redis.authentication',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis requires authentication',
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(redisAuthenticationRule, server, serverVerdict(target, server)));
  },
};

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const posture = redisPosture(target, server.instanceId);
  if (!posture.found) {
    return { status: 'UNKNOWN', severity: 'high', observed: `Whether Redis on ${server.instanceId} requires authentication is not known: ${posture.reason}`, required: REQUIRED, remediation: probeRemediation(server) };
  }
  if (posture.processes.length === 0) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `The Redis probe found no Redis process running on ${server.instanceId} (see redis.version).`, required: REQUIRED, remediation: 'None needed until a Redis process runs; require a password from its first start.' };
  }
  const open: Array<{ label: string; addresses: string[]; port?: number }> = [];
  const notes: string[] = [];
  const unknown: string[] = [];
  for (const p of posture.processes) {
    const exposure = unauthenticatedExposure(p);
    const label = describeProcess(p.process);
    if (exposure.kind === 'open') open.push({ label, addresses: exposure.addresses, ...(p.process.port !== undefined ? { port: p.process.port } : {}) });
    else if (exposure.kind === 'protected') notes.push(`${label} has no password but protected mode (yes) refuses clients from ${exposure.addresses.join(', ')}, so the front-ends cannot use it either`);
    else if (exposure.kind === 'loopback-only') notes.push(`${label} has no password but listens on loopback only`);
    else if (exposure.kind === 'closed') notes.push(`${label} requires authentication`);
    else unknown.push(exposure.reason);
  }
  const problems = posture.problems.length > 0 ? ` Rows not understood: ${posture.problems.join('; ')}.` : '';
  const noted = notes.length > 0 ? ` ${capitalise(notes.join('; '))}.` : '';
  if (open.length > 0) {
    const ports = open.map((o) => o.port).filter((p): p is number => p !== undefined);
    const wider = ingressBeyondPeers(target, server, ports);
    const critical = wider.beyond.length > 0;
    const network = critical
      ? ` Its security groups admit more than the front-ends and the cluster's members on that port: ${wider.beyond.join('; ')}.`
      : wider.unknownGroups.length > 0
        ? ` Who else its groups admit is not known: ${wider.unknownGroups.join(', ')} not in the snapshot.`
        : ' Its security groups admit only the front-ends and the cluster\'s members on that port.';
    return {
      status: 'FAIL',
      severity: critical ? 'critical' : 'high',
      observed: `${capitalise(open.map((o) => `${o.label} answers commands without authentication on ${o.addresses.join(', ')}`).join('; '))}: any client that reaches it reads and writes every session and may run Lua.${network}${noted}${problems}`,
      required: REQUIRED,
      remediation:
        `Set a password on every Redis process of ${server.instanceId} and on the front-ends together, in one maintenance window: ` +
        '`requirepass` and `masterauth` in each process\'s config file (or CONFIG SET requirepass ... then CONFIG REWRITE), ' +
        'and the same password in the front-ends\' ConnectionString (`password=...` in server.hsconf, applied with Configuration Tool, which requires one). ' +
        `${critical ? 'Then narrow the security group rules above to the front-ends\' and the cluster\'s own groups. ' : ''}Keep protected-mode yes as a safety net.`,
    };
  }
  if (unknown.length > 0) {
    return { status: 'UNKNOWN', severity: 'high', observed: `${capitalise(unknown.join('; '))}.${noted}${problems}`, required: REQUIRED, remediation: probeRemediation(server) };
  }
  if (posture.problems.length > 0) {
    return { status: 'UNKNOWN', severity: 'high', observed: `No process answers without authentication from outside the host, but some rows were not understood.${noted}${problems}`, required: REQUIRED, remediation: probeRemediation(server) };
  }
  return { status: 'PASS', severity: 'high', observed: `${capitalise(notes.join('; '))}.`, required: REQUIRED, remediation: 'None needed. Keep requirepass set (and masterauth on replicas), and rotate it with the front-ends\' connection string.' };
}

function probeRemediation(server: RedisServer): string {
  return `Run the current Redis probe on ${server.instanceId} (it reports auth_required, the default user's flags, listen and protected_mode: docs/redis-probe.md), then scan again.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
