import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { environmentProviders } from '../agent/models/language-model.ts';
import {
  modelTestSchema,
  testStoredModelProvider,
  testUnsavedModelProvider,
  unsavedModelTestSchema,
} from '../agent/models/test-model-provider.ts';
import {
  agentInputSchema,
  createAgent,
  deleteAgent,
  findAgent,
  listAgents,
  toAgentView,
  updateAgent,
} from '../agent/store/agent-store.ts';
import {
  createModelProvider,
  createModelProviderSchema,
  deleteModelProvider,
  listModelProviders,
} from '../agent/store/model-provider-store.ts';
import type { AgentRuntime } from '../agent/turns/agent-runtime.ts';
import type { ChatEvent, Emit, TurnRunner } from '../agent/turns/chat-events.ts';
import { chatActionOf, chatRequestSchema } from '../agent/turns/chat-request.ts';
import { createConversationSchema, decisionSchema, sendMessageSchema } from '../agent/turns/chat-schemas.ts';
import { audited, noAudit } from '../audit/audit-actions.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { currentUser, requireAdmin, requireUser } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { DeclaredRoutes } from './declared-routes.ts';
import { readJsonBody } from './request-body.ts';
import { uiMessageStreamResponse } from './ui-message-stream-response.ts';

/**
 * Mounts the agent connector's API:
 * - `/api/agents` — list/read (any member); create, update, delete (admins). Audit: agent.created /
 *   agent.updated / agent.deleted with the permission levels; reads: none.
 * - `/api/model-providers` — admins: list (never keys), add (key encrypted; model_provider.created),
 *   delete (model_provider.deleted), test one tiny call, saved (`/:id/test`) or not (`/test`):
 *   model_provider.tested with the cause, never the key.
 * - `/api/conversations` — the person's own conversations. Create/read/delete: none (no Salesforce
 *   access, no setting changed). Messages, resume and approval decisions: every tool call, refusal
 *   and decision is audited by the dispatcher and chat service (agent.tool_call, agent.tool_call.refused,
 *   agent.approval.*, agent.connection.refused). Step details: none (a read of memory).
 *   `POST /:id/chat` is the same chat for `useChat` (the AI SDK UI message stream; README "Chat protocol").
 */
export function agentApiRoutes(
  service: ServiceContext,
  runtime: AgentRuntime,
): DeclaredRoutes<AppEnvironment> {
  return new DeclaredRoutes<AppEnvironment>()
    .route('/agents', agentRoutes(service))
    .route('/model-providers', modelProviderRoutes(service))
    .route('/conversations', conversationRoutes(runtime));
}

function agentRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireUser);
  routes.get('/', noAudit('a read: nothing changes'), async (context) =>
    context.json({ agents: await listAgents(service) }),
  );
  routes.get('/:id', noAudit('a read: nothing changes'), async (context) =>
    context.json({ agent: toAgentView(await findAgent(service, context.req.param('id'))) }),
  );
  routes.post('/', audited('agent.created'), requireAdmin, async (context) => {
    const input = await readJsonBody(context, agentInputSchema);
    const user = currentUser(context);
    return context.json({ agent: await createAgent(service, user, user.surface, input) }, 201);
  });
  routes.put('/:id', audited('agent.updated'), requireAdmin, async (context) => {
    const input = await readJsonBody(context, agentInputSchema);
    const user = currentUser(context);
    return context.json({
      agent: await updateAgent(service, user, user.surface, context.req.param('id'), input),
    });
  });
  routes.delete('/:id', audited('agent.deleted'), requireAdmin, async (context) => {
    const user = currentUser(context);
    await deleteAgent(service, user, user.surface, context.req.param('id'));
    return context.body(null, 204);
  });
  return routes;
}

function modelProviderRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireUser, requireAdmin);
  routes.get('/', noAudit('a read: keys never leave the server'), async (context) =>
    context.json({
      providers: await listModelProviders(service),
      environment: environmentProviders(service.config),
    }),
  );
  routes.post('/', audited('model_provider.created'), async (context) => {
    const input = await readJsonBody(context, createModelProviderSchema);
    const user = currentUser(context);
    return context.json(
      { provider: await createModelProvider(service, { userId: user.id, surface: user.surface }, input) },
      201,
    );
  });
  routes.post('/test', audited('model_provider.tested'), async (context) => {
    const input = await readJsonBody(context, unsavedModelTestSchema);
    const user = currentUser(context);
    return context.json({
      test: await testUnsavedModelProvider(service, { userId: user.id, surface: user.surface }, input),
    });
  });
  routes.post('/:id/test', audited('model_provider.tested'), async (context) => {
    const input = await readJsonBody(context, modelTestSchema);
    const user = currentUser(context);
    const actor = { userId: user.id, surface: user.surface };
    return context.json({
      test: await testStoredModelProvider(service, actor, context.req.param('id'), input.modelId),
    });
  });
  routes.delete('/:id', audited('model_provider.deleted'), async (context) => {
    const user = currentUser(context);
    await deleteModelProvider(service, { userId: user.id, surface: user.surface }, context.req.param('id'));
    return context.body(null, 204);
  });
  return routes;
}

