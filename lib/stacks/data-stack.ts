/**
 * Stateful resources, kept apart from the compute so the scanner stack can be replaced freely:
 * the findings table (shaped by the store's own createTableInput), the Slack webhook secret and the
 * customer-managed key that encrypts both.
 */
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { createTableInput, TTL_ATTRIBUTE } from '../../lambdas/adapters/store/table-design';

export interface DataStackProps extends StackProps {
  /** Physical table name: fixed, so the scanner's IAM statements name it without cross-stack tokens. */
  readonly tableName: string;
}

export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly slackWebhookSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    // A customer-managed key rather than the AWS-owned one: the findings map which production
    // servers are exposed and how, so decrypts show in CloudTrail and the key policy is ours.
    this.key = new kms.Key(this, 'DataKey', {
      description: 'redis-compliance: findings table and Slack webhook secret',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = createFindingsTable(this, props.tableName, this.key);

    this.slackWebhookSecret = new secretsmanager.Secret(this, 'SlackWebhookSecret', {
      description: 'redis-compliance: Slack incoming webhook URL (put the URL as the secret string after deploy)',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.slackWebhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Slack incoming-webhook URL cannot be rotated by a Lambda: Slack issues it in its UI. Rotate it there and put the new URL in the secret (docs/deploy.md).',
    });
  }
}

/** The table exactly as lambdas/adapters/store/table-design.ts creates it, plus the production settings. */
function createFindingsTable(scope: Construct, tableName: string, key: kms.IKey): dynamodb.Table {
  const design = createTableInput(tableName);
  const attributeType = (name: string): dynamodb.AttributeType => {
    const definition = design.AttributeDefinitions?.find((a) => a.AttributeName === name);
    if (definition?.AttributeType === 'S') return dynamodb.AttributeType.STRING;
    if (definition?.AttributeType === 'N') return dynamodb.AttributeType.NUMBER;
    if (definition?.AttributeType === 'B') return dynamodb.AttributeType.BINARY;
    throw new Error(`table design: no attribute definition for key ${name}`);
  };
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: 'HASH' | 'RANGE') => {
    const name = schema?.find((k) => k.KeyType === type)?.AttributeName;
    return name === undefined ? undefined : { name, type: attributeType(name) };
  };
  const partitionKey = keyOf(design.KeySchema, 'HASH');
  if (!partitionKey) throw new Error('table design: no partition key');
  const sortKey = keyOf(design.KeySchema, 'RANGE');

  const table = new dynamodb.Table(scope, 'FindingsTable', {
    tableName: design.TableName,
    partitionKey,
    ...(sortKey ? { sortKey } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    timeToLiveAttribute: TTL_ATTRIBUTE,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of design.GlobalSecondaryIndexes ?? []) {
    const indexPartition = keyOf(index.KeySchema, 'HASH');
    if (!index.IndexName || !indexPartition) throw new Error('table design: an index without name or partition key');
    const indexSort = keyOf(index.KeySchema, 'RANGE');
    const projection = index.Projection?.ProjectionType;
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName,
      partitionKey: indexPartition,
      ...(indexSort ? { sortKey: indexSort } : {}),
      projectionType: projection === 'KEYS_ONLY' ? dynamodb.ProjectionType.KEYS_ONLY
        : projection === 'INCLUDE' ? dynamodb.ProjectionType.INCLUDE : dynamodb.ProjectionType.ALL,
      ...(projection === 'INCLUDE' ? { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] } : {}),
    });
  }
  return table;
}
