/**
 * Amazon Inspector (inspector2) for the Redis servers of one target: their open findings on the
 * Redis packages and their coverage, into the snapshot's `inspector` section.
 *
 * @aws-sdk/client-inspector2 is not a dependency, so the two read-only calls are made here with
 * the SDK's own SigV4 signer (@smithy/signature-v4, service `inspector2`) and HTTP handler
 * (@smithy/node-http-handler), in the protocol the service model gives (aws-sdk-js-v3
 * codegen/sdk-codegen/aws-models/inspector2.json, as generated into aws-beam/aws-elixir
 * lib/aws/generated/inspector2.ex: protocol rest-json, signing name and endpoint prefix `inspector2`,
 * API version 2020-06-08):
 *  - ListFindings: `POST /findings/list`, body `{ filterCriteria, maxResults, nextToken }`, answer
 *    `{ findings, nextToken }`; FilterCriteria lists of StringFilter `{ comparison, value }`
 *    (`resourceId`, `resourceType`, `findingStatus`) and `vulnerablePackages`, a list of
 *    PackageFilter `{ name: StringFilter, ... }`;
 *  - ListCoverage: `POST /coverage/list`, body `{ filterCriteria, maxResults, nextToken }`, answer
 *    `{ coveredResources, nextToken }`; CoverageFilterCriteria lists of CoverageStringFilter
 *    (`resourceId`, `resourceType`); a CoveredResource has `resourceId`, `resourceType`,
 *    `scanType`, `scanStatus { statusCode, reason }`, `lastScannedAt`.
 * Timestamps (rest-json: epoch seconds) are stored as ISO strings, as elsewhere in the snapshot.
 * Errors: the `x-amzn-errortype` header or the body's `__type` / `code`; ThrottlingException, HTTP
 * 429 and 5xx are retried with backoff; every attempt is counted in `apiCalls`
 * (`inspector2:ListFindings`, `inspector2:ListCoverage`). A call that still fails is one error per
 * operation in the target's `errors` and stops that operation (AccessDeniedException: the reader
 * policy lacks the action, or Inspector is not enabled); redis.known-vulnerabilities then says UNKNOWN.
 * Instance ids go 10 to a call (a small filter list; the model's list-length limit was not relied on),
 * 100 results a page.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CollectionError, InspectorSection } from '../../core/snapshot/schema';
import type { ApiCallCounter } from './api-call-counter';
import { chunk } from './chunk';
import { DEFAULT_MAX_ATTEMPTS, type ClientOptions } from './client-options';
import { toCollectionError } from './collection-error';

/** Redis package names Inspector reports for Debian / Ubuntu (source `redis`) and RPM distributions. */
export const INSPECTOR_REDIS_PACKAGES = ['redis', 'redis-server', 'redis-sentinel', 'redis-tools', 'redis6', 'redis7'] as const;
export const LIST_FINDINGS = 'ListFindings';
export const LIST_COVERAGE = 'ListCoverage';
export const INSPECTOR_IDS_PER_CALL = 10;
export const INSPECTOR_PAGE_SIZE = 100;

type Operation = typeof LIST_FINDINGS | typeof LIST_COVERAGE;
const PATHS: Record<Operation, string> = { ListFindings: '/findings/list', ListCoverage: '/coverage/list' };

/** An error answer of inspector2, shaped like an SDK service exception (name, $metadata). */
export class InspectorServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

export interface InspectorClientOptions extends ClientOptions {
  /**
   * Milliseconds to wait before retry `attempt` (1 = the first retry); default exponential with
   * jitter up to 5 s, or none when `retryStrategy` is replaced (the tests' zero-delay strategy).
   */
  retryDelayMs?: (attempt: number) => number;
}

export class InspectorClient {
  private readonly signer: SignatureV4;
  private readonly handler: NonNullable<ClientOptions['requestHandler']>;
  private readonly endpoint: URL;
  private readonly maxAttempts: number;

  constructor(
    readonly region: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined,
    private readonly counter: ApiCallCounter,
    private readonly options: InspectorClientOptions = {},
  ) {
    this.signer = new SignatureV4({ service: 'inspector2', region, credentials: credentials ?? fromNodeProviderChain(), sha256: Sha256 });
    this.handler = options.requestHandler ?? new NodeHttpHandler();
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const override = process.env.AWS_ENDPOINT_URL_INSPECTOR2 ?? process.env.AWS_ENDPOINT_URL;
    this.endpoint = new URL(override ?? `https://inspector2.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`);
  }

