/**
 * The IAM actions the collectors call: read-only, and nothing else. The CDK stacks grant exactly
 * these to the reader role, and docs/iam-reader-policy.md lists them.
 */
export const READER_IAM_ACTIONS: readonly string[] = Object.freeze([
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
]);

/** What the scanner itself needs to reach the reader role in other accounts. */
export const SCANNER_ASSUME_ROLE_ACTION = 'sts:AssumeRole';
