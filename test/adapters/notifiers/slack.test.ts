/** The Slack notifier against a real HTTP server on 127.0.0.1 standing in for the incoming webhook. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecretProvider } from '../../../lambdas/adapters/notifiers/secrets-manager-secret-provider';
import { StaticSecretProvider } from '../../../lambdas/adapters/notifiers/secret-provider';
import { retryAfterMs, SlackDeliveryError, SlackNotifier } from '../../../lambdas/adapters/notifiers/slack-notifier';
import { parseWebhookUrl, redactWebhookUrl } from '../../../lambdas/adapters/notifiers/slack-webhook-url';
import type { SlackMessage } from '../../../lambdas/core/report/render-slack';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { startRecordingServer, type RecordingServer, type ScriptedResponse } from '../../support/recording-server';
import { HOSTILE_VALUES, hostileInput, sampleInput } from '../../support/report-fixtures';

const SECRET_ID = 'redis-compliance/slack-webhook';
const WEBHOOK_PATH = '/services/T0000TEST/B0000TEST/s3cr3tT0kenXYZ';

describe('SlackNotifier', () => {
  let server: RecordingServer;
  let webhookUrl: string;
  const sleeps: number[] = [];

  beforeAll(async () => {
    server = await startRecordingServer();
    webhookUrl = `${server.baseUrl}${WEBHOOK_PATH}`;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.script.length = 0;
    sleeps.length = 0;
  });

  function notifier(overrides: Partial<ConstructorParameters<typeof SlackNotifier>[0]> = {}): SlackNotifier {
    return new SlackNotifier({
      secrets: new StaticSecretProvider({ [SECRET_ID]: webhookUrl }),
      webhookSecretId: SECRET_ID,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    });
  }

  it('posts the Block Kit message as JSON to the webhook', async () => {
    const model = buildReportModel(sampleInput());
    const delivery = await notifier().notify(model);

    expect(delivery).toEqual({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(WEBHOOK_PATH);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    const received = JSON.parse(request!.body) as SlackMessage;
    expect(received.text).toContain('3 failing');
    expect(received.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Redis compliance report: COMPLETE, 3 failing, 1 unknown', emoji: false } });
    expect(received.blocks.some((b) => b.type === 'actions')).toBe(true);
    expect(received.unfurl_links).toBe(false);
  });

  it('delivers hostile tag values escaped', async () => {
    await notifier().notify(buildReportModel(hostileInput(HOSTILE_VALUES.channel)));
    const body = server.requests[0]!.body;
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('&lt;!channel&gt;');
  });

  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    server.script.push({ status: 429, headers: { 'retry-after': '2' }, body: 'rate_limited' }, { status: 200, body: 'ok' });
    const delivery = await notifier().notify(buildReportModel(sampleInput()));

    expect(delivery).toEqual({ attempts: 2 });
    expect(sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });

  it('gives up after the allowed attempts when Slack keeps answering 429', async () => {
    server.script.push(...Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '1' } })));
    await expect(notifier({ maxAttempts: 3 }).notify(buildReportModel(sampleInput()))).rejects.toThrow('still rate-limited (HTTP 429) after 3 attempt(s)');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('does not wait longer than allowed for a Retry-After', async () => {
    server.script.push({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(notifier({ maxRetryAfterMs: 30_000 }).notify(buildReportModel(sampleInput()))).rejects.toThrow('asked to wait 3600 s, more than the 30 s allowed');
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 500 into a clear error that does not contain the webhook URL', async () => {
    server.script.push({ status: 500, body: `internal error while posting to ${webhookUrl} (token s3cr3tT0kenXYZ)` });
    const error = await notifier()
      .notify(buildReportModel(sampleInput()))
      .then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(SlackDeliveryError);
    const delivery = error as SlackDeliveryError;
    expect(delivery.status).toBe(500);
    expect(delivery.message).toMatch(/^Slack webhook answered HTTP 500: internal error while posting to \[redacted\]/);
    for (const text of [delivery.message, String(delivery.stack), JSON.stringify(delivery)]) {
      expect(text).not.toContain(webhookUrl);
      expect(text).not.toContain('s3cr3tT0kenXYZ');
      expect(text).not.toContain('B0000TEST');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unreachable webhook without its URL', async () => {
    const closed = await startRecordingServer();
    const deadUrl = `${closed.baseUrl}${WEBHOOK_PATH}`;
    await closed.close();
    const error = (await notifier({ secrets: new StaticSecretProvider({ [SECRET_ID]: deadUrl }) })
      .notify(buildReportModel(sampleInput()))
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Slack webhook request failed \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\); the report was not posted\.$/);
    expect(error.message).not.toContain(WEBHOOK_PATH);
  });

  it('says why a request failed (a redirect, which fetch refuses here) without the URL', async () => {
    server.script.push({ status: 302, headers: { location: `${server.baseUrl}/elsewhere` } });
    const error = (await notifier().notify(buildReportModel(sampleInput())).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('Slack webhook request failed (unexpected redirect); the report was not posted.');
    expect(error.message).not.toContain(WEBHOOK_PATH);
  });

  it('gives up on a webhook that does not answer, with a clear error', async () => {
    server.script.push({ status: 200, hang: true });
    await expect(notifier({ timeoutMs: 100 }).notify(buildReportModel(sampleInput()))).rejects.toThrow('Slack webhook request failed (no answer within 100 ms); the report was not posted.');
  });

  it('refuses a webhook URL that is not https (loopback http aside), without echoing it', async () => {
    const leaky = 'http://hooks.example.com/services/T1/B1/leakytoken';
    await expect(notifier({ secrets: new StaticSecretProvider({ [SECRET_ID]: leaky }) }).notify(buildReportModel(sampleInput()))).rejects.toThrow(
      `Secret ${SECRET_ID} holds a webhook URL that is not https`,
    );
    await expect(notifier({ secrets: new StaticSecretProvider({ [SECRET_ID]: leaky }) }).notify(buildReportModel(sampleInput()))).rejects.not.toThrow('leakytoken');
    expect(server.requests).toHaveLength(0);
  });

  it('reads the URL from a JSON secret too', async () => {
    await notifier({ secrets: new StaticSecretProvider({ [SECRET_ID]: JSON.stringify({ webhookUrl }) }) }).notify(buildReportModel(sampleInput()));
    expect(server.requests[0]!.path).toBe(WEBHOOK_PATH);
  });
});

describe('SecretsManagerSecretProvider against a local Secrets Manager endpoint', () => {
  let endpoint: RecordingServer;
  let clock = 0;
  let failNext = false;

  beforeAll(async () => {
    endpoint = await startRecordingServer((request): ScriptedResponse => {
      if (failNext) {
        failNext = false;
        return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ResourceNotFoundException' }, body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can’t find the specified secret.' }) };
      }
      const { SecretId } = JSON.parse(request.body) as { SecretId: string };
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${SecretId}-AbCdEf`, Name: SecretId, SecretString: `https://hooks.slack.com/services/T1/B1/value-${endpoint.requests.length}`, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1717977600 }),
      };
    });
  });
  afterAll(() => endpoint.close());

  function provider(): SecretsManagerSecretProvider {
    const client = new SecretsManagerClient({ endpoint: endpoint.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
    return new SecretsManagerSecretProvider({ client, cacheTtlMs: 60_000, now: () => clock });
  }

  it('calls GetSecretValue, caches the value, and reads it again after the TTL', async () => {
    endpoint.requests.length = 0;
    const secrets = provider();
    const first = await secrets.getSecret(SECRET_ID);
    clock += 59_000;
    const cached = await secrets.getSecret(SECRET_ID);
    clock += 2_000;
    const refreshed = await secrets.getSecret(SECRET_ID);

    expect(endpoint.requests).toHaveLength(2);
    expect(endpoint.requests[0]!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(JSON.parse(endpoint.requests[0]!.body)).toEqual({ SecretId: SECRET_ID });
    expect(first).toBe('https://hooks.slack.com/services/T1/B1/value-1');
    expect(cached).toBe(first);
    expect(refreshed).toBe('https://hooks.slack.com/services/T1/B1/value-2');
  });

  it('does not cache a failure, and names the secret but no value in the error', async () => {
    endpoint.requests.length = 0;
    const secrets = provider();
    failNext = true;
    await expect(secrets.getSecret('missing')).rejects.toThrow('Could not read secret missing from Secrets Manager (ResourceNotFoundException).');
    await expect(secrets.getSecret('missing')).resolves.toContain('https://hooks.slack.com/');
    expect(endpoint.requests).toHaveLength(2);
  });
});

describe('webhook URL helpers', () => {
  it('parses plain and JSON secrets and rejects non-URLs without echoing them', () => {
    expect(parseWebhookUrl(' https://hooks.slack.com/services/T/B/x ', 'id').href).toBe('https://hooks.slack.com/services/T/B/x');
    expect(parseWebhookUrl('{"url":"https://hooks.slack.com/services/T/B/y"}', 'id').pathname).toBe('/services/T/B/y');
    expect(() => parseWebhookUrl('not a url sekrit', 'id')).toThrow(/^Secret id does not hold a Slack webhook URL/);
    expect(() => parseWebhookUrl('not a url sekrit', 'id')).not.toThrow(/sekrit/);
  });

  it('redacts the URL, its path and its token segments', () => {
    const url = new URL('https://hooks.slack.com/services/T0001/B0002/abcdefSECRET');
    expect(redactWebhookUrl(`posting to ${url.href} failed; token abcdefSECRET; path /services/T0001/B0002/abcdefSECRET`, url)).toBe(
      'posting to [redacted] failed; token [redacted]; path [redacted]',
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('5', 0)).toBe(5000);
    expect(retryAfterMs(null, 0)).toBe(1000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBe(1000);
  });
});
