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

/** The reader role in one account. */
export function readerRoleArn(roleName: string, accountId: string): string {
  return `arn:${Aws.PARTITION}:iam::${accountId}:role/${roleName}`;
}

/** Where the scanner's reader roles are: the listed accounts, or any account of its own organization. */
export type ReaderRoleScope = { source: 'accounts'; accountIds: readonly string[] } | { source: 'organization' };

/**
 * sts:AssumeRole on the reader role only where the configuration scans: each listed account, or —
 * in organization mode, where the accounts are only known at run time — any account of the
 * scanner's own organization (`aws:ResourceOrgID` equal to `${aws:PrincipalOrgID}`, the
 * data-perimeter condition of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid).
 * In `self` mode nothing is assumed and this statement is not granted.
 */
export function assumeReaderRoleStatement(roleName: string, scope: ReaderRoleScope): iam.PolicyStatement {
  if (scope.source === 'accounts') {
    return new iam.PolicyStatement({ sid: 'AssumeReaderRole', actions: ['sts:AssumeRole'], resources: scope.accountIds.map((id) => readerRoleArn(roleName, id)) });
  }
  return new iam.PolicyStatement({
    sid: 'AssumeReaderRole',
    actions: ['sts:AssumeRole'],
    resources: [readerRoleArnPattern(roleName)],
    conditions: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
  });
}
