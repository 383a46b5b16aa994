/** Everything a client sends the API, validated with zod; each problem becomes a 400 naming its field. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../../core/zod-messages';
import { RULE_IDS, SEVERITIES } from '../../core/model';
import { SUPPRESSION_ID_PATTERN } from '../../core/suppressions/suppression-schema';
import { SCAN_ID_PATTERN } from '../wiring/scan-id';
import { badRequest, HttpError } from './responses';

export const API_MAX_LIMIT = 100;
export const API_DEFAULT_LIMIT = 50;
export const MAX_BODY_BYTES = 16 * 1024;
const MAX_TOKEN_LENGTH = 4096;

const limit = z
  .pipe(z.string().check(z.regex(/^\d{1,6}$/, `must be a whole number from 1 to ${API_MAX_LIMIT}`)), z.transform(Number))
  .check(z.refine((n) => n >= 1 && n <= API_MAX_LIMIT, `must be from 1 to ${API_MAX_LIMIT}`));
const nextToken = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_TOKEN_LENGTH, 'is too long'));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const ListScansQuery = z.strictObject({ limit: z.optional(limit), nextToken: z.optional(nextToken) });
export const FindingsQuery = z.strictObject({
  status: z.optional(oneOf(['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'] as const)),
  severity: z.optional(oneOf(SEVERITIES)),
  rule: z.optional(oneOf(RULE_IDS)),
  limit: z.optional(limit),
  nextToken: z.optional(nextToken),
});
export const REPORT_FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
export const ReportQuery = z.strictObject({ format: z.optional(oneOf(REPORT_FORMATS)) });
export const NoQuery = z.strictObject({});

export const StartScanBody = z.strictObject({
  regions: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'each must be an AWS region name such as eu-west-1'))).check(z.minLength(1, 'must not be empty'), z.maxLength(50))),
  accounts: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/, 'each must be a 12-digit AWS account id'))).check(z.minLength(1, 'must not be empty'), z.maxLength(1000))),
});

/** The query string as single values; a parameter given twice is an error (which one would count?). */
export function queryOf<T extends z.ZodMiniType>(event: APIGatewayProxyEvent, schema: T): z.infer<T> {
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) {
    if ((values?.length ?? 0) > 1) throw badRequest(name, 'must be given at most once');
  }
  return parseWith(schema, event.queryStringParameters ?? {}, 'unknown query parameter');
}

/** A request header's value, whatever the case of its name (HTTP header names are case-insensitive). */
function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  return undefined;
}

/** Whether a Content-Type header names JSON (`application/json`, parameters such as charset allowed). */
function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** The JSON body (null when empty and `allowEmpty`). A body must say it is JSON (Content-Type: application/json), else 415. */
export function jsonBodyOf(event: APIGatewayProxyEvent, allowEmpty: boolean): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`, 'body');
  if (text.trim() === '') {
    if (allowEmpty) return null;
    throw badRequest('body', 'a JSON body is required', 'invalid_body');
  }
  if (!isJsonMediaType(headerOf(event, 'content-type'))) {
    throw new HttpError(415, 'unsupported_media_type', 'the body must be sent with Content-Type: application/json', 'Content-Type');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body', 'the body is not valid JSON', 'invalid_json');
  }
}

export function bodyOf<T extends z.ZodMiniType>(value: unknown, schema: T): z.infer<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body', 'must be a JSON object', 'invalid_body');
  return parseWith(schema, value, 'unknown field', 'invalid_body');
}

export function scanIdParam(value: string | undefined): string {
  if (value === undefined || !SCAN_ID_PATTERN.test(value)) throw badRequest('scanId', 'not a valid scan id');
  return value;
}

export function suppressionIdParam(value: string | undefined): string {
  if (value === undefined || !SUPPRESSION_ID_PATTERN.test(value)) throw badRequest('id', 'not a valid suppression id');
  return value;
}

function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, unknownKeyMessage: string, code: 'invalid_parameter' | 'invalid_body' = 'invalid_parameter'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw badRequest(issue.keys[0]!, unknownKeyMessage, code);
  throw badRequest(issue.path.map(String).join('.') || 'body', issue.message, code);
}
