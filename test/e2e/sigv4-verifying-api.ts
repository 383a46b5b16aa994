/**
 * An HTTP server on 127.0.0.1 that behaves like the deployed API behind API Gateway's AWS_IAM
 * authorisation: it recomputes each request's SigV4 signature with the SDK's signer and the
 * credentials it knows, and answers 403 when the signature, the scope or the key does not match.
 * Behind that check, a small in-memory version of the scanner API (scans, findings, reports).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { ScanRecord, StoredFinding } from '../../lambdas/core/model';

export interface VerifyingApiOptions {
  region: string;
  /** Access key id -> secret key the server accepts. */
  keys: Record<string, string>;
  /** The scan record a started scan ends with; RUNNING for `runningPolls` reads first. */
  finishedScan: (scanId: string) => ScanRecord;
  runningPolls: number;
  findings: StoredFinding[];
  report: (format: string) => string;
  /** POST /scans answers 409 naming this running scan (one scan at a time), as the API does. */
  runningScanId?: string;
  /** GET /reports/latest answers 303 to a presigned-style URL on localhost (as a report too large for Lambda does). */
  reportRedirect?: boolean;
  /** A misbehaving API: every findings page after the first answers with this same nextToken. */
  repeatedNextToken?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  status: number;
}

export interface VerifyingApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export async function startVerifyingApi(options: VerifyingApiOptions): Promise<VerifyingApi> {
  const requests: RecordedRequest[] = [];
  const scans = new Map<string, { polls: number }>();
  let counter = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams.entries());
      const send = (status: number, payload: string, contentType = 'application/json') => {
        requests.push({ method: req.method ?? '', path: url.pathname, query, body, status });
        res.writeHead(status, { 'content-type': contentType });
        res.end(payload);
      };
      if (url.pathname.startsWith('/download/')) {
        // Like S3 with a presigned URL: the signature is in the query; another Authorization is refused.
        if (req.headers.authorization) return send(400, '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>', 'application/xml');
        if (url.searchParams.get('X-Amz-Signature') !== 'presigned') return send(403, 'AccessDenied', 'application/xml');
        return send(200, options.report('html'), 'text/html; charset=utf-8');
      }
      const refusal = await verify(req, url, body, options);
      if (refusal) return send(403, JSON.stringify({ message: refusal }));

      const path = url.pathname.replace(/^\/prod/, '');
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && path === '/scans' && options.runningScanId) {
        scans.set(options.runningScanId, { polls: 0 });
        return send(409, JSON.stringify({ error: { code: 'conflict', message: `Scan ${options.runningScanId} is running; one scan runs at a time.` }, scanId: options.runningScanId }));
      }
      if (req.method === 'POST' && path === '/scans') {
        const scanId = `scan-2026-11-26T10-00-00Z-${String(++counter).padStart(4, '0')}`;
        scans.set(scanId, { polls: 0 });
        return send(202, JSON.stringify({ scanId, status: 'RUNNING' }));
      }
      if (req.method === 'GET' && path === '/scans') {
        const ids = [...scans.keys(), 'scan-2026-11-25T02-00-00Z'];
        return send(200, JSON.stringify({ items: ids.slice(0, Number(query.limit ?? 50)).map((id) => options.finishedScan(id)) }));
      }
      if (req.method === 'GET' && (m = /^\/scans\/([^/]+)$/.exec(path))) {
        const scan = scans.get(m[1]!);
        if (!scan) return send(404, JSON.stringify({ error: { code: 'not_found', message: 'No scan with this id.' } }));
        scan.polls++;
        const record = scan.polls <= options.runningPolls ? { ...options.finishedScan(m[1]!), status: 'RUNNING' } : options.finishedScan(m[1]!);
        return send(200, JSON.stringify(record));
      }
      if (req.method === 'GET' && (m = /^\/scans\/([^/]+)\/findings$/.exec(path))) {
        const matching = options.findings.filter((f) => (!query.status || f.status === query.status) && (!query.severity || f.severity === query.severity));
        const start = Number(query.nextToken ?? 0);
        const limit = Number(query.limit ?? 50);
        const page = matching.slice(start, start + limit);
        const next = options.repeatedNextToken ?? (start + limit < matching.length ? String(start + limit) : undefined);
        return send(200, JSON.stringify({ scanId: m[1], items: page, ...(next ? { nextToken: next } : {}) }));
      }
      if (req.method === 'GET' && path === '/reports/latest') {
        const format = query.format ?? 'json';
        if (options.reportRedirect) {
          requests.push({ method: req.method ?? '', path: url.pathname, query, body, status: 303 });
          res.writeHead(303, { location: `http://localhost:${(server.address() as AddressInfo).port}/download/report.html?X-Amz-Signature=presigned` });
          return res.end();
        }
        return send(200, options.report(format), format === 'html' ? 'text/html; charset=utf-8' : 'text/plain');
      }
      return send(404, JSON.stringify({ error: { code: 'not_found', message: `no route ${req.method} ${path}` } }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/prod`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Undefined when the signature is the one the SDK's signer computes for this request; else why not. */
async function verify(req: IncomingMessage, url: URL, body: string, options: VerifyingApiOptions): Promise<string | undefined> {
  const auth = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!auth) return 'Missing Authentication Token';
  const [, keyId, day, region, service, signedHeaderList, signature] = auth;
  const secret = options.keys[keyId!];
  if (!secret) return 'The security token included in the request is invalid.';
  if (service !== 'execute-api' || region !== options.region) return `Credential should be scoped to a valid region / service, not ${region}/${service}`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(day!)) return 'X-Amz-Date is missing or outside the credential scope';
  const signedHeaders = signedHeaderList!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer takes a present x-amz-content-sha256 header as the payload hash; the server hashes
  // the body it received instead, so a body changed after signing changes the signature.
  const bodyHash = createHash('sha256').update(body).digest('hex');
  if ('x-amz-content-sha256' in headers) headers['x-amz-content-sha256'] = bodyHash;
  const [hostname, port] = (headers.host ?? '').split(':');
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    protocol: 'http:',
    hostname: hostname!,
    ...(port ? { port: Number(port) } : {}),
    path: url.pathname.split('/').map(decodeURIComponent).join('/'),
    query: Object.fromEntries(url.searchParams.entries()),
    headers,
    ...(body.length > 0 ? { body } : {}),
  };
  const signer = new SignatureV4({ service: 'execute-api', region: region!, credentials: { accessKeyId: keyId!, secretAccessKey: secret, ...(req.headers['x-amz-security-token'] ? { sessionToken: String(req.headers['x-amz-security-token']) } : {}) }, sha256: Sha256 });
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const expected = await signer.sign(request, { signingDate, signableHeaders: new Set(signedHeaders), unsignableHeaders: new Set() });
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1];
  return expectedSignature === signature ? undefined : 'The request signature we calculated does not match the signature you provided.';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
