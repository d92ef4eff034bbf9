import { z } from 'zod';
import { apiKeyNameSchema, createApiKey, listApiKeys, revokeApiKey } from '../../accounts/api-keys.ts';
import { audited, noAudit } from '../../audit/audit-actions.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import { currentUser, requireUser } from '../auth-middleware.ts';
import type { AppEnvironment } from '../auth-types.ts';
import { DeclaredRoutes } from '../declared-routes.ts';
import { readJsonBody } from '../request-body.ts';

const newKeySchema = z.strictObject({ name: apiKeyNameSchema });

/** Personal API keys: each person manages their own; admins can revoke anyone's. */
export function apiKeyRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();

  routes.post('/api-keys', audited('api_key.created'), requireUser, async (context) => {
    const user = currentUser(context);
    const body = await readJsonBody(context, newKeySchema);
    const created = await createApiKey(service, user.id, body.name, {
      userId: user.id,
      surface: user.surface,
    });
    return context.json(created, 201);
  });

  routes.get('/api-keys', noAudit('a read: nothing changes'), requireUser, async (context) => {
    const user = currentUser(context);
    return context.json({ apiKeys: await listApiKeys(service.store, user.id) });
  });

  routes.delete('/api-keys/:id', audited('api_key.revoked'), requireUser, async (context) => {
    const user = currentUser(context);
    await revokeApiKey(service, context.req.param('id'), user, { userId: user.id, surface: user.surface });
    return context.body(null, 204);
  });

  return routes;
}
