/** A uniquely named table on the dynalite server jest's global setup started (127.0.0.1). */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createTableInput } from '../../lambdas/adapters/store/table-design';

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

export async function createTestTable(prefix: string): Promise<TestTable> {
  const endpoint = process.env.DYNALITE_ENDPOINT;
  if (!endpoint) throw new Error('DYNALITE_ENDPOINT is not set: run through jest (its global setup starts dynalite)');
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const tableName = `${prefix}-${randomUUID()}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  // dynalite answers CreateTable while the table is still CREATING and flips it to ACTIVE on a timer;
  // on a loaded machine the first write can come first and get ResourceNotFoundException.
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) break;
    if (attempt >= 200) throw new Error(`dynalite table ${tableName} is not ACTIVE after ${attempt} checks`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    tableName,
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}
