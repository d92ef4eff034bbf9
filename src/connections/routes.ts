import { Hono } from 'hono';
import { readJsonBody } from '../accounts/request-body.ts';
import { ServiceError } from '../errors.ts';
import { currentUser, requireUser } from '../server/auth-middleware.ts';
import type { AppEnvironment } from '../server/auth-types.ts';
import type { ServiceContext } from '../server/context.ts';
import {
  checkConnection,
  disconnect,
  getConnection,
  listConnections,
  setShares,
  sharesSchema,
} from './connection-service.ts';
import {
  callbackQuerySchema,
  completeConnection,
  startConnection,
  startConnectionSchema,
} from './oauth-flow.ts';

/** The web app's Integrations page: the OAuth callback sends browsers back here (or to `returnTo`). */
export const INTEGRATIONS_PAGE = '/settings/integrations';

/** `path` with `parameters` added to its query, keeping what it already has. */
function withQuery(path: string, parameters: Record<string, string>): string {
  const url = new URL(path, 'http://forcefield.invalid');
  for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * `/api/connections`: connect (OAuth start and callback), list, read, share, check, disconnect.
 * Mounted behind `authenticate`; every handler checks access to the connection itself.
 * Audit behaviour: start — none (nothing changed yet); callback — connection.created/reconnected
 * (failures too); shares — connection.shared; check — connection.checked; delete —
 * connection.disconnected; reads — none.
 */
export function connectionRoutes(service: ServiceContext): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();
  routes.use('*', requireUser);

  routes.post('/oauth/start', async (context) => {
    const input = await readJsonBody(context, startConnectionSchema);
    return context.json(await startConnection(service, currentUser(context), input));
  });

  routes.get('/oauth/callback', async (context) => {
    const wantsJson = (context.req.header('accept') ?? '').includes('application/json');
    let outcome: { connectionId: string; reconnected: boolean; returnTo?: string };
    try {
      const query = callbackQuerySchema.parse(context.req.query());
      outcome = await completeConnection(service, currentUser(context), query);
    } catch (error) {
      // A person's browser lands here from Salesforce: a JSON error would strand them, so they go
      // back to the Integrations page, which explains what happened.
      if (wantsJson || !(error instanceof ServiceError)) throw error;
      return context.redirect(
        withQuery(INTEGRATIONS_PAGE, { error: error.code, message: error.message }),
        302,
      );
    }
    const { connectionId, reconnected, returnTo } = outcome;
    if (wantsJson) {
      const connection = await getConnection(service, currentUser(context), connectionId);
      return context.json({ connection, reconnected }, reconnected ? 200 : 201);
    }
    return context.redirect(withQuery(returnTo ?? INTEGRATIONS_PAGE, { connected: connectionId }), 302);
  });

  routes.get('/', async (context) =>
    context.json({ connections: await listConnections(service, currentUser(context)) }),
  );

  routes.get('/:id', async (context) =>
    context.json({ connection: await getConnection(service, currentUser(context), context.req.param('id')) }),
  );

  routes.put('/:id/shares', async (context) => {
    const input = await readJsonBody(context, sharesSchema);
    const connection = await setShares(service, currentUser(context), context.req.param('id'), input);
    return context.json({ connection });
  });

  routes.post('/:id/check', async (context) =>
    context.json(await checkConnection(service, currentUser(context), context.req.param('id'))),
  );

  routes.delete('/:id', async (context) =>
    context.json(await disconnect(service, currentUser(context), context.req.param('id'))),
  );

  return routes;
}
