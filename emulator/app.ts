import { Hono } from 'hono';
import { SalesforceApiError } from './core/errors.ts';
import { oauthRoutes } from './oauth/routes.ts';
import type { Org } from './org/org.ts';
import type { AccessSession } from './org/tokens.ts';
import { dispatch } from './rest/router.ts';
import { handleVersions } from './rest/versions.ts';

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

/**
 * The emulator's HTTP surface: one server is both the login host (OAuth) and the instance
 * (REST under /services/data). Every REST request is authenticated, counted against the daily
 * API limit, and answered with `Sforce-Limit-Info`.
 */
export function createApp(org: Org): Hono {
  const app = new Hono();

  app.route('/', oauthRoutes(org));

  app.get('/services/data', () => json(200, handleVersions(org)));
  app.get('/services/data/', () => json(200, handleVersions(org)));

  app.all('/services/data/*', async (context) => {
    const url = new URL(context.req.url);
    const path = url.pathname.slice('/services/data'.length);
    const limitHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${org.apiUsage.used}/${org.apiUsage.max}` });
    const token = bearerToken(context.req.header('authorization'));
    const session: AccessSession | undefined = token ? org.tokens.useAccessToken(token) : undefined;
    if (!session || !org.isActive(session.userId)) {
      return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    if (!org.apiUsage.consume()) {
      return json(
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        limitHeader(),
      );
    }
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
      body = ['POST', 'PATCH', 'PUT'].includes(context.req.method)
        ? await readJsonBody(context.req.raw)
        : undefined;
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
