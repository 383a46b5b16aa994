/**
 * Posts the report to a Slack incoming webhook. The URL comes from a SecretProvider on every send
 * (the provider caches) and never appears in a log line or an error message.
 */
import { networkErrorCause } from '../network-error';
import { plainText, truncate } from '../../core/report/escaping';
import { renderSlackMessage, type SlackMessage } from '../../core/report/render-slack';
import type { ReportSummaryModel } from '../../core/report/report-model';
import type { SecretProvider } from './secret-provider';
import { parseWebhookUrl, redactWebhookUrl } from './slack-webhook-url';

export interface SlackNotifierOptions {
  secrets: SecretProvider;
  /** The id (name or ARN) of the secret holding the webhook URL. */
  webhookSecretId: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Attempts in all when Slack answers 429 (default 4). */
  maxAttempts?: number;
  /** The longest Retry-After we wait; a longer one fails at once (default 30 s). */
  maxRetryAfterMs?: number;
  /** Injectable for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface SlackDelivery {
  attempts: number;
}

/** A failed delivery. Its message is safe to log: it never holds the webhook URL. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_RETRY_AFTER_MS = 1000;

export class SlackNotifier {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: SlackNotifierOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetch = options.fetch ?? fetch;
  }

  notify(model: ReportSummaryModel): Promise<SlackDelivery> {
    return this.send(renderSlackMessage(model));
  }

  async send(message: SlackMessage): Promise<SlackDelivery> {
    const url = parseWebhookUrl(await this.options.secrets.getSecret(this.options.webhookSecretId), this.options.webhookSecretId);
    const body = JSON.stringify(message);
    for (let attempt = 1; ; attempt++) {
      const response = await this.post(url, body);
      if (response.ok) {
        await response.body?.cancel();
        return { attempts: attempt };
      }
      const excerpt = await this.excerpt(response, url);
      if (response.status !== 429) {
        throw new SlackDeliveryError(`Slack webhook answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, response.status);
      }
      const waitMs = retryAfterMs(response.headers.get('retry-after'), Date.now());
      if (attempt >= this.maxAttempts) {
        throw new SlackDeliveryError(`Slack webhook still rate-limited (HTTP 429) after ${attempt} attempt(s); the report was not posted.`, 429);
      }
      if (waitMs > this.maxRetryAfterMs) {
        throw new SlackDeliveryError(`Slack webhook rate-limited (HTTP 429) and asked to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(this.maxRetryAfterMs / 1000)} s allowed; the report was not posted.`, 429);
      }
      await this.sleep(waitMs);
    }
  }

  private async post(url: URL, body: string): Promise<Response> {
    try {
      return await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SlackDeliveryError(`Slack webhook request failed (${redactWebhookUrl(failureReason(error, this.timeoutMs), url)}); the report was not posted.`);
    }
  }

  /** The start of Slack's answer (e.g. `invalid_payload`), one line, redacted. */
  private async excerpt(response: Response, url: URL): Promise<string> {
    try {
      return redactWebhookUrl(truncate(plainText(await response.text()), 200), url).trim();
    } catch {
      return '';
    }
  }
}

/** Retry-After as delta-seconds or an HTTP date; a missing or unreadable value means one second. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : DEFAULT_RETRY_AFTER_MS;
}

/** Why a request failed: its cause (code and message, which the caller redacts), else the error's name. */
function failureReason(error: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors may come from another realm, where instanceof Error is false.
  const { name } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = networkErrorCause(error);
  if (cause !== undefined) return cause;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'unknown error';
}
