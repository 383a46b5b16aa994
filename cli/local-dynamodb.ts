/** An embedded DynamoDB for local runs: dynalite in this process on 127.0.0.1 (random port), in memory. */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTableInput } from '../lambdas/adapters/store/table-design';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export interface LocalDynamoDb {
  endpoint: string;
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startLocalDynamoDb(tableName = 'redis-compliance-local'): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // dynalite accepts any credentials; these never leave the machine.
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const stop = async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, tableName, documentClient: DynamoDBDocumentClient.from(client), stop };
}
