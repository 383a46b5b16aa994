/**
 * Table access as exact DynamoDB actions (the store's calls, not CDK's broad read/write sets),
 * on the findings table and — for queries — its indexes, plus the KMS actions the table's
 * customer-managed key needs for them.
 *
 * The KMS actions hold only for requests DynamoDB makes on the caller's behalf
 * (`kms:ViaService` = `dynamodb.<region>.amazonaws.com`, the condition of the key policy example
 * in https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html): a role that
 * may read the table cannot decrypt other data under the same key (the Slack secret) directly.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** What lambdas/adapters/store (and the fan-out result store) call. */
export const TABLE_ACCESS = {
  /** Reports: load scans, findings, states, waivers. */
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  /** Scan, merge, API: the whole store. */
  readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  /** Report: reads, and records which channels it delivered (lambdas/adapters/store/report-deliveries.ts). */
  readAndRecord: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
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
  grantTableKey(role, key, access === 'read' ? 'read' : 'write');
}

/** The table key's actions, only through DynamoDB in this stack's region. */
export function grantTableKey(role: iam.IRole, key: kms.IKey, access: 'read' | 'write'): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'FindingsTableKey',
    actions: access === 'read' ? KMS_READ : KMS_WRITE,
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(role).region}.amazonaws.com` } },
  }));
}
