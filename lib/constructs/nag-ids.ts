/**
 * cdk-nag finding ids name tokens by logical id (`AwsSolutions-IAM5[Resource::<Table1234.Arn>/index/*]`);
 * these helpers build them from the construct so acknowledgements survive logical-id changes.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `<LogicalId.Arn>` of a construct's CloudFormation resource, as cdk-nag prints it. */
export function arnToken(construct: IConstruct): string {
  const cfn = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>`;
}

export const iam5Resource = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
export const iam5Action = (action: string) => `AwsSolutions-IAM5[Action::${action}]`;
