import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { lookupInstanceType, describeType, instanceTypeKey } from './instance-type-facts';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';
import { SharedVerdicts } from './shared-verdicts';

export const PRODUCTION_MIN_VCPUS = 3;
export const NON_PRODUCTION_MIN_VCPUS = 2;

/** Non-production needs 2 CPUs; production 3 or 4 vCPUs per server. */
export const instanceVcpuRule: RuleDefinition = {
  id: 'instance.vcpu',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server has enough vCPUs',
  requirement: `${REQUIREMENT.prodServers} / ${REQUIREMENT.nonProdServer}`,
  evaluate(target) {
    const shared = new SharedVerdicts(target.shareVerdicts);
    return target.redisServers.map((server) =>
      serverFinding(instanceVcpuRule, server, shared.get(server, instanceTypeKey(server, true), () => serverVerdict(target, server)), server.production ? REQUIREMENT.prodServers : REQUIREMENT.nonProdServer),
    );
  },
};

/** The verdict for one server; it names the server only in a fix (see instanceTypeKey for what else it reads). */
function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const min = server.production ? PRODUCTION_MIN_VCPUS : NON_PRODUCTION_MIN_VCPUS;
  const required = `At least ${min} vCPUs (${server.production ? 'production' : 'non-production'}).`;
  const severity = server.production ? 'high' : 'medium';
  const lookup = lookupInstanceType(target, server);
  if (!lookup.found) {
    return { status: 'UNKNOWN', severity, observed: lookup.reason, required, remediation: 'Capture DescribeInstanceTypes for this type (ec2:DescribeInstanceTypes) and scan again.' };
  }
  const cpu = server.instance.CpuOptions;
  const defaultVcpus = lookup.info.VCpuInfo?.DefaultVCpus;
  // CPU options chosen at launch (optimize CPUs) can give an instance fewer vCPUs than its type's default.
  const effective = cpu?.CoreCount !== undefined && cpu.ThreadsPerCore !== undefined ? cpu.CoreCount * cpu.ThreadsPerCore : defaultVcpus;
  if (effective === undefined) {
    return { status: 'UNKNOWN', severity, observed: `Instance type ${lookup.info.InstanceType} reports no vCPU count.`, required, remediation: 'Check the instance type with DescribeInstanceTypes and scan again.' };
  }
  const optimized = effective !== defaultVcpus && defaultVcpus !== undefined ? ` (CPU options: ${cpu!.CoreCount} cores x ${cpu!.ThreadsPerCore} threads; the type's default is ${defaultVcpus})` : '';
  const observed = `${describeType(lookup.info)} has ${effective} vCPUs${optimized}.`;
  if (effective >= min) return { status: 'PASS', severity, observed, required, remediation: 'None needed. Keep at least this many vCPUs when resizing.' };
  return {
    status: 'FAIL',
    severity,
    observed,
    required,
    remediation: `Resize ${server.instanceId} to an instance type with at least ${min} vCPUs and a sustained clock above 2.6 GHz (for example m5.xlarge or m7i.xlarge), or launch it without reduced CPU options.`,
  };
}
