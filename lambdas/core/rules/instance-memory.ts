import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { lookupInstanceType, describeType, instanceTypeKey } from './instance-type-facts';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';
import { SharedVerdicts } from './shared-verdicts';

export const PRODUCTION_MIN_MEMORY_GIB = 8;
export const NON_PRODUCTION_MIN_MEMORY_GIB = 4;

export const instanceMemoryRule: RuleDefinition = {
  id: 'instance.memory',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server has enough memory',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    const shared = new SharedVerdicts(target.shareVerdicts);
    return target.redisServers.map((server) =>
      serverFinding(instanceMemoryRule, server, shared.get(server, instanceTypeKey(server), () => serverVerdict(target, server)), server.production ? REQUIREMENT.prodServers : REQUIREMENT.nonProdServer),
    );
  },
};

/** The verdict for one server; it names the server only in a fix (see instanceTypeKey for what else it reads). */
function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const minGiB = server.production ? PRODUCTION_MIN_MEMORY_GIB : NON_PRODUCTION_MIN_MEMORY_GIB;
  const severity = server.production ? 'high' : 'medium';
  const required = `At least ${minGiB} GiB of RAM (${server.production ? 'production' : 'non-production'}).`;
  const lookup = lookupInstanceType(target, server);
  const mib = lookup.found ? lookup.info.MemoryInfo?.SizeInMiB : undefined;
  if (!lookup.found || mib === undefined) {
    return { status: 'UNKNOWN', severity, observed: lookup.found ? `Instance type ${lookup.info.InstanceType} reports no memory size.` : lookup.reason, required, remediation: 'Capture DescribeInstanceTypes for this type (ec2:DescribeInstanceTypes) and scan again.' };
  }
  const gib = mib / 1024;
  const observed = `${describeType(lookup.info)} has ${formatGiB(gib)} GiB of RAM.`;
  if (gib >= minGiB) {
    const note = server.production && gib < 2 * minGiB ? ' With a master and a replica per server only half is available for sessions: add RAM if sessions are long-lived.' : '';
    return { status: 'PASS', severity, observed, required, remediation: `None needed.${note}` };
  }
  return {
    status: 'FAIL',
    severity,
    observed,
    required,
    remediation: `Resize ${server.instanceId} to an instance type with at least ${minGiB} GiB of memory (for example ${server.production ? 'm5.xlarge (16 GiB) or r6i.large (16 GiB)' : 'c5.large (4 GiB) or m5.large (8 GiB)'}).`,
  };
}

function formatGiB(gib: number): string {
  return Number.isInteger(gib) ? String(gib) : gib.toFixed(2);
}
