/**
 * Member accounts: the role the scanner assumes to import that account's findings into its own
 * Security Hub. BatchImportFindings with the default (custom integration) product ARN must be
 * called by the finding's account (BatchImportFindings API reference), so the scanner cannot import
 * a member's findings with its own role. Trusted like the reader role: only roles under the
 * scanner's IAM path in the scanner account, and only with the external id. It may do one thing:
 * securityhub:BatchImportFindings on this account's `product/<account>/default` in the target regions.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SCANNER_ROLE_PATH } from './scanner-lambda';

export interface SecurityHubImportRoleProps {
  readonly roleName: string;
  readonly externalId: string;
  readonly scannerAccountId: string;
  /** Regions whose hub receives findings (the scan's target regions). */
  readonly regions: readonly string[];
}

export class SecurityHubImportRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SecurityHubImportRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'redis-compliance: imports this account\'s Redis compliance findings into its Security Hub',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.AccountPrincipal(props.scannerAccountId).withConditions({
        StringEquals: { 'sts:ExternalId': props.externalId },
        ArnLike: { 'aws:PrincipalArn': `arn:${stack.partition}:iam::${props.scannerAccountId}:role${SCANNER_ROLE_PATH}*` },
      }),
      inlinePolicies: {
        ImportSecurityHubFindings: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            sid: 'ImportSecurityHubFindings',
            actions: ['securityhub:BatchImportFindings'],
            resources: props.regions.map((region) => `arn:${stack.partition}:securityhub:${region}:${stack.account}:product/${stack.account}/default`),
          })],
        }),
      },
    });
  }
}
