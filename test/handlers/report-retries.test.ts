/**
 * A failed channel fails the report invocation (so Lambda retries it and the
 * error alarm fires), but the retries send only what was not delivered. Real components: the
 * delivery record in DynamoDB (dynalite), Slack's webhook and the SES v2 API as HTTP servers on
 * 127.0.0.1 answering as they do, the real Slack and e-mail notifiers.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { EmailNotifier } from '../../lambdas/adapters/notifiers/email-notifier';
import { StaticSecretProvider } from '../../lambdas/adapters/notifiers/secret-provider';
import { SlackNotifier } from '../../lambdas/adapters/notifiers/slack-notifier';
import { DynamoDbReportDeliveries, InMemoryReportDeliveries } from '../../lambdas/adapters/store/report-deliveries';
import { ConfigSchema } from '../../lambdas/core/config';
import { handler, reportDependencies, ReportDeliveryError, type ReportOutcome } from '../../lambdas/handlers/report';
import { runScan } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table';
import { compliantEstate } from '../support/estate-builder';
import { captureLogs, lambdaContext, scanCompletedEvent } from '../support/lambda-events';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';

let table: TestTable;
let slackServer: RecordingServer;
let sesServer: RecordingServer;
let logs: ReturnType<typeof captureLogs>;

beforeEach(async () => {
  logs = captureLogs();
  table = await createTestTable('report-retries');
  slackServer = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
  // SES v2 SendEmail (POST /v2/email/outbound-emails) answers a JSON body with the message id.
  sesServer = await startRecordingServer(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ MessageId: 'msg-0001' }) }));
});
afterEach(async () => {
  reportDependencies.reset();
  logs.restore();
  await slackServer.close();
  await sesServer.close();
  await table.drop();
});

async function storeWithScan(): Promise<InMemoryFindingsStore> {
  const store = new InMemoryFindingsStore();
  let t = Date.parse('2030-01-01T02:00:00Z');
  await runScan({ scanId: 'scan-1', trigger: 'scheduled' }, {
    store, snapshots: fixedSnapshotSource(compliantEstate().snapshot()), publisher: new CollectingPublisher(), clock: { now: () => new Date((t += 1000)) }, config: ConfigSchema.parse({}),
  });
  return store;
}

function notifiers() {
  const slack = new SlackNotifier({ secrets: new StaticSecretProvider({ webhook: `${slackServer.baseUrl}/services/T000/B000/XXXXXXXXXXXX` }), webhookSecretId: 'webhook', maxAttempts: 1 });
  const ses = new SESv2Client({ endpoint: sesServer.baseUrl, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const email = new EmailNotifier({ client: ses, from: 'compliance@example.com', to: ['ops@example.com'] });
  return [
    { channel: 'slack', notify: (m: Parameters<SlackNotifier['notify']>[0]) => slack.notify(m) },
    { channel: 'email', notify: (m: Parameters<EmailNotifier['notify']>[0]) => email.notify(m) },
  ];
}

test('a retry after a failed Slack post sends only Slack; the e-mail went out once', async () => {
  const store = await storeWithScan();
  const deliveries = new DynamoDbReportDeliveries(table.documentClient, table.tableName, 90, fixedClock('2030-01-01T03:00:00Z'));
  reportDependencies.set({ store, notifiers: notifiers(), deliveries, clock: fixedClock('2030-01-01T03:00:00Z'), configSuppressions: [] });
  const event = scanCompletedEvent('scan-1');

  slackServer.script.push({ status: 500, body: 'internal_error' });
  await expect(handler(event, lambdaContext('report-fn'))).rejects.toBeInstanceOf(ReportDeliveryError);
  expect(slackServer.requests).toHaveLength(1);
  expect(sesServer.requests).toHaveLength(1);
  expect(sesServer.requests[0]!.path).toBe('/v2/email/outbound-emails');
  expect([...(await deliveries.delivered('scan-1'))]).toEqual(['email']);

  // Lambda's asynchronous retry of the same event: Slack answers now.
  const retry: ReportOutcome = await handler(event, lambdaContext('report-fn'));
  expect(retry).toEqual({ scanId: 'scan-1', scanStatus: 'COMPLETE', delivered: ['slack'], alreadyDelivered: ['email'], failed: [] });
  expect(slackServer.requests).toHaveLength(2);
  expect(sesServer.requests).toHaveLength(1);

  // A duplicate event (EventBridge delivers at least once): nothing is sent again.
  const duplicate = await handler(event, lambdaContext('report-fn'));
  expect(duplicate).toMatchObject({ delivered: [], alreadyDelivered: ['slack', 'email'], failed: [] });
  expect(slackServer.requests).toHaveLength(2);
  expect(sesServer.requests).toHaveLength(1);
});

test('a failed e-mail is retried alone; the record is per scan', async () => {
  const store = await storeWithScan();
  const deliveries = new InMemoryReportDeliveries();
  reportDependencies.set({ store, notifiers: notifiers(), deliveries, clock: fixedClock('2030-01-01T03:00:00Z'), configSuppressions: [] });
  sesServer.script.push({ status: 400, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' }, body: JSON.stringify({ message: 'Email address is not verified.' }) });
  await expect(handler({ scanId: 'scan-1' }, lambdaContext())).rejects.toThrow(/not delivered to email/);
  await handler({ scanId: 'scan-1' }, lambdaContext());
  expect(slackServer.requests).toHaveLength(1);
  expect(sesServer.requests).toHaveLength(2);
  expect(await deliveries.delivered('scan-2')).toEqual(new Set());
});

test('without a delivery record every invocation sends everywhere (the behaviour the record prevents)', async () => {
  const store = await storeWithScan();
  reportDependencies.set({ store, notifiers: notifiers(), clock: fixedClock('2030-01-01T03:00:00Z'), configSuppressions: [] });
  slackServer.script.push({ status: 500, body: 'internal_error' });
  await expect(handler({ scanId: 'scan-1' }, lambdaContext())).rejects.toBeInstanceOf(ReportDeliveryError);
  await handler({ scanId: 'scan-1' }, lambdaContext());
  expect(sesServer.requests).toHaveLength(2);
});

test('the delivery items live in their own partition and expire with the scan retention', async () => {
  const deliveries = new DynamoDbReportDeliveries(table.documentClient, table.tableName, 90, fixedClock('2030-01-01T03:00:00Z'));
  await deliveries.record('scan-9', 'email');
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const item = (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { PK: 'REPORT#scan-9', SK: 'DELIVERED#email' } }))).Item;
  expect(item).toMatchObject({ channel: 'email', scanId: 'scan-9', deliveredAt: '2030-01-01T03:00:00.000Z', expiresAt: Date.parse('2030-01-01T03:00:00Z') / 1000 + 90 * 86400 });
});
