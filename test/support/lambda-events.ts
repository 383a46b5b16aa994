/** AWS event and context shapes as Lambda delivers them (API Gateway REST proxy, EventBridge). */
import type { APIGatewayProxyEvent, Context, EventBridgeEvent, ScheduledEvent } from 'aws-lambda';

export function lambdaContext(functionName = 'redis-compliance-test', awsRequestId = 'c6af9ac6-7b61-11e6-9a41-93e812345678'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2030/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 60000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function scheduledEvent(id = 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c', time = '2030-01-01T02:00:00Z'): ScheduledEvent {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '111122223333',
    time,
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:111122223333:rule/redis-compliance-nightly'],
    detail: {},
  };
}

export function scanCompletedEvent(scanId: string, status = 'COMPLETE'): EventBridgeEvent<'Scan Completed', { scanId: string; status: string }> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'Scan Completed',
    source: 'redis-compliance',
    account: '111122223333',
    time: '2030-01-01T02:01:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: { scanId, status },
  };
}

export interface ApiEventOptions {
  query?: Record<string, string | string[]>;
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  /** The body's Content-Type (default application/json when there is a body; null: none). */
  contentType?: string | null;
  /** The caller's IAM identity as API Gateway puts it in requestContext.identity (IAM-authorised routes). */
  userArn?: string;
  caller?: string;
  resource?: string;
  requestId?: string;
}

/** A REST API (v1) proxy event, as API Gateway sends it for `{proxy+}` or a resource path. */
export function apiEvent(httpMethod: string, path: string, options: ApiEventOptions = {}): APIGatewayProxyEvent {
  const multi: Record<string, string[]> = {};
  const single: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    multi[name] = values;
    single[name] = values[values.length - 1]!;
  }
  const givenType = Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
  const contentType = options.contentType === undefined ? (options.body ? 'application/json' : null) : options.contentType;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    'User-Agent': 'curl/8.5.0',
    'X-Forwarded-Proto': 'https',
    ...(contentType && !givenType ? { 'Content-Type': contentType } : {}),
    ...(options.headers ?? {}),
  };
  const hasQuery = Object.keys(single).length > 0;
  const requestId = options.requestId ?? 'e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b';
  return {
    resource: options.resource ?? '/{proxy+}',
    path,
    httpMethod,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    pathParameters: { proxy: path.replace(/^\//, '') },
    stageVariables: null,
    requestContext: {
      accountId: '111122223333',
      apiId: 'abcdef1234',
      authorizer: null,
      domainName: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: options.caller ?? null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '198.51.100.7',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: options.userArn ?? null,
      },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: 1893456000000,
      resourceId: 'a1b2c3',
      resourcePath: options.resource ?? '/{proxy+}',
      stage: 'prod',
    },
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** Captures what the Powertools logger writes (and keeps it out of the test output). */
export function captureLogs(): { lines: () => Array<Record<string, unknown>>; restore: () => void } {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      spy.mockRestore();
      errSpy.mockRestore();
    },
  };
}
