/** API responses: JSON bodies, security headers on every response, errors as {error:{code,message,field}}. */
import type { APIGatewayProxyResult } from 'aws-lambda';

const COMMON_HEADERS = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
} as const;

/** For JSON, CSV and Markdown: nothing may load or run. */
export const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";
/** For the HTML report: its own inline CSS and inline SVG, nothing else. */
export const HTML_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function respond(statusCode: number, body: string, contentType: string, headers: Record<string, string> = {}, csp = STRICT_CSP): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...COMMON_HEADERS, 'Content-Security-Policy': csp, ...(body ? { 'Content-Type': contentType } : {}), ...headers },
    body,
  };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return respond(statusCode, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

export function noContent(): APIGatewayProxyResult {
  return respond(204, '', '');
}

export type ErrorCode =
  | 'invalid_parameter'
  | 'invalid_body'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'internal_error';

/** An error the client can act on; its message is written for the client (never a stack trace). */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (field: string, message: string, code: ErrorCode = 'invalid_parameter') => new HttpError(400, code, message, field);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  return json(error.statusCode, { error: { code: error.code, message: error.message, ...(error.field !== undefined ? { field: error.field } : {}) } }, error.headers);
}

/** What a client sees for an unexpected failure: the request id to quote, nothing about the cause. */
export function internalError(requestId: string | undefined): APIGatewayProxyResult {
  return json(500, { error: { code: 'internal_error', message: 'The request failed unexpectedly.', ...(requestId ? { requestId } : {}) } });
}
