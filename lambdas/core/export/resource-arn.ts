/**
 * ARNs of the resources a finding is about, as Security Hub and OCSF consumers expect them. Pure.
 *
 * EC2 ARN formats (Service Authorization Reference, "Resource types defined by Amazon EC2"):
 * `arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}`, `.../subnet/${SubnetId}`,
 * `.../security-group/${SecurityGroupId}`. A Redis cluster is this product's own grouping and has
 * no AWS ARN: it is named by its cluster key.
 */
import type { Finding, ResourceType } from '../model';

/** The partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const EC2_RESOURCE: Partial<Record<ResourceType, string>> = {
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::SecurityGroup': 'security-group',
};

/** The resource's ARN, or undefined for resources without one (Redis clusters). */
export function resourceArn(finding: Pick<Finding, 'resourceType' | 'resourceId' | 'accountId' | 'region'>): string | undefined {
  const kind = EC2_RESOURCE[finding.resourceType];
  if (!kind) return undefined;
  return `arn:${partitionOf(finding.region)}:ec2:${finding.region}:${finding.accountId}:${kind}/${finding.resourceId}`;
}
