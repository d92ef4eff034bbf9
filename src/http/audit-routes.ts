import { stream } from 'hono/streaming';
import { noAudit } from '../audit/audit-actions.ts';
import { auditQuerySchema } from '../audit/audit-log.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { requireAdmin } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { DeclaredRoutes } from './declared-routes.ts';

/**
 * Admin-only reading of the audit log: `GET /api/audit` (filters, newest first, cursor paging)
 * and `GET /api/audit/export` (every matching event as JSON lines, oldest first).
 */
export function auditRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireAdmin);

  routes.get('/', noAudit('a read: nothing changes'), async (context) => {
    const filters = auditQuerySchema.parse(context.req.query());
    return context.json(await service.audit.query(filters));
  });

  routes.get('/export', noAudit('a read: nothing changes'), async (context) => {
    const { cursor: _cursor, limit: _limit, ...filters } = auditQuerySchema.parse(context.req.query());
    context.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    context.header('Content-Disposition', 'attachment; filename="forcefield-audit.jsonl"');
    return stream(context, async (output) => {
      for await (const line of service.audit.exportLines(filters)) await output.write(line);
    });
  });
  return routes;
}
