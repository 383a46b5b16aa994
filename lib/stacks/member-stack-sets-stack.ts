/**
 * Organization-wide rollout (deploy in the management account or a StackSets delegated
 * administrator, `readerRole.stackSetAccountId`): two service-managed StackSets with automatic deployment to the configured
 * organizational units — the reader role (one region: IAM is global) and the Redis inventory
 * association (every scanned region). Accounts that later join the OUs get both automatically.
 * The management account itself is never a target of a service-managed StackSet: deploy the
 * ReaderRole / RedisInventory stacks there directly if it runs Redis servers.
 *
 * Prerequisites (docs/deploy.md): trusted access for CloudFormation StackSets is activated in
 * Organizations; in a delegated administrator account the account is registered
 * (`aws organizations register-delegated-administrator --service-principal member.org.stacksets.cloudformation.amazonaws.com`)
 * and the StackSets are created with CallAs DELEGATED_ADMIN (SELF is only valid in the management
 * account: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html#cfn-cloudformation-stackset-callas).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type { Construct } from 'constructs';
import type { RedisInventoryAssociationProps } from '../constructs/redis-inventory-association';
import { ReaderRoleStack } from './reader-role-stack';
import { RedisInventoryStack } from './redis-inventory-stack';
import { renderStandaloneTemplate } from './render-template';

/** The reader role's StackSet name (the fan-out reads its stack instances to know the enrolled accounts). */
export function readerRoleStackSetName(namePrefix: string): string {
  return `${namePrefix}-reader-role`;
}

export interface MemberStackSetsStackProps extends StackProps {
  readonly organizationalUnitIds: readonly string[];
  readonly regions: readonly string[];
  readonly roleName: string;
  readonly externalId: string;
  readonly scannerAccountId: string;
  readonly inventory: RedisInventoryAssociationProps;
  readonly namePrefix: string;
  /** SELF in the management account, DELEGATED_ADMIN in a delegated administrator account. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  /** Tags put on the member templates' resources (the app's resourceTags). */
  readonly memberTags?: Record<string, string>;
  /** The Security Hub import role in each member account (securityHub.memberRoleName). */
  readonly securityHubImport?: { readonly roleName: string; readonly regions: readonly string[] };
}

export class MemberStackSetsStack extends Stack {
  readonly readerRoleStackSet: cloudformation.CfnStackSet;
  readonly inventoryStackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberStackSetsStackProps) {
    super(scope, id, props);
    const readerTemplate = renderStandaloneTemplate((app, synthesizer) =>
      new ReaderRoleStack(app, 'ReaderRole', { synthesizer, roleName: props.roleName, externalId: props.externalId, scannerAccountId: props.scannerAccountId, ...(props.securityHubImport ? { securityHubImport: props.securityHubImport } : {}) }), { ...(props.memberTags ? { tags: props.memberTags } : {}) });
    const inventoryTemplate = renderStandaloneTemplate((app, synthesizer) =>
      new RedisInventoryStack(app, 'RedisInventory', { synthesizer, ...props.inventory }), { ...(props.memberTags ? { tags: props.memberTags } : {}) });
    const common = {
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs,
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    } as const;
    this.readerRoleStackSet = new cloudformation.CfnStackSet(this, 'ReaderRoleStackSet', {
      ...common,
      stackSetName: readerRoleStackSetName(props.namePrefix),
      description: 'redis-compliance: read-only reader role trusted by the scanner account',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateBody: readerTemplate,
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] }, regions: [props.regions[0]!] }],
    });
    this.inventoryStackSet = new cloudformation.CfnStackSet(this, 'RedisInventoryStackSet', {
      ...common,
      stackSetName: `${props.namePrefix}-redis-inventory`,
      description: 'redis-compliance: SSM document and State Manager association recording Custom:RedisServer inventory',
      templateBody: inventoryTemplate,
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] }, regions: [...props.regions] }],
    });
  }
}
