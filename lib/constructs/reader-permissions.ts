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

/**
 * Where the scanner's reader roles are: the listed accounts (all in the scanner's organization, or
 * not), or any account of its own organization.
 */
export type ReaderRoleScope =
  | { source: 'accounts'; accountIds: readonly string[]; inOrganization: boolean }
  | { source: 'organization' };

/**
 * Above this many listed accounts outside an organization condition, the account list no longer
 * fits the scanner roles' inline policies (IAM: 10,240 characters for all of a role's inline
 * policies; each id costs 15 with its quotes and comma): the accounts must be in the scanner's
 * organization (`targets.accountsInOrganization`). test/infra/iam-limits.test.ts measures it.
 */
export const ACCOUNT_LIST_CONDITION_LIMIT = 200;

/**
 * sts:AssumeRole on the reader role, granted by its name (one ARN pattern, whatever the number of
 * accounts) and bounded by a condition on the account that owns the role: in the scanner's own
 * organization (`aws:ResourceOrgID` equal to `${aws:PrincipalOrgID}`, the data-perimeter condition)
 * when the accounts are listed at run time or are all members of it; else one of the listed
 * accounts (`aws:ResourceAccount`). Both keys:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
 * and #condition-keys-resourceaccount. In `self` mode nothing is assumed and this statement is not granted.
 */
export function assumeReaderRoleStatement(roleName: string, scope: ReaderRoleScope): iam.PolicyStatement {
  return assumeRoleByNameStatement('AssumeReaderRole', roleName, scope);
}

/** The same grant for any role deployed by name in the scanned accounts (the Security Hub import role too). */
export function assumeRoleByNameStatement(sid: string, roleName: string, scope: ReaderRoleScope): iam.PolicyStatement {
  const inOrganization = scope.source === 'organization' || scope.inOrganization;
  return new iam.PolicyStatement({
    sid,
    actions: ['sts:AssumeRole'],
    resources: [readerRoleArnPattern(roleName)],
    conditions: inOrganization || scope.source !== 'accounts'
      ? { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } }
      : { StringEquals: { 'aws:ResourceAccount': [...new Set(scope.accountIds)] } },
  });
}

/** The scope of the configured targets, or undefined when only the scanner's own account is scanned. */
export function readerRoleScopeOf(targets: { source: 'self' | 'accounts' | 'organization'; accountIds: readonly string[]; accountsInOrganization: boolean }): ReaderRoleScope | undefined {
  if (targets.source === 'accounts') return { source: 'accounts', accountIds: targets.accountIds, inOrganization: targets.accountsInOrganization };
  return targets.source === 'organization' ? { source: 'organization' } : undefined;
}