  /** One operation, retried while throttled or failing on the server side; throws InspectorServiceError. */
  async send(operation: Operation, input: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      this.counter.record('inspector2', operation);
      const request = new HttpRequest({
        protocol: this.endpoint.protocol,
        hostname: this.endpoint.hostname,
        ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
        method: 'POST',
        path: `${this.endpoint.pathname.replace(/\/+$/, '')}${PATHS[operation]}`,
        headers: { 'content-type': 'application/json', host: this.endpoint.host, 'amz-sdk-request': `attempt=${attempt}; max=${this.maxAttempts}` },
        body,
      });
      const signed = await this.signer.sign(request);
      let status: number;
      let text: string;
      let errorType: string | undefined;
      try {
        const { response } = await this.handler.handle(signed as HttpRequest);
        status = response.statusCode;
        text = await readBody(response.body);
        const header = response.headers['x-amzn-errortype'] ?? response.headers['X-Amzn-ErrorType'];
        errorType = header === undefined ? undefined : String(header);
      } catch (error) {
        if (attempt >= this.maxAttempts) throw error;
        await this.pause(attempt);
        continue;
      }
      if (status >= 200 && status < 300) return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      const error = parseError(status, text, errorType);
      const retryable = status === 429 || status >= 500 || THROTTLING_CODES.has(error.name);
      if (!retryable || attempt >= this.maxAttempts) throw error;
      await this.pause(attempt);
    }
  }

  private pause(attempt: number): Promise<void> {
    const ms = this.options.retryDelayMs ? this.options.retryDelayMs(attempt) : this.options.retryStrategy ? 0 : Math.min(5000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  destroy(): void {
    (this.handler as { destroy?: () => void }).destroy?.();
  }
}

function parseError(status: number, text: string, errorType: string | undefined): InspectorServiceError {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page)
  }
  const raw = errorType ?? (typeof body['__type'] === 'string' ? body['__type'] : undefined) ?? (typeof body['code'] === 'string' ? body['code'] : undefined) ?? `HTTP${status}`;
  const code = raw.split(':')[0]!.split('#').pop()!;
  const message = typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : text.slice(0, 300) || code;
  return new InspectorServiceError(code, message, status);
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  const chunks: Buffer[] = [];
  for await (const part of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(part));
  return Buffer.concat(chunks).toString('utf8');
}

/** Throttling codes retried whatever the status (inspector2 answers ThrottlingException, HTTP 429). */
const THROTTLING_CODES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

const equals = (value: string) => ({ comparison: 'EQUALS', value });

/** Reads the findings and coverage of these Redis servers; undefined when there is none to read. */
export async function collectInspector(client: InspectorClient, redisInstanceIds: readonly string[], errors: CollectionError[]): Promise<InspectorSection | undefined> {
  if (redisInstanceIds.length === 0) return undefined;
  const section: InspectorSection = { instanceIds: [...redisInstanceIds], packageNames: [...INSPECTOR_REDIS_PACKAGES], findings: [], coveredResources: [] };
  let coverageFailed = false;
  let findingsFailed = false;
  for (const ids of chunk(redisInstanceIds, INSPECTOR_IDS_PER_CALL)) {
    if (!coverageFailed) {
      const filterCriteria = { resourceId: ids.map(equals), resourceType: [equals('AWS_EC2_INSTANCE')] };
      try {
        for await (const page of pages(client, LIST_COVERAGE, { filterCriteria, maxResults: INSPECTOR_PAGE_SIZE })) section.coveredResources.push(...(listOf(page['coveredResources']) as InspectorSection['coveredResources']));
      } catch (error) {
        errors.push(toCollectionError('inspector2', LIST_COVERAGE, error));
        coverageFailed = true;
      }
    }
    if (!findingsFailed) {
      const filterCriteria = {
        resourceId: ids.map(equals),
        resourceType: [equals('AWS_EC2_INSTANCE')],
        findingStatus: [equals('ACTIVE')],
        vulnerablePackages: INSPECTOR_REDIS_PACKAGES.map((name) => ({ name: equals(name) })),
      };
      try {
        for await (const page of pages(client, LIST_FINDINGS, { filterCriteria, maxResults: INSPECTOR_PAGE_SIZE })) section.findings.push(...(listOf(page['findings']) as InspectorSection['findings']));
      } catch (error) {
        errors.push(toCollectionError('inspector2', LIST_FINDINGS, error));
        findingsFailed = true;
      }
    }
  }
  return section;
}

async function* pages(client: InspectorClient, operation: Operation, input: Record<string, unknown>): AsyncGenerator<Record<string, unknown>> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(operation, nextToken === undefined ? input : { ...input, nextToken });
    yield page;
    nextToken = typeof page['nextToken'] === 'string' && page['nextToken'] !== '' ? page['nextToken'] : undefined;
  } while (nextToken !== undefined);
}

/** The items of a list answer, with epoch-second timestamps (`...At` members) as ISO strings. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value.map((item) => isoTimestamps(item)) : [];
}

function isoTimestamps(value: unknown, key?: string): unknown {
  if (typeof value === 'number' && key !== undefined && /At$/.test(key)) return new Date(value * 1000).toISOString();
  if (Array.isArray(value)) return value.map((v) => isoTimestamps(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoTimestamps(v, k)]));
  return value;
}

/** Reads the Inspector section for one target with its own client (failures recorded in `errors`). */
export async function captureInspector(region: string, credentials: AwsCredentialIdentity | undefined, counter: ApiCallCounter, options: InspectorClientOptions, redisInstanceIds: readonly string[], errors: CollectionError[]): Promise<InspectorSection | undefined> {
  if (redisInstanceIds.length === 0) return undefined;
  const client = new InspectorClient(region, credentials, counter, options);
  try {
    return await collectInspector(client, redisInstanceIds, errors);
  } finally {
    client.destroy();
  }
}
