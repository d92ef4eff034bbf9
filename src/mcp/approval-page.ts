import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { decideDirectApproval } from '../agent/direct/decide-direct-approval.ts';
import { findApproval, openSealedCall } from '../agent/store/approval-store.ts';
import { ServiceError } from '../core/errors.ts';
import { authenticate } from '../http/auth-middleware.ts';
import type { AppEnvironment } from '../http/auth-types.ts';
import type { Services } from '../services.ts';

const decisionSchema = z.strictObject({ decision: z.enum(['approve', 'reject']) });

/**
 * The approval page for clients that cannot ask the person themselves: `/mcp/approvals/{id}`,
 * server-rendered, for the signed-in person who made the call (a session cookie; anyone else gets
 * 404). Its buttons post the decision with the session's CSRF token; the decision follows the
 * chat's rules (decideDirectApproval) and runs the action once. The MCP client then reads the
 * outcome with `approval_status`.
 */
export function approvalPageRoutes(services: Services): Hono<AppEnvironment> {
  const service = services.context;
  const app = new Hono<AppEnvironment>();
  app.use('/mcp/approvals/*', authenticate(service));

  app.get('/mcp/approvals/:id', async (context) => {
    const user = context.get('user');
    if (!user) return context.redirect(`/login?next=${encodeURIComponent(context.req.path)}`);
    const row = await findApproval(service.store, context.req.param('id'));
    if (!row || row.user_id !== user.id) throw new ServiceError(404, 'not_found', 'Approval not found.');
    const call = row.status === 'pending' ? openSealedCall(service.vault, row) : undefined;
    const fields = Object.entries(((call?.input ?? {}) as { fields?: Record<string, unknown> }).fields ?? {});
    return context.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Approve ${row.tool_name} · Forcefield</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>Approve ${row.tool_name}?</h1>
<p>An AI client asked to run <strong>${row.tool_name}</strong>${row.object_type ? html` on <strong>${row.object_type}</strong>` : ''}${row.record_id ? html` record <code>${row.record_id}</code>` : ''}.</p>
${fields.length > 0 ? html`<table><thead><tr><th align="left">Field</th><th align="left">New value</th></tr></thead><tbody>${fields.map(([name, value]) => html`<tr><td>${name}</td><td>${typeof value === 'string' ? value : JSON.stringify(value)}</td></tr>`)}</tbody></table>` : ''}
<p id="status">Status: <strong>${row.status}</strong> · expires ${row.expires_at}</p>
${row.status === 'pending' ? html`<p><button type="button" data-decision="approve">Approve</button> <button type="button" data-decision="reject">Reject</button></p>` : ''}
<script>
for (const button of document.querySelectorAll('button[data-decision]')) {
  button.addEventListener('click', async () => {
    const me = await (await fetch('/api/me')).json();
    const response = await fetch(location.pathname + '/decision', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ decision: button.dataset.decision }),
    });
    const body = await response.json();
    document.getElementById('status').textContent = !response.ok
      ? body.error.message
      : body.status === 'record_changed'
        ? 'The record changed after you saw it, so nothing was written. Decide again with its values now.'
        : 'Done: ' + body.status + '. Go back to your AI client.';
    for (const other of document.querySelectorAll('button[data-decision]')) other.disabled = true;
    if (body.nextApprovalPath) location.assign(body.nextApprovalPath);
  });
}
</script></body></html>`);
  });

  app.post('/mcp/approvals/:id/decision', async (context) => {
    const user = context.get('user');
    if (!user) throw new ServiceError(401, 'unauthenticated', 'Sign in to decide.');
    const body = decisionSchema.parse(await context.req.json().catch(() => ({})));
    const approvalId = context.req.param('id');
    const outcome = await decideDirectApproval(
      { service, runtime: services.agent, user: { ...user, surface: 'web' }, clientName: 'approval page' },
      { approvalId, decision: body.decision },
    );
    if (outcome.kind === 'pending') {
      // The record changed after the person saw it: nothing was written; a new approval asks again.
      const next = outcome.approval.approvalId;
      return context.json({
        approvalId,
        status: 'record_changed',
        nextApprovalId: next,
        nextApprovalPath: `/mcp/approvals/${encodeURIComponent(next)}`,
      });
    }
    const status =
      body.decision === 'approve' ? (outcome.kind === 'failure' ? 'failed' : 'approved') : 'rejected';
    return context.json({ approvalId, status });
  });
  return app;
}
