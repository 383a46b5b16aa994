/**
 * The read-only permissions of the collectors, used by the scanner functions (their own account)
 * and by the reader role in member accounts. The action list is owned by the collectors.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Interim copy: the collectors issue will export READER_IAM_ACTIONS from
 * lambdas/adapters/collectors/reader-iam-actions.ts; this becomes a re-export of it.
 */
export const READER_IAM_ACTIONS: readonly string[] = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeSubnets',
  'ec2:DescribeRouteTables',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVolumes',
  'ec2:DescribeNetworkInterfaces',
  'ssm:DescribeInstanceInformation',
  'ssm:GetInventory',
];

/** These EC2 Describe* and SSM list actions support no resource-level permissions: Resource is `*`. */
export function readerStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'ReadRedisEstate', actions: [...READER_IAM_ACTIONS], resources: ['*'] });
}

/** The ARN pattern of the reader role in every member account. */
export function readerRoleArnPattern(roleName: string): string {
  return `arn:${Aws.PARTITION}:iam::*:role/${roleName}`;
}

export function assumeReaderRoleStatement(roleName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'AssumeReaderRole', actions: ['sts:AssumeRole'], resources: [readerRoleArnPattern(roleName)] });
}
