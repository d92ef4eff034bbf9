import { Hono } from 'hono';
import { z } from 'zod';
import { normalizeId } from '../core/ids.ts';
import { DuplicateFaultRuleError, type FaultInjector } from '../faults/fault-injector.ts';
import { describeIssues, parseFaultConfiguration, parseFaultRule } from '../faults/fault-rule.ts';
import type { Org } from '../org/org.ts';
import { isAdminAuthorized } from './admin-secret.ts';
import { mountDataRoutes } from './data-routes.ts';
import type { RequestCounters } from './request-counters.ts';
import type { RequestLog } from './request-log.ts';

export const ADMIN_PATH_PREFIX = '/__emulator';

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export interface AdminRouteOptions {
  secret: string;
  faults: FaultInjector;
  counters: RequestCounters;
  requestLog: RequestLog;
  /** When the emulator started (epoch ms), for /health. */
  startedAt?: number;
  /** Mounts more admin endpoints behind the same secret, paths relative to `/__emulator`. */
  extraRoutes?: (routes: Hono) => void;
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PATH_PREFIX || path.startsWith(`${ADMIN_PATH_PREFIX}/`);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers },
  });
}

/** The admin API's error shape (deliberately not Salesforce's: this API is the emulator's own). */
function adminError(status: number, error: string, message: string): Response {
  return json(status, { error, message });
}

class AdminRequestError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'AdminRequestError';
    this.status = status;
    this.code = code;
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') throw new AdminRequestError(400, 'invalid_request', 'A JSON body is required');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AdminRequestError(400, 'invalid_json', `The body is not JSON: ${detail}`);
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminRequestError(400, 'invalid_request', describeIssues(parsed.error));
  return parsed.data;
}

const limitsSchema = z.strictObject({
  dailyApiRequests: z.strictObject({
    max: z.number().int().min(0),
    used: z.number().int().min(0).optional(),
  }),
});

const requestLogQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100_000).default(100),
});

function limitsView(org: Org): Record<string, unknown> {
  const usage = org.apiUsage;
  return { dailyApiRequests: { max: usage.max, used: usage.used, remaining: usage.remaining } };
}

function resolveUser(org: Org, usernameOrId: string): string {
  const id = normalizeId(usernameOrId);
  if (id && org.user(id)) return id;
  const byName = org.userIdByUsername(usernameOrId);
  if (byName) return byName;
  throw new AdminRequestError(404, 'not_found', `No user with username or id '${usernameOrId}'`);
}

function userView(org: Org, userId: string): Record<string, unknown> {
  const user = org.user(userId)!;
  return { id: userId, username: user.Username, isActive: user.IsActive === true };
}

/**
 * The emulator-only admin API under `/__emulator` (a path Salesforce does not have): counters,
 * request log, faults, limits, user activation, health, and the data endpoints (export, load, reset). Every endpoint needs
 * `Authorization: Bearer <admin secret>`; JSON in and out.
 */
export function adminRoutes(org: Org, options: AdminRouteOptions): Hono {
  const { faults, counters, requestLog } = options;
  const startedAt = options.startedAt ?? Date.now();
  const admin = new Hono();

  admin.use('*', async (context, next) => {
    if (!isAdminAuthorized(context.req.header('authorization'), options.secret)) {
      return json(
        401,
        {
          error: 'unauthorized',
          message: 'The emulator admin API needs Authorization: Bearer <admin secret>',
        },
        { 'WWW-Authenticate': 'Bearer realm="forcefield-emulator-admin"' },
      );
    }
    await next();
  });

  admin.get('/health', () =>
    json(200, {
      status: 'ok',
      org: { id: org.id, name: org.name },
      uptimeMs: Date.now() - startedAt,
    }),
  );

  admin.get('/counters', () => json(200, counters.snapshot()));
  admin.post('/counters/reset', () => {
    counters.reset();
    return json(200, counters.snapshot());
  });

  admin.get('/requests', (context) => {
    const query = validated(requestLogQuerySchema, context.req.query());
    return json(200, { capacity: requestLog.capacity, requests: requestLog.recent(query.limit) });
  });

  admin.get('/faults', () =>
    json(200, { seed: faults.seed, rules: faults.list(), held: faults.heldRequests() }),
  );
  admin.put('/faults', async (context) => {
    const parsed = parseFaultConfiguration(await readJson(context.req.raw));
    if (!parsed.success) throw new AdminRequestError(400, 'invalid_request', parsed.message);
    faults.replace(parsed.data);
    return json(200, { seed: faults.seed, rules: faults.list() });
  });
  admin.post('/faults', async (context) => {
    const parsed = parseFaultRule(await readJson(context.req.raw));
    if (!parsed.success) throw new AdminRequestError(400, 'invalid_request', parsed.message);
    return json(201, faults.add(parsed.data));
  });
  // Clearing the rules lets every parked request go on: nothing stays parked with no rule to release it.
  admin.delete('/faults', () => {
    faults.clear();
    faults.release();
    return new Response(null, { status: 204 });
  });
  admin.post('/faults/release', () => json(200, { released: faults.release() }));
  admin.post('/faults/:id/release', (context) => {
    const id = context.req.param('id');
    const known = faults.list().some((rule) => rule.id === id);
    const released = faults.release(id);
    if (!known && released === 0) {
      throw new AdminRequestError(404, 'not_found', `No fault rule '${id}' and no request it holds`);
    }
    return json(200, { released });
  });
  admin.delete('/faults/:id', (context) => {
    const id = context.req.param('id');
    const released = faults.release(id);
    if (!faults.remove(id) && released === 0) {
      throw new AdminRequestError(404, 'not_found', `No fault rule '${id}'`);
    }
    return new Response(null, { status: 204 });
  });

  admin.get('/limits', () => json(200, limitsView(org)));
  admin.put('/limits', async (context) => {
    const body = validated(limitsSchema, await readJson(context.req.raw));
    org.apiUsage.max = body.dailyApiRequests.max;
    if (body.dailyApiRequests.used !== undefined) org.apiUsage.setUsed(body.dailyApiRequests.used);
    return json(200, limitsView(org));
  });

  admin.post('/users/:user/deactivate', (context) => {
    const userId = resolveUser(org, context.req.param('user'));
    org.setUserActive(userId, false);
    return json(200, userView(org, userId));
  });
  admin.post('/users/:user/activate', (context) => {
    const userId = resolveUser(org, context.req.param('user'));
    org.setUserActive(userId, true);
    return json(200, userView(org, userId));
  });

  mountDataRoutes(admin, org);
  options.extraRoutes?.(admin);

  // A catch-all rather than notFound: a mounted sub-app's notFound is never consulted by Hono.
  admin.all('*', (context) =>
    adminError(
      404,
      'not_found',
      `No admin endpoint ${context.req.method} ${new URL(context.req.url).pathname}`,
    ),
  );
  admin.onError((error) => {
    if (error instanceof AdminRequestError) return adminError(error.status, error.code, error.message);
    if (error instanceof DuplicateFaultRuleError) return adminError(409, 'conflict', error.message);
    return adminError(500, 'internal_error', error.message);
  });
  return admin;
}
