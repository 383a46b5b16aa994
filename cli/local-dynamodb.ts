/**
 * An embedded DynamoDB for local runs: dynalite in this process on 127.0.0.1 (random port). In
 * memory, or kept in a LevelDB folder (dynalite's `path` option) so that the next run finds the
 * previous scans: the report's trend and "changes since the previous scan" then work locally.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTableInput } from '../lambdas/adapters/store/table-design';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;

export interface LocalDynamoDb {
  endpoint: string;
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** A folder that keeps the table between runs (created when missing); in memory without it. */
  path?: string;
}

/** Another process holds the kept table (LevelDB allows one process at a time). */
export class LocalDbInUseError extends Error {
  override name = 'LocalDbInUseError';
}

export async function startLocalDynamoDb(tableName = 'redis-compliance-local', options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  let releaseLock = () => {};
  if (options.path !== undefined) {
    mkdirSync(options.path, { recursive: true, mode: 0o700 });
    releaseLock = lockFolder(options.path);
  }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path !== undefined ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  }).catch((error: unknown) => {
    releaseLock();
    throw error;
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // dynalite accepts any credentials; these never leave the machine.
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const stop = async () => {
    client.destroy();
    // Closing dynalite's server also closes its LevelDB store, which writes it out.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    releaseLock();
  };
  try {
    if ((await tableStatus(client, tableName)) === undefined) await client.send(new CreateTableCommand(createTableInput(tableName)));
    // dynalite makes a new table ACTIVE after a timer (createTableMs), even at 0: wait for it.
    while ((await tableStatus(client, tableName)) !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 10));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, tableName, documentClient: DynamoDBDocumentClient.from(client), stop };
}

/**
 * Takes `<folder>.lock` (created exclusively, holding this process's id) so that a second run-local
 * on the same folder stops with a clear message instead of failing inside LevelDB. A lock left by a
 * process that no longer runs is taken over. Answers the release.
 */
function lockFolder(folder: string): () => void {
  const lock = `${folder}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && processRuns(holder)) throw new LocalDbInUseError(`${folder} is in use by another run (process ${holder}); wait for it, or use another --local-db`);
      rmSync(lock, { force: true });
    }
  }
  throw new LocalDbInUseError(`${folder}: could not take ${lock}`);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The table's status, undefined when there is no such table. */
async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
