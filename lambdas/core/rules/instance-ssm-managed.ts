/**
 * instance.ssm-managed: each Redis server is an SSM managed node that is online. Without it the
 * scanner cannot read the Redis version or mode from inventory, so the software requirements cannot
 * be verified on that server.
 */
import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { describeError, serverFinding, type RuleDefinition, type Verdict } from './rule';

const SEVERITY = 'medium';
const REQUIRED = 'Managed by AWS Systems Manager with PingStatus Online, so that its Redis version and mode can be verified from SSM inventory.';

export const instanceSsmManagedRule: RuleDefinition = {
  id: 'instance.ssm-managed',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server is managed by SSM and online',
  requirement: REQUIREMENT.redisVersion,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(instanceSsmManagedRule, server, serverVerdict(target, server)));
  },
};

function remediation(instanceId: string): string {
  return (
    `Attach to ${instanceId} an instance profile whose role has the AmazonSSMManagedInstanceCore policy, make sure the SSM Agent is installed and running ` +
    '(systemctl status amazon-ssm-agent), and give the instance an HTTPS (443) path to the ssm, ssmmessages and ec2messages endpoints ' +
    '(VPC interface endpoints, or a NAT gateway); then scan again.'
  );
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const information = target.ssmInformation.get(server.instanceId);
  if (!information) {
    const error = target.errorFor('ssm:DescribeInstanceInformation');
    if (error) return { status: 'UNKNOWN', severity: SEVERITY, observed: `SSM managed-node status of ${server.instanceId} not known: ${describeError(error)}.`, required: REQUIRED, remediation: 'Grant the scanner ssm:DescribeInstanceInformation and scan again.' };
    return { status: 'FAIL', severity: SEVERITY, observed: `${server.instanceId} is not in the SSM InstanceInformationList: it is not an SSM managed node.`, required: REQUIRED, remediation: remediation(server.instanceId) };
  }
  const details = [
    `PingStatus ${information.PingStatus ?? '(none)'}`,
    `last ping ${information.LastPingDateTime ?? '(never)'}`,
    ...(information.AgentVersion ? [`agent ${information.AgentVersion}`] : []),
    ...(information.PlatformName ? [`platform ${information.PlatformName}${information.PlatformVersion ? ` ${information.PlatformVersion}` : ''}`] : []),
  ].join(', ');
  const observed = `SSM managed node ${server.instanceId}: ${details}.`;
  switch (information.PingStatus) {
    case 'Online':
      return { status: 'PASS', severity: SEVERITY, observed, required: REQUIRED, remediation: 'None needed. Keep the SSM Agent running and its instance profile attached.' };
    case 'ConnectionLost':
    case 'Inactive':
      return { status: 'FAIL', severity: SEVERITY, observed, required: REQUIRED, remediation: remediation(server.instanceId) };
    default:
      return { status: 'UNKNOWN', severity: SEVERITY, observed: `${observed} This ping status is not one SSM documents (Online, ConnectionLost, Inactive).`, required: REQUIRED, remediation: `Check ${server.instanceId} in Systems Manager Fleet Manager and scan again.` };
  }
}
