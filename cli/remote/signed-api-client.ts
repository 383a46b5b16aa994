/**
 * Calls the deployed scanner's REST API (API Gateway, AWS_IAM authorisation) with requests signed
 * by the SDK's SigV4 signer (@smithy/signature-v4 with @aws-crypto/sha256-js), credentials from the
 * SDK's default Node.js provider chain (environment, shared config / SSO profile, container and
 * instance roles), service name `execute-api`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';
import { UsageError } from '../usage-error';

export const EXECUTE_API_SERVICE = 'execute-api';

export interface ApiResponse {
  status: number;
  contentType: string;
  body: string;
}

/** The API answered with an error status; `status` and the API's JSON error (when any) kept. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, readonly method: string, readonly path: string, readonly body: string) {
    super(`${method} ${path} answered ${status}${explain(status)}: ${summarise(body)}`);
  }
}

function explain(status: number): string {
  if (status === 403) return ' (the request was refused: check the credentials, the region the API is in, and that they may call execute-api:Invoke on it)';
  if (status === 401) return ' (not authenticated)';
  if (status === 429) return ' (throttled)';
  return '';
}

function summarise(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: { message?: unknown } };
    const message = parsed.error?.message ?? parsed.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return body.length > 300 ? `${body.slice(0, 300)}…` : body || '(empty body)';
}

export interface SignedApiClientOptions {
  /** The API's invoke URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod */
  apiUrl: string;
  /** Region of the API; default: from the execute-api host name, else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  fetch?: typeof fetch;
  /**
   * The host is the API's custom domain name (or a local test server): sign for it although it is
   * not `<id>.execute-api.<region>.amazonaws.com[.cn]`. Without it, no request is signed for any
   * other host (a signature and session token sent elsewhere could be replayed against AWS).
   */
  customDomain?: boolean;
}

export class SignedApiClient {
  private readonly base: URL;
  private readonly signer: SignatureV4;
  private readonly fetchFn: typeof fetch;

  constructor(options: SignedApiClientOptions) {
    let base: URL;
    try {
      base = new URL(options.apiUrl);
    } catch {
      throw new UsageError(`--api is not a URL: ${JSON.stringify(options.apiUrl)}`);
    }
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
      throw new UsageError(`--api must be an https URL (http only to 127.0.0.1 / localhost): ${options.apiUrl}`);
    }
    const hostRegion = regionFromHost(base.hostname);
    if (!hostRegion && !options.customDomain) {
      throw new UsageError(`refusing to sign requests for ${base.hostname}: not an API Gateway endpoint (<id>.execute-api.<region>.amazonaws.com[.cn]); if it is the API's custom domain name, add --custom-domain`);
    }
    if (hostRegion && options.region && options.region !== hostRegion) {
      throw new UsageError(`--region ${options.region} does not match the API's host name, which is in ${hostRegion}`);
    }
    this.base = base;
    const region = options.region ?? hostRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('the API region is unknown: pass --region (or set AWS_REGION)');
    this.signer = new SignatureV4({ service: EXECUTE_API_SERVICE, region, credentials: options.credentials ?? fromNodeProviderChain(), sha256: Sha256 });
    this.fetchFn = options.fetch ?? fetch;
  }

  /** One signed request; `path` is relative to the API's stage URL. Throws ApiError on a non-2xx answer. */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, query: Record<string, string | undefined> = {}, body?: unknown, redirects = 0): Promise<ApiResponse> {
    const stagePath = this.base.pathname.replace(/\/+$/, '');
    const fullPath = `${stagePath}${path}`;
    const cleanQuery = Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const text = body === undefined ? undefined : JSON.stringify(body);
    const request: HttpRequest = {
      method,
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      ...(this.base.port ? { port: Number(this.base.port) } : {}),
      path: fullPath,
      query: cleanQuery,
      headers: {
        host: this.base.host,
        accept: 'application/json, text/*',
        ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(text !== undefined ? { body: text } : {}),
    };
    const signed = await this.signer.sign(request);
    const url = new URL(this.base.origin);
    url.pathname = fullPath;
    for (const [k, v] of Object.entries(cleanQuery)) url.searchParams.set(k, v);
    const headers = { ...signed.headers };
    delete headers.host; // fetch sets Host from the URL (the same value that was signed)
    // Redirects are followed here, not by fetch: a report too large for a Lambda answer comes as
    // 303 to a presigned S3 URL, which must be fetched without our Authorization header (S3 allows
    // one authentication mechanism per request).
    const response = await this.fetchFn(url, { method, headers, redirect: 'manual', ...(text !== undefined ? { body: text } : {}) });
    const location = response.headers.get('location');
    if (method === 'GET' && [301, 302, 303, 307, 308].includes(response.status) && location) {
      await response.text();
      return this.followRedirect(new URL(location, url), path, redirects);
    }
    const responseBody = await response.text();
    if (response.status < 200 || response.status > 299) throw new ApiError(response.status, method, path, responseBody);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: responseBody };
  }

  /** A redirect of the API to itself is signed again; one elsewhere (a presigned URL) is fetched as is. */
  private async followRedirect(target: URL, path: string, redirects: number): Promise<ApiResponse> {
    if (redirects >= 3) throw new ApiError(310, 'GET', path, 'too many redirects');
    if (target.origin === this.base.origin && !target.searchParams.has('X-Amz-Signature')) {
      const stagePath = this.base.pathname.replace(/\/+$/, '');
      const relative = target.pathname.startsWith(`${stagePath}/`) ? target.pathname.slice(stagePath.length) : target.pathname;
      return this.request('GET', relative, Object.fromEntries(target.searchParams.entries()), undefined, redirects + 1);
    }
    const response = await this.fetchFn(target, { method: 'GET', redirect: 'manual' });
    const body = await response.text();
    if (response.status < 200 || response.status > 299) throw new ApiError(response.status, 'GET', `${path} (redirected to ${target.origin}${target.pathname})`, body);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
  }

  async json<T>(method: 'GET' | 'POST', path: string, query: Record<string, string | undefined> = {}, body?: unknown): Promise<T> {
    const response = await this.request(method, path, query, body);
    try {
      return JSON.parse(response.body) as T;
    } catch {
      throw new ApiError(response.status, method, path, `not JSON: ${response.body}`);
    }
  }
}

/** `<id>.execute-api.<region>.amazonaws.com` (or .amazonaws.com.cn) -> region. */
export function regionFromHost(hostname: string): string | undefined {
  return /\.execute-api\.([a-z]{2}(-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}
