/**
 * The API Lambda (API Gateway REST proxy events):
 *   POST /scans                      202 + scanId; the scan runs asynchronously (the Step Functions
 *                                    fan-out when STATE_MACHINE_ARN is set, else the scan Lambda);
 *                                    409 + the running scan's id while another scan holds the
 *                                    scan lease (lambdas/core/scan-lease.ts), whatever started it
 *   GET  /scans                      newest first, ?limit=&nextToken=
 *   GET  /scans/{id}
 *   GET  /scans/{id}/findings        ?status=&severity=&rule=&limit=&nextToken=
 *   GET  /reports/latest             ?format=json|markdown|html|csv; a report too large for an API
 *                                    response is stored in S3 and answered 303 to a presigned URL
 *   GET  /suppressions, POST /suppressions, DELETE /suppressions/{id}
 * Every bad input is a 400 naming its field; every response carries the security headers; an
 * unexpected failure is a 500 with the request id and nothing else.
 */
import { type WaiverPolicy } from '../core/suppressions/waiver-policy';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../adapters/store/clock';
import { systemClock } from '../adapters/store/clock';
import { InvalidNextTokenError, type FindingsStore } from '../adapters/store/findings-store';
import type { Suppression } from '../core/model';
import { failedScanRecord, runningScanRecord } from '../core/scan-record';
import { configSuppressions, validateNewSuppression } from '../core/suppressions/suppression-schema';
import {
  API_DEFAULT_LIMIT,
  bodyOf,
  FindingsQuery,
  jsonBodyOf,
  ListScansQuery,
  NoQuery,
  queryOf,
  ReportQuery,
  scanIdParam,
  StartScanBody,
  suppressionIdParam,
} from './http/inputs';
import { badRequest, errorResponse, HttpError, internalError, json, noContent, notFound, respond } from './http/responses';
import { createRouter } from './http/router';
import { optionalEnv, requiredEnv, scanConfigFromEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { logger } from './wiring/logger';
import { newScanId } from './wiring/scan-id';
import { scanLeaseMsFromEnv } from './wiring/scan-lease-duration';
import type { ScanInvoker } from './wiring/scan-invoker';
import { deferredLambdaScanInvoker, deferredStateMachineScanInvoker } from './wiring/deferred-scan-invokers';
import { storeFromEnv } from './wiring/store';
import { fitsApiResponse, type ReportStorage } from './wiring/large-responses';
import { ReportObjectStore } from '../adapters/reports/report-object-store';
import { reportObjectKey } from '../adapters/reports/report-object-key';

export interface ApiDependencies {
  store: FindingsStore;
  scans: ScanInvoker;
  clock: Clock;
  configSuppressions: Suppression[];
  /** The config's waiver guard rails (default: DEFAULT_WAIVER_POLICY). */
  waiverPolicy?: WaiverPolicy;
  newScanId?: (now: Date) => string;
  newSuppressionId?: () => string;
  /** How long POST /scans takes the scan lease for (SCAN_LEASE_SECONDS). */
  scanLeaseMs?: number;
  reportUrl?: string;
  /** Where reports too large for an API response go (REPORT_BUCKET_NAME); without it they are refused with 413. */
  reportStorage?: ReportStorage;
}

export const apiDependencies = lazy<ApiDependencies>(() => {
  const reportUrl = optionalEnv('REPORT_URL');
  const reportBucket = optionalEnv('REPORT_BUCKET_NAME');
  const stateMachineArn = optionalEnv('STATE_MACHINE_ARN');
  return {
    store: storeFromEnv(),
    // The configured invoker's SDK client is loaded by the first POST /scans (./wiring/deferred-scan-invokers).
    scans: stateMachineArn ? deferredStateMachineScanInvoker(stateMachineArn) : deferredLambdaScanInvoker(requiredEnv('SCAN_FUNCTION_NAME')),
    clock: systemClock,
    scanLeaseMs: scanLeaseMsFromEnv(),
    configSuppressions: configSuppressions(scanConfigFromEnv().suppressions ?? [], systemClock.now(), scanConfigFromEnv().waiverPolicy),
    waiverPolicy: scanConfigFromEnv().waiverPolicy,
    ...(reportUrl ? { reportUrl } : {}),
    ...(reportBucket ? { reportStorage: new ReportObjectStore(reportBucket) } : {}),
  };
});

const newSuppressionId = () => `sup-${randomBytes(8).toString('hex')}`;

/** Built once; each request reads the (lazily built) dependencies. */
const router = createRouter([
  {
    path: '/scans',
    methods: {
      POST: async ({ event }) => {
        queryOf(event, NoQuery);
        const body = jsonBodyOf(event, true);
        const request = body === null ? {} : bodyOf(body, StartScanBody);
        if (deps().scans.scansConfiguredTargetsOnly) {
          const field = request.regions ? 'regions' : request.accounts ? 'accounts' : undefined;
          if (field) throw badRequest(field, 'This deployment scans through the fan-out, which always covers every configured account and region; send POST /scans without a body.', 'invalid_body');
        }
        const now = deps().clock.now();
        const scanId = (deps().newScanId ?? newScanId)(now);
        // The same lease the scan Lambda and the fan-out's first step take: whatever started the running scan, this start is refused.
        const lease = await deps().store.acquireScanLease(scanId, now, deps().scanLeaseMs ?? scanLeaseMsFromEnv({}));
        if (!lease.acquired) {
          const running = lease.holder;
          logger.info('scan refused: one is running', { scanId: running.scanId });
          return json(409, {
            error: { code: 'conflict', message: `Scan ${running.scanId} is running (since ${running.acquiredAt}); one scan runs at a time.` },
            scanId: running.scanId,
            links: { scan: `/scans/${running.scanId}` },
          }, { Location: `/scans/${running.scanId}` });
        }
        const record = runningScanRecord(scanId, 'api', now.toISOString());
        await deps().store.putScan(record);
        try {
          await deps().scans.start({ scanId, trigger: 'api', ...request });
        } catch (error) {
          // Nothing runs: the scan is recorded FAILED and the lease given back, so the next POST may start one.
          await deps().store.putScan(failedScanRecord(record, { operation: 'startScan', code: (error as Error).name || 'Error', message: (error as Error).message }, deps().clock.now().toISOString()));
          await deps().store.releaseScanLease(scanId);
          throw error;
        }
        logger.info('scan requested', { scanId });
        return json(202, { scanId, status: 'RUNNING', links: { scan: `/scans/${scanId}`, findings: `/scans/${scanId}/findings` } }, { Location: `/scans/${scanId}` });
      },
      GET: async ({ event }) => {
        const query = queryOf(event, ListScansQuery);
        const page = await deps().store.listScans({ limit: query.limit ?? API_DEFAULT_LIMIT, ...(query.nextToken ? { nextToken: query.nextToken } : {}) });
        return json(200, page);
      },
    },
  },
  {
    path: '/scans/{scanId}',
    methods: {
      GET: async ({ event, params }) => {
        queryOf(event, NoQuery);
        const scan = await deps().store.getScan(scanIdParam(params.scanId));
        if (!scan) throw notFound('No scan with this id.');
        return json(200, scan);
      },
    },
  },
  {
    path: '/scans/{scanId}/findings',
    methods: {
      GET: async ({ event, params }) => {
        const scanId = scanIdParam(params.scanId);
        const query = queryOf(event, FindingsQuery);
        if (!(await deps().store.getScan(scanId))) throw notFound('No scan with this id.');
        const page = await deps().store.listFindings(scanId, {
          limit: query.limit ?? API_DEFAULT_LIMIT,
          ...(query.status ? { status: query.status } : {}),
          ...(query.severity ? { severity: query.severity } : {}),
          ...(query.rule ? { ruleId: query.rule } : {}),
          ...(query.nextToken ? { nextToken: query.nextToken } : {}),
        });
        return json(200, { scanId, ...page });
      },
    },
  },
  {
    path: '/reports/latest',
    methods: {
      GET: async ({ event }) => {
        const format = queryOf(event, ReportQuery).format ?? 'json';
        const [scan] = await deps().store.listFinishedScans({ limit: 1 });
        if (!scan) throw notFound('No finished scan yet.');
        // The report model and renderers are loaded by this route on first use (./wiring/report-response).
        const { reportResponse } = await import('./wiring/report-response.js');
        const report = await reportResponse(scan, format, {
          store: deps().store,
          now: deps().clock.now(),
          configSuppressions: deps().configSuppressions,
          ...(deps().reportUrl ? { reportUrl: deps().reportUrl } : {}),
        });
        const direct = respond(200, report.body, report.contentType, report.headers, report.csp);
        if (fitsApiResponse(direct)) return direct;
        const storage = deps().reportStorage;
        if (!storage) throw new HttpError(413, 'payload_too_large', 'This report is larger than an API response may be, and no report bucket is configured; use GET /scans/{id}/findings to page through the findings.');
        const stored = await storage.put(reportObjectKey(scan.scanId, format), report.body, report.contentType, report.headers['Content-Disposition']);
        logger.info('report stored for a presigned download', { scanId: scan.scanId, format, key: stored.key, bytes: Buffer.byteLength(report.body, 'utf8') });
        return respond(303, '', '', { Location: stored.url });
      },
    },
  },
  {
    path: '/suppressions',
    methods: {
      GET: async ({ event }) => {
        queryOf(event, NoQuery);
        const stored = await deps().store.listSuppressions();
        return json(200, { items: [...stored.map((s) => ({ ...s, source: 'api' })), ...deps().configSuppressions.map((s) => ({ ...s, source: 'config' }))] });
      },
      POST: async ({ event }) => {
        queryOf(event, NoQuery);
        const now = deps().clock.now();
        const body = jsonBodyOf(event, false);
        const validation = validateNewSuppression(body, now, callerIdentity(event), deps().waiverPolicy);
        if (!validation.ok) throw badRequest(validation.field, validation.message, 'invalid_body');
        const suppression: Suppression = { id: (deps().newSuppressionId ?? newSuppressionId)(), ...validation.value, createdAt: now.toISOString() };
        await deps().store.putSuppression(suppression);
        logger.info('suppression created', { id: suppression.id, ruleId: suppression.ruleId, owner: suppression.owner, expiresAt: suppression.expiresAt });
        return json(201, { ...suppression, source: 'api' }, { Location: `/suppressions/${suppression.id}` });
      },
    },
  },
  {
    path: '/suppressions/{id}',
    methods: {
      DELETE: async ({ event, params }) => {
        queryOf(event, NoQuery);
        const id = suppressionIdParam(params.id);
        if (await deps().store.deleteSuppression(id)) {
          logger.info('suppression deleted', { id });
          return noContent();
        }
        if (deps().configSuppressions.some((s) => s.id === id)) {
          throw new HttpError(409, 'conflict', 'This waiver comes from the config file; remove it there.');
        }
        throw notFound('No suppression with this id.');
      },
    },
  },
]);

/**
 * Who is calling: the IAM identity API Gateway puts in the request context of an IAM-authorised
 * route (requestContext.identity.userArn, else .caller). A waiver's owner is always this.
 */
function callerIdentity(event: APIGatewayProxyEvent): string {
  const identity = event.requestContext?.identity;
  const owner = identity?.userArn ?? identity?.caller;
  if (typeof owner !== 'string' || owner.trim() === '') throw new HttpError(403, 'forbidden', 'A waiver needs the caller\'s IAM identity, and this request carries none.');
  return owner;
}

function deps(): ApiDependencies {
  return apiDependencies.get();
}

export async function apiHandler(event: APIGatewayProxyEvent, _context?: Context): Promise<APIGatewayProxyResult> {
  const requestId = event?.requestContext?.requestId;
  if (requestId) logger.setCorrelationId(requestId);
  try {
    return await router.handle(event);
  } catch (error) {
    if (error instanceof HttpError) {
      logger.info('request rejected', { status: error.statusCode, code: error.code, field: error.field, path: event?.path, method: event?.httpMethod });
      return errorResponse(error);
    }
    if (error instanceof InvalidNextTokenError) return errorResponse(badRequest('nextToken', 'not a token from this listing'));
    logger.error('request failed', { error: error as Error, path: event?.path, method: event?.httpMethod });
    return internalError(requestId);
  }
}

export const handler = middy(apiHandler).use(injectLambdaContext(logger, { resetKeys: true }));
