/**
 * A fake AWS for tests, reached through the SDK's own transport hook (`requestHandler`): requests
 * arrive in the real wire formats (EC2 query, SSM JSON 1.1, STS query), are answered by FakeRegion
 * and encoded back the way AWS encodes them, so the SDK's serializers, retry strategy and
 * middleware (the API-call counter) all run for real. No socket is opened.
 */
import { Readable } from 'node:stream';
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as ssmSdk from '@aws-sdk/client-ssm';
import * as cloudWatchSdk from '@aws-sdk/client-cloudwatch';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import type { StaticOperationSchema } from '@smithy/types';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { ApiLoad, THROTTLING_ERRORS } from './api-load';
import { getMetricData, type GetMetricDataInput } from './fake-cloudwatch';
import { listCoverage, listFindings } from './fake-inspector';
import { FakeAwsError, FakeRegion } from './fake-region';
import { ec2XmlError, ec2XmlResponse, jsonResponse, outputSchemaOf } from './wire-encoding';

export interface FakeCall {
  service: 'ec2' | 'ssm' | 'sts' | 'cloudwatch' | 'inspector2';
  operation: string;
  accountId: string;
  region: string;
  /** 1 for the first attempt, 2 for the first retry, ... (from the SDK's amz-sdk-request header). */
  attempt: number;
  input: Record<string, any>;
  host: string;
}

/** What a fault rule returns: an AWS error, or a raw HTTP reply such as a proxy's HTML 502 page. */
export type Fault = FakeAwsError | { status: number; contentType: string; body: string };
export type FaultRule = (call: FakeCall) => Fault | undefined;

const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const ACCESS_KEY = /^A[SK]IAFAKE(\d{12})$/;

/** Access key id the fake maps back to an account (the default-chain identity in tests). */
export function fakeAccessKeyId(accountId: string, temporary = false): string {
  return `${temporary ? 'ASIA' : 'AKIA'}FAKE${accountId}`;
}

export class FakeAws {
  readonly calls: FakeCall[] = [];
  readonly faults: FaultRule[] = [];
  private readonly regions = new Map<string, FakeRegion>();
  /** Accounts whose reader role cannot be assumed (AccessDenied). */
  readonly denyAssumeRole = new Set<string>();
  requiredExternalId: string | undefined;
  /** Latency and per account x region x API token buckets (api-load.ts); none by default. */
  load: ApiLoad | undefined;

  /** Adds an estate (an EstateBuilder target, in SDK output shapes) as one account x region. */
  add(estate: SnapshotTarget): this {
    this.regions.set(`${estate.accountId}/${estate.region}`, new FakeRegion(estate));
    return this;
  }

  /** The SDK `requestHandler` that sends requests here. */
  readonly requestHandler = {
    handle: (request: HttpRequest) => this.handle(request),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };

