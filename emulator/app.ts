import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { type AdminRouteOptions, adminRoutes, isAdminPath } from './admin/admin-routes.ts';
import { generateAdminSecret } from './admin/admin-secret.ts';
import { RequestCounters } from './admin/request-counters.ts';
import { RequestLog, redactedQuery } from './admin/request-log.ts';
import { SalesforceApiError } from './core/errors.ts';
import { normalizedPath } from './core/normalized-path.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import {
  faultResponse,
  INVALID_SESSION_BODY,
  lookupIdInBody,
  REQUEST_LIMIT_EXCEEDED_BODY,
} from './faults/fault-responses.ts';
import { lightningRoutes } from './lightning/lightning-routes.ts';
import { oauthRoutes } from './oauth/routes.ts';
import type { Org } from './org/org.ts';
import type { AccessSession } from './org/tokens.ts';
import { dispatch } from './rest/router.ts';
import { handleVersions, LATEST_VERSION } from './rest/versions.ts';
import { soapRoutes } from './soap/partner-api.ts';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? headers : { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
  });
}

/** The bearer token of a request (`Authorization: Bearer …` or Salesforce's legacy `OAuth …`). */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in request body: ${detail}`);
  }
}

/** Hono's typing of the edge: the Node request (to drop connections) and the REST caller (for the log). */
interface EdgeEnvironment {
  // Partial: `app.request()` in-process has no Node request, and then nothing can be dropped.
  Bindings: Partial<HttpBindings>;
  Variables: { userId?: string };
}

export interface AppOptions {
  faults?: FaultInjector;
  counters?: RequestCounters;
  requestLog?: RequestLog;
  /** The admin API's secret; a random one when absent. */
  adminSecret?: string;
  startedAt?: number;
  /** More admin endpoints under /__emulator, behind the same secret (see adminRoutes). */
  extraAdminRoutes?: AdminRouteOptions['extraRoutes'];
}

/** Ends the TCP connection without a byte of response: the client sees a reset, not an answer. */
function dropConnection(context: Context<EdgeEnvironment>): void {
  const socket = context.env?.incoming?.socket;
  if (!socket) throw new Error('drop faults need the Node HTTP server (startEmulator), not app.request()');
  socket.destroy();
}

/** The record a lock fault names when the path has none: a lookup in the JSON body, else the admin user. */
async function lockedRecordIdOf(org: Org, request: Request): Promise<string> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    body = undefined;
  }
  return lookupIdInBody(body) ?? org.adminUserId;
}

/**
 * The emulator's HTTP surface: one server is both the login host (OAuth) and the instance
 * (REST under /services/data). Every REST request is authenticated, counted against the daily
 * API limit, and answered with `Sforce-Limit-Info`. In front of it all sits the edge: request
 * counters, the request log and fault injection, for everything but the admin API (/__emulator).
 */
export function createApp(org: Org, options: AppOptions = {}): Hono<EdgeEnvironment> {
  // Routing, fault rules and the request log all see the path as Salesforce's front end does.
  const app = new Hono<EdgeEnvironment>({ getPath: (request) => normalizedPath(getPath(request)) });
  const faults = options.faults ?? new FaultInjector();
  const counters = options.counters ?? new RequestCounters();
  const requestLog = options.requestLog ?? new RequestLog();
  let requestSequence = 0;

  app.route(
    '/__emulator',
    adminRoutes(org, {
      secret: options.adminSecret ?? generateAdminSecret(),
      faults,
      counters,
      requestLog,
      startedAt: options.startedAt,
      extraRoutes: options.extraAdminRoutes,
    }),
  );

  app.use('*', async (context, next) => {
    const url = new URL(context.req.url);
    const path = normalizedPath(url.pathname);
    if (isAdminPath(path)) return next();
    const arrivedAt = Date.now();
    const started = performance.now();
    const method = context.req.method;
    const sequence = ++requestSequence;
    counters.count(method, path);
    const decision = faults.decide(method, path);
    const kind = decision.fault?.kind;
    // Parked even if the client goes away meanwhile: once released, the request is processed.
    if (decision.holdRuleId !== undefined) await faults.park(decision.holdRuleId, method, path);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    let status: number | null = null;
    let response: Response | undefined;
    if (kind === 'drop-before') {
      dropConnection(context);
      // Hono wants a response; the Node adapter's write to the destroyed socket goes nowhere.
      response = new Response(null, { status: 500 });
    } else if (kind !== undefined && kind !== 'drop-after') {
      const rest = path.startsWith('/services/data/');
      response = faultResponse(kind, {
        path,
        lockedRecordId: kind === 'unable-to-lock-row' ? await lockedRecordIdOf(org, context.req.raw) : '',
        sequence,
        validation: decision.fault?.validation,
        headers: rest ? { 'Sforce-Limit-Info': `api-usage=${org.apiUsage.used}/${org.apiUsage.max}` } : {},
      });
      status = response.status;
    } else {
      await next();
      status = context.res.status;
      // The request was processed (the write happened); only the answer is lost.
      if (kind === 'drop-after') dropConnection(context);
    }
    const userId = context.get('userId');
    requestLog.add({
      time: new Date(arrivedAt).toISOString(),
      method,
      path,
      query: redactedQuery(url.searchParams),
      ...(userId ? { userId, username: String(org.user(userId)?.Username ?? '') } : {}),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(decision.delayMs > 0 && kind === undefined ? { fault: 'latency' as const } : {}),
      ...(kind ? { fault: kind } : {}),
    });
    return response;
  });

  app.route('/', oauthRoutes(org));
  app.route('/', lightningRoutes(org));
  app.route('/', soapRoutes(org));

  app.get('/services/data', () => json(200, handleVersions(org)));

  app.all('/services/data/*', async (context) => {
    const url = new URL(context.req.url);
    // Still percent-encoded (the router decodes each parameter once).
    // `latest` stands for the newest API version, as Salesforce documents for the Versions resource.
    const path = normalizedPath(url.pathname)
      .slice('/services/data'.length)
      .replace(/^\/latest(?=\/|$)/, `/v${LATEST_VERSION}`);
    const limitHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${org.apiUsage.used}/${org.apiUsage.max}` });
    const token = bearerToken(context.req.header('authorization'));
    const session: AccessSession | undefined = token ? org.tokens.useAccessToken(token) : undefined;
    if (!session || !org.isActive(session.userId)) return json(401, INVALID_SESSION_BODY);
    context.set('userId', session.userId);
    if (!org.apiUsage.consume()) return json(403, REQUEST_LIMIT_EXCEEDED_BODY, limitHeader());
    const versionMatch = /^\/v(\d+\.\d)(?:\/|$)/.exec(path);
    if (!versionMatch) {
      return json(
        404,
        [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
        limitHeader(),
      );
    }
    let body: unknown;
    try {
      const csv = /^text\/csv\b/i.test(context.req.header('content-type') ?? '');
      body = !['POST', 'PATCH', 'PUT'].includes(context.req.method)
        ? undefined
        : csv
          ? await context.req.text()
          : await readJsonBody(context.req.raw);
    } catch (error) {
      if (error instanceof SalesforceApiError) return json(error.status, error.errors, limitHeader());
      throw error;
    }
    const response = dispatch(org, {
      method: context.req.method,
      path,
      query: url.searchParams,
      headers: context.req.raw.headers,
      body,
      session,
      version: versionMatch[1],
    });
    if (response.raw !== undefined) {
      return new Response(response.raw, {
        status: response.status,
        headers: { ...limitHeader(), ...response.headers },
      });
    }
    return json(response.status, response.body, { ...limitHeader(), ...response.headers });
  });

  app.notFound(() =>
    json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
  );
  app.onError((error) => {
    if (error instanceof SalesforceApiError) return json(error.status, error.errors);
    // An emulator bug: answer as Salesforce does for an unexpected failure, with the detail.
    return json(500, [
      { errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${error.message}` },
    ]);
  });
  return app;
}
