/** Looks up the DescribeInstanceTypes record of a server's type, or says why it cannot. */
import type { EstateTarget, Server } from '../estate/estate';
import type { InstanceTypeInfo } from '../snapshot/schema';
import { describeError } from './rule';

export type InstanceTypeLookup = { found: true; info: InstanceTypeInfo } | { found: false; reason: string };

export function lookupInstanceType(target: EstateTarget, server: Server): InstanceTypeLookup {
  const typeName = server.instance.InstanceType;
  if (!typeName) return { found: false, reason: 'DescribeInstances did not report an instance type.' };
  const info = target.instanceTypes.get(typeName);
  if (info) return { found: true, info };
  const error = target.errorFor('ec2:DescribeInstanceTypes');
  if (error) return { found: false, reason: `Instance type ${typeName}: no type record, ${describeError(error)}.` };
  return { found: false, reason: `Instance type ${typeName} has no DescribeInstanceTypes record in the snapshot.` };
}

/** "m5.xlarge" or "m5.xlarge (burstable)" for messages. */
export function describeType(info: InstanceTypeInfo): string {
  return info.BurstablePerformanceSupported ? `${info.InstanceType} (burstable)` : info.InstanceType;
}

/**
 * What a type-based verdict depends on besides the target: the production flag and the type name,
 * and, for vCPU counts, the CPU options chosen at launch.
 */
export function instanceTypeKey(server: Server, withCpuOptions = false): string {
  const base = `${server.production ? 'production' : 'non-production'}\u0000${server.instance.InstanceType ?? ''}`;
  if (!withCpuOptions) return base;
  const cpu = server.instance.CpuOptions;
  return `${base}\u0000${cpu?.CoreCount ?? ''}\u0000${cpu?.ThreadsPerCore ?? ''}`;
}
