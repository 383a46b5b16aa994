/**
 * How big an API answer may be, and where a larger report goes instead.
 *
 * The API is an API Gateway REST API with a Lambda proxy integration. Two limits apply to a response:
 * - API Gateway REST APIs: "Payload size 10 MB", not adjustable ("Quotas for configuring and running
 *   a REST API in API Gateway",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html);
 * - the Lambda proxy integration invokes the function synchronously, and "for synchronous
 *   invocations, the maximum payload size is 6 MB" (Lambda API reference, Invoke,
 *   https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html). That payload is the proxy result
 *   as JSON (status, headers and the body as a JSON string, so quotes and newlines are escaped).
 * So the smaller one decides: a proxy result whose JSON exceeds LAMBDA_RESPONSE_LIMIT_BYTES (less a
 * margin) cannot be answered directly; the report is stored in S3 and the client is sent a 303 to a
 * short-lived presigned URL (lambdas/adapters/reports/report-object-store.ts).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { StoredReport } from '../../adapters/reports/report-object-store';

export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;
/** Room for what API Gateway and Lambda add around the result. */
const MARGIN_BYTES = 64 * 1024;

export function fitsApiResponse(result: APIGatewayProxyResult): boolean {
  return Buffer.byteLength(JSON.stringify(result), 'utf8') <= LAMBDA_RESPONSE_LIMIT_BYTES - MARGIN_BYTES;
}

/** Where the API puts reports too large to answer directly (ReportObjectStore in production). */
export interface ReportStorage {
  put(key: string, body: string, contentType: string, contentDisposition?: string): Promise<StoredReport>;
}
