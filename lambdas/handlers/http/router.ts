/**
 * A small router for API Gateway REST proxy events: literal segments and `{name}` parameters,
 * 404 for an unknown path, 405 with an Allow header for a known path and another method.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { badRequest, HttpError, notFound } from './responses';

export interface ApiRequest {
  event: APIGatewayProxyEvent;
  params: Record<string, string>;
  requestId: string | undefined;
}

export type RouteHandler = (request: ApiRequest) => Promise<APIGatewayProxyResult>;
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export interface Route {
  path: string;
  methods: Partial<Record<Method, RouteHandler>>;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export interface Router {
  handle(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult>;
}

export function createRouter(routes: readonly Route[]): Router {
  const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, segments: splitPath(r.path) }));
  return {
    async handle(event) {
      const segments = splitPath(event.path ?? '/').map(decodeSegment);
      for (const route of compiled) {
        const params = match(route.segments, segments);
        if (!params) continue;
        // An own entry of the route's table only: `constructor` or `__proto__` names no handler.
        const method = event.httpMethod;
        const handler = typeof method === 'string' && Object.hasOwn(route.methods, method) ? route.methods[method as Method] : undefined;
        if (!handler) {
          const allow = Object.keys(route.methods).sort().join(', ');
          const shown = typeof method === 'string' && (METHODS as readonly string[]).includes(method) ? method : 'This method';
          throw new HttpError(405, 'method_not_allowed', `${shown} is not allowed on ${route.path}; allowed: ${allow}`, undefined, { Allow: allow });
        }
        return handler({ event, params, requestId: event.requestContext?.requestId });
      }
      throw notFound('No such resource.');
    },
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('path', 'the path is not valid percent-encoding');
  }
}

function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = segments[i]!;
    else if (p !== segments[i]) return undefined;
  }
  return params;
}
