import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireUser, surfaceOf } from '../server/auth-middleware.ts';
import type { AppEnvironment } from '../server/auth-types.ts';
import type { ServiceContext } from '../server/context.ts';
import { apiKeyNameSchema, createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { readJsonBody } from './request-body.ts';

const newKeySchema = z.strictObject({ name: apiKeyNameSchema });

/** Personal API keys: each person manages their own; admins can revoke anyone's. */
export function apiKeyRoutes(service: ServiceContext): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();

  routes.post('/api-keys', requireUser, async (context) => {
    const user = currentUser(context);
    const body = await readJsonBody(context, newKeySchema);
    const created = await createApiKey(service, user.id, body.name, {
      userId: user.id,
      surface: surfaceOf(user),
    });
    return context.json(created, 201);
  });

  routes.get('/api-keys', requireUser, async (context) => {
    const user = currentUser(context);
    return context.json({ apiKeys: await listApiKeys(service.store, user.id) });
  });

  routes.delete('/api-keys/:id', requireUser, async (context) => {
    const user = currentUser(context);
    await revokeApiKey(service, context.req.param('id'), user, { userId: user.id, surface: surfaceOf(user) });
    return context.body(null, 204);
  });

  return routes;
}
