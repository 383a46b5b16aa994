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
  // Entries of the managed prefix lists a Redis security group or route table names, judged like
  // CIDR rules (prefix-list-collection.ts).
  'ec2:GetManagedPrefixListEntries',
  'ssm:DescribeInstanceInformation',
  // Inventory rows (AWS:Application, Custom:RedisServer), one instance and type a call. GetInventory
  // is not needed: it returns only AWS:InstanceInformation and AWS:PatchSummary (docs/collectors.md).
  'ssm:ListInventoryEntries',
  // NetworkIn / NetworkOut of the Redis servers (capacity.bandwidth), 500 queries a call. It has no
  // resource-level permissions: CloudWatch permissions reference, resource "*".
  'cloudwatch:GetMetricData',
  // Amazon Inspector's open findings on the Redis packages and its coverage of the Redis servers
  // (redis.known-vulnerabilities): both List-level reads (inspector-collector.ts).
  'inspector2:ListFindings',
  'inspector2:ListCoverage',
]);

/** What the scanner itself needs to reach the reader role in other accounts. */
export const SCANNER_ASSUME_ROLE_ACTION = 'sts:AssumeRole';
