/**
 * The API Lambda (API Gateway REST proxy events):
 *   POST /scans                      202 + scanId; the scan runs asynchronously
 *   GET  /scans                      newest first, ?limit=&nextToken=
 *   GET  /scans/{id}
 *   GET  /scans/{id}/findings        ?status=&severity=&rule=&limit=&nextToken=
 *   GET  /reports/latest             ?format=json|markdown|html|csv
 *   GET  /suppressions, POST /suppressions, DELETE /suppressions/{id}
 * Every bad input is a 400 naming its field; every response carries the security headers; an
 * unexpected failure is a 500 with the request id and nothing else.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../adapters/store/clock';
import { systemClock } from '../adapters/store/clock';
import { InvalidNextTokenError, type FindingsStore } from '../adapters/store/findings-store';
import type { Suppression } from '../core/model';
import { renderCsv } from '../core/report/render-csv';
import { renderHtml } from '../core/report/render-html';
import { renderJson } from '../core/report/render-json';
import { renderMarkdown } from '../core/report/render-markdown';
import { runningScanRecord } from '../core/scan-record';
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
import { badRequest, errorResponse, HTML_REPORT_CSP, HttpError, internalError, json, noContent, notFound, respond } from './http/responses';
import { createRouter } from './http/router';
import { optionalEnv, requiredEnv, scanConfigFromEnv } from './wiring/environment';
import { lazy } from './wiring/lazy';
import { loadReportModel } from './wiring/load-report-model';
import { logger } from './wiring/logger';
import { newScanId } from './wiring/scan-id';
import { LambdaScanInvoker, type ScanInvoker } from './wiring/scan-invoker';
import { storeFromEnv } from './wiring/store';

export interface ApiDependencies {
  store: FindingsStore;
  scans: ScanInvoker;
  clock: Clock;
  configSuppressions: Suppression[];
  newScanId?: (now: Date) => string;
  newSuppressionId?: () => string;
  reportUrl?: string;
}

export const apiDependencies = lazy<ApiDependencies>(() => {
  const reportUrl = optionalEnv('REPORT_URL');
  return {
    store: storeFromEnv(),
    scans: new LambdaScanInvoker(new LambdaClient({}), requiredEnv('SCAN_FUNCTION_NAME')),
    clock: systemClock,
    configSuppressions: configSuppressions(scanConfigFromEnv().suppressions ?? [], systemClock.now()),
    ...(reportUrl ? { reportUrl } : {}),
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
        const now = deps().clock.now();
        const scanId = (deps().newScanId ?? newScanId)(now);
        await deps().store.putScan(runningScanRecord(scanId, 'api', now.toISOString()));
        await deps().scans.start({ scanId, trigger: 'api', ...request });
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
        const model = await loadReportModel(scan, {
          store: deps().store,
          now: deps().clock.now(),
          configSuppressions: deps().configSuppressions,
          ...(deps().reportUrl ? { reportUrl: deps().reportUrl } : {}),
        });
        switch (format) {
          case 'html':
            return respond(200, renderHtml(model), 'text/html; charset=utf-8', {}, HTML_REPORT_CSP);
          case 'markdown':
            return respond(200, renderMarkdown(model), 'text/markdown; charset=utf-8');
          case 'csv':
            return respond(200, renderCsv(model), 'text/csv; charset=utf-8', { 'Content-Disposition': `attachment; filename="redis-compliance-${scan.scanId}.csv"` });
          case 'json':
            return respond(200, renderJson(model), 'application/json; charset=utf-8');
        }
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
        const validation = validateNewSuppression(jsonBodyOf(event, false), now);
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
