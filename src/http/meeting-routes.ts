import { z } from 'zod';
import { audited, noAudit } from '../audit/audit-actions.ts';
import { auditActorOf } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import { describeForm } from '../meetings/describe-form.ts';
import { SEND_KINDS } from '../meetings/form-fields.ts';
import { importMeetings } from '../meetings/import-meetings.ts';
import { createMeeting, removeMeeting, shareMeeting } from '../meetings/meeting-commands.ts';
import { meetingSchema } from '../meetings/meeting-format.ts';
import type { MeetingContext } from '../meetings/meeting-runtime.ts';
import { meetingSharesSchema } from '../meetings/meeting-shares.ts';
import { listMeetings, meetingView } from '../meetings/meeting-store.ts';
import { noteFormatOf, setNoteFormat } from '../meetings/note-format.ts';
import { searchRecords } from '../meetings/search-records.ts';
import { sendInputSchema } from '../meetings/send/send-input.ts';
import { sendItem } from '../meetings/send/send-item.ts';
import { suggestRecords } from '../meetings/suggest-records.ts';
import { reviewedMeetingView } from '../meetings/transcripts/reviewed-meeting-view.ts';
import { currentUser, requireAdmin, requireUser } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { DeclaredRoutes } from './declared-routes.ts';
import { readJsonBody } from './request-body.ts';

const connectionQuery = z.object({ connectionId: z.string().min(1).max(64) });
const formQuery = connectionQuery.extend({ kind: z.enum(SEND_KINDS) });
const searchQuery = connectionQuery.extend({ q: z.string().max(1000).default('') });
const settingsSchema = z.strictObject({ noteFormat: z.enum(['enhanced', 'classic']) });

/**
 * `/api/meetings`, shaped for the meeting screen: list and read meetings (visibility enforced in
 * the store), create them, share them; and the send flow of one item — form description, record
 * search, suggestions, send. Salesforce is only written by `POST …/sends`.
 * Audit: declared per endpoint below (`audited` / `noAudit`).
 */
export function meetingRoutes(service: MeetingContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.use('*', requireUser);

  // /settings before /:id: the first route that matches answers.
  meetingSettingsRoutes(routes, service);
  meetingReadAndShareRoutes(routes, service);
  sendFlowRoutes(routes, service);
  return routes;
}

/** The workspace's meeting settings (the note format sends use). */
function meetingSettingsRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  routes.get('/settings', noAudit('a read: nothing changes'), async (context) =>
    context.json({ settings: { noteFormat: await noteFormatOf(service.store) } }),
  );

  routes.put('/settings', audited('meetings.settings_changed'), requireAdmin, async (context) => {
    const input = await readJsonBody(context, settingsSchema);
    await setNoteFormat(service, currentUser(context), input.noteFormat);
    return context.json({ settings: input });
  });
}

/** The meetings themselves: list, create, import, read, delete, share. */
function meetingReadAndShareRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  routes.get('/', noAudit('a read: nothing changes'), async (context) =>
    context.json({ meetings: await listMeetings(service.store, currentUser(context)) }),
  );

  routes.post('/', audited('meeting.created'), async (context) => {
    const user = currentUser(context);
    const id = await createMeeting(service, user, await readJsonBody(context, meetingSchema));
    return context.json({ meeting: await meetingView(service.store, user, id) }, 201);
  });

  routes.post('/import', audited('meeting.imported'), async (context) => {
    const result = await importMeetings(
      service,
      auditActorOf(currentUser(context)),
      await readJsonBody(context, z.unknown()),
    );
    return context.json(result, 201);
  });

  routes.get('/:id', noAudit('a read: nothing changes'), async (context) =>
    context.json({
      // With its transcript outline, summary and each item's evidence and review state.
      meeting: await reviewedMeetingView(
        service.store,
        await meetingView(service.store, currentUser(context), context.req.param('id')),
      ),
    }),
  );

  routes.delete('/:id', audited('meeting.deleted'), async (context) => {
    await removeMeeting(service, currentUser(context), context.req.param('id'));
    return context.json({ deleted: true });
  });

  routes.put('/:id/shares', audited('meeting.shared'), async (context) => {
    const user = currentUser(context);
    const id = context.req.param('id');
    await shareMeeting(service, user, id, await readJsonBody(context, meetingSharesSchema));
    return context.json({ meeting: await meetingView(service.store, user, id) });
  });
}

/** The send flow of one item: form description, record search, suggestions, send. */
function sendFlowRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  routes.get('/:id/items/:itemId/form', noAudit('a read of the org schema'), async (context) => {
    const query = formQuery.parse(context.req.query());
    const form = await describeForm(service, currentUser(context), {
      meetingId: context.req.param('id'),
      itemId: context.req.param('itemId'),
      kind: query.kind,
      connectionId: query.connectionId,
    });
    return context.json({ form });
  });

  routes.get(
    '/:id/record-search',
    noAudit('a read-only Salesforce search; nothing is stored'),
    async (context) => {
      const query = searchQuery.parse(context.req.query());
      return context.json(
        await searchRecords(service, currentUser(context), {
          meetingId: context.req.param('id'),
          connectionId: query.connectionId,
          term: query.q,
        }),
      );
    },
  );

  routes.get(
    '/:id/suggestions',
    noAudit('a read-only Salesforce lookup; nothing is stored'),
    async (context) => {
      const query = connectionQuery.parse(context.req.query());
      return context.json(
        await suggestRecords(service, currentUser(context), {
          meetingId: context.req.param('id'),
          connectionId: query.connectionId,
        }),
      );
    },
  );

  routes.post(
    '/:id/items/:itemId/sends',
    audited('meeting.send', 'meeting.send.replayed', 'meeting.send.resolved'),
    async (context) => {
      const input = await readJsonBody(context, sendInputSchema);
      try {
        const answer = await sendItem(
          service,
          currentUser(context),
          context.req.param('id'),
          context.req.param('itemId'),
          input,
        );
        return context.json(answer, answer.outcome === 'created' ? 201 : 200);
      } catch (error) {
        // Outcome unknown, in progress, a transient refusal: the client is told when to retry.
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined) context.header('Retry-After', String(retryAfter));
        throw error;
      }
    },
  );
}

/** The seconds a send's error tells the client to wait (its details), if it is worth a retry. */
function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof seconds === 'number') return seconds;
  // A transient failure without a hint (a refresh that failed, Salesforce unreachable).
  return error.status === 503 ? 5 : undefined;
}
