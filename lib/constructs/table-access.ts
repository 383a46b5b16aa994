/**
 * Table access as exact DynamoDB actions (the store's calls, not CDK's broad read/write sets),
 * on the findings table and — for queries — its indexes, plus the KMS actions the table's
 * customer-managed key needs for them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** What lambdas/adapters/store (and the fan-out result store) call. */
export const TABLE_ACCESS = {
  /** Reports: load scans, findings, states, waivers. */
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  /** Scan, merge, API: the whole store. */
  readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  /** Fan-out worker: writes its target chunks only. */
  writeOnly: ['dynamodb:BatchWriteItem'],
} as const;

const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

export function grantTableAccess(role: iam.IRole, tableArn: string, key: kms.IKey, access: keyof typeof TABLE_ACCESS): void {
  const actions = [...TABLE_ACCESS[access]];
  const queries = actions.includes('dynamodb:Query');
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'FindingsTable',
    actions,
    resources: queries ? [tableArn, `${tableArn}/index/*`] : [tableArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'FindingsTableKey',
    actions: access === 'read' ? KMS_READ : KMS_WRITE,
    resources: [key.keyArn],
  }));
}
