/**
 * The Slack incoming-webhook URL is a credential: anyone holding it can post to the channel. It is
 * validated here and redacted from anything that could reach a log or an error message.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The webhook URL from a secret's value: the URL itself, or JSON with `webhookUrl` (or `url`).
 * Only https is accepted, except plain http to a loopback address (local runs and tests).
 */
export function parseWebhookUrl(secretValue: string, secretId: string): URL {
  let candidate = secretValue.trim();
  if (candidate.startsWith('{')) {
    try {
      const parsed = JSON.parse(candidate) as Record<string, unknown>;
      const found = parsed.webhookUrl ?? parsed.url;
      candidate = typeof found === 'string' ? found.trim() : '';
    } catch {
      candidate = '';
    }
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new Error(`Secret ${secretId} does not hold a Slack webhook URL (expected the URL, or JSON with "webhookUrl").`);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new Error(`Secret ${secretId} holds a webhook URL that is not https; refusing to send the report over it.`);
  }
  return url;
}

/** `text` with the URL, its path and every long path segment (the tokens) replaced by `[redacted]`. */
export function redactWebhookUrl(text: string, url: URL): string {
  const secrets = [url.href, url.href.replace(/\/$/, ''), url.pathname + url.search, ...url.pathname.split('/').filter((segment) => segment.length >= 6)]
    .filter((s) => s.length > 1)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
