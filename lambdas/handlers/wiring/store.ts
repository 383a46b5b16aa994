/** The findings store from the environment: TABLE_NAME, RETENTION_DAYS (default 90). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../adapters/store/clock';
import { DEFAULT_RETENTION_DAYS, DynamoDbFindingsStore } from '../../adapters/store/dynamodb-findings-store';
import type { FindingsStore } from '../../adapters/store/findings-store';
import { DynamoDbReportDeliveries, type ReportDeliveries } from '../../adapters/store/report-deliveries';
import { positiveNumberEnv, requiredEnv } from './environment';

/** A DynamoDB document client with the SDK's default configuration (what the store and the deliveries use). */
export function documentClientFromEnv(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}));
}

/** `client`: a handler that needs both the store and the deliveries builds one client for both. */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env, client: DynamoDBDocumentClient = documentClientFromEnv()): FindingsStore {
  return new DynamoDbFindingsStore(client, {
    tableName: requiredEnv('TABLE_NAME', env),
    retentionDays: positiveNumberEnv('RETENTION_DAYS', DEFAULT_RETENTION_DAYS, env),
    clock: systemClock,
  });
}

/** The report's delivery record, in the same table (TABLE_NAME), kept as long as the scans. */
export function reportDeliveriesFromEnv(env: NodeJS.ProcessEnv = process.env, client: DynamoDBDocumentClient = documentClientFromEnv()): ReportDeliveries {
  return new DynamoDbReportDeliveries(client, requiredEnv('TABLE_NAME', env), positiveNumberEnv('RETENTION_DAYS', DEFAULT_RETENTION_DAYS, env), systemClock);
}