function conversationRoutes(runtime: AgentRuntime): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireUser);
  routes.post('/', noAudit('a conversation: no Salesforce access, no setting changed'), async (context) => {
    const input = await readJsonBody(context, createConversationSchema);
    return context.json({ conversation: await runtime.createConversation(currentUser(context), input) }, 201);
  });
  routes.get('/', noAudit('a read: nothing changes'), async (context) =>
    context.json({ conversations: await runtime.listConversations(currentUser(context)) }),
  );
  routes.get('/:id', noAudit('a read: nothing changes'), async (context) =>
    context.json(await runtime.getConversation(currentUser(context), context.req.param('id'))),
  );
  routes.delete(
    '/:id',
    noAudit("deletes the person's own conversation; no Salesforce access"),
    async (context) => {
      await runtime.deleteConversation(currentUser(context), context.req.param('id'));
      return context.body(null, 204);
    },
  );
  routes.get('/:id/steps/:stepId', noAudit('a read of results held in memory'), async (context) =>
    context.json({
      step: await runtime.getStep(currentUser(context), context.req.param('id'), context.req.param('stepId')),
    }),
  );
  addChatRoute(routes, runtime);
  routes.post(
    '/:id/messages',
    audited(
      'agent.tool_call',
      'agent.tool_call.refused',
      'agent.connection.refused',
      'agent.approval.requested',
    ),
    async (context) => {
      const input = await readJsonBody(context, sendMessageSchema);
      return respond(
        context,
        await runtime.beginMessage(currentUser(context), context.req.param('id'), input.text),
      );
    },
  );
  routes.post(
    '/:id/resume',
    audited(
      'agent.tool_call',
      'agent.tool_call.refused',
      'agent.connection.refused',
      'agent.approval.requested',
      'agent.approval.expired',
    ),
    async (context) =>
      respond(context, await runtime.beginResume(currentUser(context), context.req.param('id'))),
  );
  routes.post(
    '/:id/approvals/:approvalId',
    audited(
      'agent.approval.approved',
      'agent.approval.rejected',
      'agent.approval.refused',
      'agent.tool_call',
    ),
    async (context) => {
      const input = await readJsonBody(context, decisionSchema);
      const runner = await runtime.beginDecision(
        currentUser(context),
        context.req.param('id'),
        context.req.param('approvalId'),
        input,
      );
      return respond(context, runner);
    },
  );
  return routes;
}

/** `POST /:id/chat`: the same chat for `useChat` (the AI SDK UI message stream; README "Chat protocol"). */
function addChatRoute(routes: DeclaredRoutes<AppEnvironment>, runtime: AgentRuntime): void {
  routes.post(
    '/:id/chat',
    audited(
      'agent.tool_call',
      'agent.tool_call.refused',
      'agent.connection.refused',
      'agent.approval.requested',
      'agent.approval.expired',
      'agent.approval.approved',
      'agent.approval.rejected',
      'agent.approval.refused',
    ),
    async (context) => uiMessageStreamResponse(await chatRunner(runtime, context)),
  );
}

/** The useChat request (the UI message stream protocol): a new message, an approval answer, or a retry. */
async function chatRunner(runtime: AgentRuntime, context: Context<AppEnvironment>): Promise<TurnRunner> {
  const action = chatActionOf(await readJsonBody(context, chatRequestSchema));
  const user = currentUser(context);
  const conversationId = context.req.param('id') ?? '';
  switch (action.kind) {
    case 'message':
      return runtime.beginMessage(user, conversationId, action.text);
    case 'resume':
      return runtime.beginResume(user, conversationId);
    case 'decision':
      return runtime.beginDecision(user, conversationId, action.approvalId, action.decision);
  }
}

/**
 * A turn as Server-Sent Events (`Accept: text/event-stream`: events `turn`, `text`, `step`,
 * `approval`, `connect`, `notice`, `error`, `done`), or as one JSON answer with the same events.
 * Refusals (404, 403, 409, 410) are raised before either starts, as ordinary JSON errors.
 */
async function respond(context: Context<AppEnvironment>, runner: TurnRunner): Promise<Response> {
  if ((context.req.header('accept') ?? '').includes('text/event-stream')) {
    return streamSSE(context, async (stream) => {
      let writes = Promise.resolve();
      const emit: Emit = (event) => {
        // Events keep their order; a person who closed the tab does not stop the turn.
        writes = writes
          .then(() => stream.writeSSE({ event: event.type, data: JSON.stringify(event) }))
          .catch(() => {});
      };
      try {
        await runner(emit);
      } catch {
        emit({ type: 'error', code: 'internal_error', message: 'Something went wrong on our side.' });
      }
      await writes;
    });
  }
  const events: ChatEvent[] = [];
  const result = await runner((event) => events.push(event));
  return context.json({ status: result.status, message: result.message, events });
}