  /** Requests received, by `service:Operation` (retries included), optionally for one target. */
  counts(filter: { accountId?: string; region?: string } = {}): Record<string, number> {
    const out: Record<string, number> = {};
    for (const call of this.calls) {
      if (filter.accountId && call.accountId !== filter.accountId) continue;
      if (filter.region && call.region !== filter.region) continue;
      const key = `${call.service}:${call.operation}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  private async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const body = await bodyText(request.body);
    const auth = String(request.headers['authorization'] ?? request.headers['Authorization'] ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    const accessKey = scope?.[1] ?? '';
    const region = scope?.[2] ?? 'unknown';
    const accountId = ACCESS_KEY.exec(accessKey)?.[1] ?? 'unknown';
    const attempt = Number(/attempt=(\d+)/.exec(String(request.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    const target = String(request.headers['x-amz-target'] ?? '');
    let call: FakeCall;
    if (target.startsWith('AmazonSSM.')) {
      call = { service: 'ssm', operation: target.slice('AmazonSSM.'.length), accountId, region, attempt, input: JSON.parse(body || '{}'), host: request.hostname };
    } else if (target.startsWith(CLOUDWATCH_TARGET_PREFIX)) {
      // CloudWatch speaks AWS JSON 1.0 (the SDK's protocol settings: serviceTarget GraniteServiceVersion20100801).
      call = { service: 'cloudwatch', operation: target.slice(CLOUDWATCH_TARGET_PREFIX.length), accountId, region, attempt, input: JSON.parse(body || '{}'), host: request.hostname };
    } else if (scope?.[3] === 'inspector2') {
      // Inspector2 speaks rest-json: the operation is in the path (POST /findings/list, /coverage/list).
      const operation = request.path === '/findings/list' ? 'ListFindings' : request.path === '/coverage/list' ? 'ListCoverage' : `Unknown ${request.path}`;
      call = { service: 'inspector2', operation, accountId, region, attempt, input: JSON.parse(body || '{}'), host: request.hostname };
    } else {
      const params = new URLSearchParams(body);
      const service = scope?.[3] === 'sts' ? 'sts' : 'ec2';
      call = { service, operation: params.get('Action') ?? 'Unknown', accountId, region, attempt, input: queryInput(params), host: request.hostname };
    }
    this.calls.push(call);
    if (this.load) {
      const admitted = this.load.admit(call);
      if (this.load.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.load!.latencyMs));
      if (!admitted) {
        const { code, message, status } = THROTTLING_ERRORS[call.service];
        return { response: errorResponse(call.service, new FakeAwsError(code, message, status)) };
      }
    }
    for (const rule of this.faults) {
      const fault = rule(call);
      if (fault) return { response: fault instanceof FakeAwsError ? errorResponse(call.service, fault) : reply(fault.status, fault.contentType, fault.body) };
    }
    try {
      return { response: this.answer(call) };
    } catch (error) {
      if (error instanceof FakeAwsError) return { response: errorResponse(call.service, error) };
      throw error;
    }
  }

  private answer(call: FakeCall): HttpResponse {
    if (call.service === 'sts') return this.sts(call);
    const fake = this.regions.get(`${call.accountId}/${call.region}`);
    if (!fake) throw new FakeAwsError(call.service === 'ec2' ? 'AuthFailure' : 'UnrecognizedClientException', `no fake estate for ${call.accountId}/${call.region}`, 401);
    if (call.service === 'inspector2') {
      if (call.operation === 'ListFindings') return reply(200, 'application/json', JSON.stringify(listFindings(fake.estate, call.input)));
      if (call.operation === 'ListCoverage') return reply(200, 'application/json', JSON.stringify(listCoverage(fake.estate, call.input)));
      throw new FakeAwsError('ResourceNotFoundException', `no such inspector2 operation: ${call.operation}`, 404);
    }
    if (call.service === 'cloudwatch') {
      if (call.operation !== 'GetMetricData') throw new FakeAwsError('InvalidAction', `The action ${call.operation} is not valid for this fake`);
      const output = getMetricData(fake.estate, call.input as GetMetricDataInput);
      return reply(200, 'application/x-amz-json-1.0', jsonResponse(outputSchemaOf((cloudWatchSdk as unknown as Record<string, StaticOperationSchema>)['GetMetricData$']!), output));
    }
    const method = call.operation.charAt(0).toLowerCase() + call.operation.slice(1);
    const handler = (fake as unknown as Record<string, (input: object) => object>)[method];
    if (typeof handler !== 'function') throw new FakeAwsError('InvalidAction', `The action ${call.operation} is not valid for this fake`);
    const output = handler.call(fake, call.input);
    if (call.service === 'ec2') {
      const schema = (ec2Sdk as unknown as Record<string, StaticOperationSchema>)[`${call.operation}$`]!;
      return reply(200, 'text/xml;charset=UTF-8', ec2XmlResponse(call.operation, outputSchemaOf(schema), output));
    }
    const schema = (ssmSdk as unknown as Record<string, StaticOperationSchema>)[`${call.operation}$`]!;
    return reply(200, 'application/x-amz-json-1.1', jsonResponse(outputSchemaOf(schema), output));
  }

  private sts(call: FakeCall): HttpResponse {
    if (call.operation === 'GetCallerIdentity') {
      return reply(200, 'text/xml', `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${call.accountId}:user/scanner</Arn><UserId>AIDAFAKE</UserId><Account>${call.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    if (call.operation !== 'AssumeRole') throw new FakeAwsError('InvalidAction', `unsupported STS action ${call.operation}`);
    const arn = String(call.input.RoleArn ?? '');
    const target = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
    if (!target) throw new FakeAwsError('ValidationError', `invalid role ARN ${arn}`);
    const deny = this.denyAssumeRole.has(target[1]!) || (this.requiredExternalId !== undefined && call.input.ExternalId !== this.requiredExternalId);
    if (deny) throw new FakeAwsError('AccessDenied', `User: arn:aws:iam::${call.accountId}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
    const key = fakeAccessKeyId(target[1]!, true);
    return reply(200, 'text/xml', `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${arn}/redis-compliance-scan</Arn><AssumedRoleId>AROAFAKE:redis-compliance-scan</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`);
  }
}

function reply(statusCode: number, contentType: string, text: string): HttpResponse {
  return new HttpResponse({ statusCode, headers: { 'content-type': contentType, 'x-amzn-requestid': 'fake-request' }, body: Readable.from([Buffer.from(text)]) });
}

function errorResponse(service: FakeCall['service'], error: FakeAwsError): HttpResponse {
  if (service === 'inspector2') {
    return new HttpResponse({ statusCode: error.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazonaws.inspector2/`, 'x-amzn-requestid': 'fake-request' }, body: Readable.from([Buffer.from(JSON.stringify({ message: error.message }))]) });
  }
  if (service === 'ssm') return reply(error.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: error.code, message: error.message }));
  if (service === 'cloudwatch') return reply(error.status, 'application/x-amz-json-1.0', JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message }));
  if (service === 'sts') return reply(error.status, 'text/xml', `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
  return reply(error.status, 'text/xml', ec2XmlError(error.code, error.message));
}

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(Uint8Array.prototype.slice.call(body));
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** EC2/STS query parameters -> SDK input: Filter.N.Name / Filter.N.Value.M, InstanceType.N, scalars. */
function queryInput(params: URLSearchParams): Record<string, any> {
  const input: Record<string, any> = {};
  const filters: Array<{ Name?: string; Values: string[] }> = [];
  const instanceTypes: string[] = [];
  for (const [key, value] of params) {
    let m: RegExpExecArray | null;
    if ((m = /^Filter\.(\d+)\.Name$/.exec(key))) (filters[Number(m[1]) - 1] ??= { Values: [] }).Name = value;
    else if ((m = /^Filter\.(\d+)\.Value\.(\d+)$/.exec(key))) (filters[Number(m[1]) - 1] ??= { Values: [] }).Values[Number(m[2]) - 1] = value;
    else if ((m = /^InstanceType\.(\d+)$/.exec(key))) instanceTypes[Number(m[1]) - 1] = value;
    else if (key === 'MaxResults') input.MaxResults = Number(value);
    else if (key !== 'Action' && key !== 'Version') input[key] = value;
  }
  if (filters.length) input.Filters = filters;
  if (instanceTypes.length) input.InstanceTypes = instanceTypes;
  return input;
}
