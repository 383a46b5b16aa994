/** Sentences for evidence the snapshot lacks, naming the collection error that explains it when there is one. */
import type { EstateTarget } from '../estate/estate';
import { describeError } from '../rules/rule';
import type { CollectionError } from '../snapshot/schema';

export type Ec2Operation = 'DescribeSubnets' | 'DescribeRouteTables' | 'DescribeNetworkAcls' | 'DescribeSecurityGroups' | 'DescribeNetworkInterfaces' | 'DescribeInstances';

/** The collection error of an EC2 operation, whichever way the collector spelled the service. */
export function ec2Error(target: EstateTarget, operation: Ec2Operation): CollectionError | undefined {
  return target.errorFor(`ec2:${operation}`, `EC2:${operation}`, operation);
}

/** "<what> is not in the snapshot[: <operation> failed during capture (...)]." */
export function notInSnapshot(target: EstateTarget, what: string, operation: Ec2Operation): string {
  const error = ec2Error(target, operation);
  return error ? `${what} is not in the snapshot: ${describeError(error)}.` : `${what} is not in the snapshot.`;
}
