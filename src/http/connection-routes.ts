import { audited, noAudit } from '../audit/audit-actions.ts';
import {
  checkConnection,
  disconnect,
  getConnection,
  listConnections,
  setShares,
  sharesSchema,
} from '../connections/connection-service.ts';
import {
  callbackQuerySchema,
  completeConnection,
  startConnection,
  startConnectionSchema,
} from '../connections/oauth-flow.ts';
import { ServiceError } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { currentUser, requireUser } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { DeclaredRoutes } from './declared-routes.ts';
import { readJsonBody } from './request-body.ts';

/** Where the web app lists connections; the OAuth callback sends browsers back here. */
export const CONNECTIONS_PAGE = '/connections';

/**
 * `/api/connections`: connect (OAuth start and callback), list, read, share, check, disconnect.
 * Mounted behind `authenticate`; every handler checks access to the connection itself.
 * Audit behaviour: start — none (nothing changed yet); callback — connection.created/reconnected
 * (failures too); shares — connection.shared; check — connection.checked; delete —
 * connection.disconnected; reads — none.
 */
export function connectionRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireUser);

  routes.post(
    '/oauth/start',
    noAudit('starting the OAuth flow changes nothing until the callback'),
    async (context) => {
      const input = await readJsonBody(context, startConnectionSchema);
      return context.json(await startConnection(service, currentUser(context), input));
    },
  );

  routes.get('/oauth/callback', audited('connection.created', 'connection.reconnected'), async (context) => {
    const wantsJson = (context.req.header('accept') ?? '').includes('application/json');
    let outcome: { connectionId: string; reconnected: boolean };
    try {
      const query = callbackQuerySchema.parse(context.req.query());
      outcome = await completeConnection(service, currentUser(context), query);
    } catch (error) {
      // A person's browser lands here from Salesforce: a JSON error would strand them, so they go
      // back to the Connections page, which explains what happened.
      if (wantsJson || !(error instanceof ServiceError)) throw error;
      const search = new URLSearchParams({ error: error.code, message: error.message });
      return context.redirect(`${CONNECTIONS_PAGE}?${search}`, 302);
    }
    const { connectionId, reconnected } = outcome;
    if (wantsJson) {
      const connection = await getConnection(service, currentUser(context), connectionId);
      return context.json({ connection, reconnected }, reconnected ? 200 : 201);
    }
    return context.redirect(`${CONNECTIONS_PAGE}?connected=${encodeURIComponent(connectionId)}`, 302);
  });

  routes.get('/', noAudit('a read: nothing changes'), async (context) =>
    context.json({ connections: await listConnections(service, currentUser(context)) }),
  );

  routes.get('/:id', noAudit('a read: nothing changes'), async (context) =>
    context.json({ connection: await getConnection(service, currentUser(context), context.req.param('id')) }),
  );

  routes.put('/:id/shares', audited('connection.shared'), async (context) => {
    const input = await readJsonBody(context, sharesSchema);
    const connection = await setShares(service, currentUser(context), context.req.param('id'), input);
    return context.json({ connection });
  });

  routes.post('/:id/check', audited('connection.checked'), async (context) =>
    context.json(await checkConnection(service, currentUser(context), context.req.param('id'))),
  );

  routes.delete('/:id', audited('connection.disconnected'), async (context) =>
    context.json(await disconnect(service, currentUser(context), context.req.param('id'))),
  );

  return routes;
}
