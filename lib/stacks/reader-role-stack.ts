/**
 * Member accounts: the read-only role the scanner assumes. It trusts only roles under the
 * scanner's IAM path (`/redis-compliance/`) in the scanner account, and only with the external id.
 * Deploy it with `cdk deploy` into one account, or in every account of an organization through the
 * StackSet of member-stack-sets-stack.ts (its template is this stack's, synthesized without
 * bootstrap assets). IAM is global: one region per account is enough.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { READER_IAM_ACTIONS } from '../constructs/reader-permissions';
import { SCANNER_ROLE_PATH } from '../constructs/scanner-lambda';
import { SecurityHubImportRole } from '../constructs/security-hub-import-role';

export interface ReaderRoleStackProps extends StackProps {
  readonly roleName: string;
  readonly externalId: string;
  /** The account the scanner runs in. */
  readonly scannerAccountId: string;
  /** Also the role the scanner assumes to import this account's findings into Security Hub (securityHub.memberRoleName). */
  readonly securityHubImport?: { readonly roleName: string; readonly regions: readonly string[] };
}

export class ReaderRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReaderRoleStackProps) {
    super(scope, id, props);
    this.role = new iam.Role(this, 'ReaderRole', {
      roleName: props.roleName,
      description: 'redis-compliance: read-only EC2 / SSM inventory for the Redis compliance scanner',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.AccountPrincipal(props.scannerAccountId).withConditions({
        StringEquals: { 'sts:ExternalId': props.externalId },
        ArnLike: { 'aws:PrincipalArn': `arn:${this.partition}:iam::${props.scannerAccountId}:role${SCANNER_ROLE_PATH}*` },
      }),
      inlinePolicies: {
        ReadRedisEstate: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ sid: 'ReadRedisEstate', actions: [...READER_IAM_ACTIONS], resources: ['*'] })],
        }),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The read-only EC2 Describe* and SSM DescribeInstanceInformation / ListInventoryEntries actions are read-only and asked of instances found by tag at scan time (no ARN list is known in advance); the policy lists exactly the actions the collectors call.',
    });
    new CfnOutput(this, 'ReaderRoleArn', { value: this.role.roleArn });
    if (props.securityHubImport) {
      const importRole = new SecurityHubImportRole(this, 'SecurityHubImport', { ...props.securityHubImport, externalId: props.externalId, scannerAccountId: props.scannerAccountId });
      new CfnOutput(this, 'SecurityHubImportRoleArn', { value: importRole.role.roleArn });
    }
  }
}
