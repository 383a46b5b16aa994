/**
 * The read-only permissions of the collectors, used by the scanner functions (their own account)
 * and by the reader role in member accounts. The action list is owned by the collectors.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { READER_IAM_ACTIONS } from '../../lambdas/adapters/collectors/reader-iam-actions';

/** Owned by the collectors: exactly the read-only actions they call. */
export { READER_IAM_ACTIONS };

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
