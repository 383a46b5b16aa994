import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { lookupInstanceType, describeType, instanceTypeKey } from './instance-type-facts';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';
import { SharedVerdicts } from './shared-verdicts';

/** Sustained clock speed must be strictly above this (GHz). */
export const MIN_CLOCK_GHZ = 2.6;

export const instanceClockSpeedRule: RuleDefinition = {
  id: 'instance.clock-speed',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server CPUs run above 2.6 GHz',
  requirement: REQUIREMENT.prodServers,
  evaluate(target) {
    const shared = new SharedVerdicts(target.shareVerdicts);
    return target.redisServers.map((server) =>
      serverFinding(instanceClockSpeedRule, server, shared.get(server, instanceTypeKey(server), () => serverVerdict(target, server)), server.production ? REQUIREMENT.prodServers : REQUIREMENT.nonProdServer),
    );
  },
};

/** The verdict for one server; it names the server only in a fix (see instanceTypeKey for what else it reads). */
function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const required = `Sustained clock speed above ${MIN_CLOCK_GHZ} GHz.`;
  const lookup = lookupInstanceType(target, server);
  if (!lookup.found) {
    return { status: 'UNKNOWN', severity: 'medium', observed: lookup.reason, required, remediation: 'Capture DescribeInstanceTypes for this type (ec2:DescribeInstanceTypes) and scan again.' };
  }
  const ghz = lookup.info.ProcessorInfo?.SustainedClockSpeedInGhz;
  if (ghz === undefined) {
    return {
      status: 'UNKNOWN',
      severity: 'medium',
      observed: `AWS does not report a sustained clock speed for ${lookup.info.InstanceType}.`,
      required,
      remediation: `Move ${server.instanceId} to a current-generation type whose sustained clock AWS publishes above ${MIN_CLOCK_GHZ} GHz (for example m5, m6i, m7i, r6i), or verify the clock by hand and waive this finding.`,
    };
  }
  const observed = `${describeType(lookup.info)} sustains ${ghz} GHz.`;
  if (ghz > MIN_CLOCK_GHZ) return { status: 'PASS', severity: 'medium', observed, required, remediation: 'None needed.' };
  return {
    status: 'FAIL',
    severity: 'medium',
    observed,
    required,
    remediation: `Resize ${server.instanceId} to a type whose sustained clock is above ${MIN_CLOCK_GHZ} GHz (for example m5 at 3.1 GHz, m6i at 3.5 GHz or m7i at 3.2 GHz; Graviton m6g at 2.5 GHz and m7g at 2.6 GHz do not qualify).`,
  };
}
