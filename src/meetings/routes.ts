import { Hono } from 'hono';
import { z } from 'zod';
import { readJsonBody } from '../accounts/request-body.ts';
import { ServiceError } from '../errors.ts';
import { currentUser, requireAdmin, requireUser, surfaceOf } from '../server/auth-middleware.ts';
import type { AppEnvironment } from '../server/auth-types.ts';
import type { ServiceContext } from '../server/context.ts';
import { meetingSchema, parseMeetingImportFile } from './meeting-format.ts';
import {
  deleteMeeting,
  insertMeetings,
  listMeetings,
  meetingSharesSchema,
  meetingView,
  setMeetingShares,
} from './meeting-store.ts';
import { describeForm, noteFormatOf, searchRecords, setNoteFormat, suggestRecords } from './send-flow.ts';
import { SEND_KINDS } from './send-form.ts';
import { sendInputSchema, sendItem } from './send-service.ts';

const connectionQuery = z.object({ connectionId: z.string().min(1).max(64) });
const formQuery = connectionQuery.extend({ kind: z.enum(SEND_KINDS) });
const searchQuery = connectionQuery.extend({ q: z.string().max(1000).default('') });
const settingsSchema = z.strictObject({ noteFormat: z.enum(['enhanced', 'classic']) });

/**
 * `/api/meetings`, shaped for the meeting screen: list and read meetings (visibility enforced in
 * the store), create them, share them; and the send flow of one item — form description, record
 * search, suggestions, send. Salesforce is only written by `POST …/sends`.
 * Audit behaviour: create — meeting.created; import — meeting.imported; shares — meeting.shared; delete — meeting.deleted;
 * settings — meetings.settings_changed; sends — meeting.send (success and failure),
 * meeting.send.replayed, meeting.send.resolved; reads — none.
 */
export function meetingRoutes(service: ServiceContext): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();
  routes.use('*', requireUser);

  routes.get('/', async (context) =>
    context.json({ meetings: await listMeetings(service.store, currentUser(context)) }),
  );

  routes.post('/', async (context) => {
    const user = currentUser(context);
    const meeting = await readJsonBody(context, meetingSchema);
    const [id] = await insertMeetings(service.store, [meeting], {
      createdBy: user.id,
      source: 'api',
      now: service.now(),
    });
    await service.audit.record({
      actorUserId: user.id,
      surface: surfaceOf(user),
      action: 'meeting.created',
      outcome: 'success',
      detail: { meetingId: id, items: meeting.items.length, participants: meeting.participants.length },
    });
    return context.json({ meeting: await meetingView(service.store, user, id) }, 201);
  });

  // The import file format (one meeting or `{ meetings: [...] }`), as the web app's Import dialog
  // and `forcefield meetings import` read it: every problem is reported by path, and nothing is
  // stored unless the whole file is valid.
  routes.post('/import', async (context) => {
    const user = currentUser(context);
    const parsed = parseMeetingImportFile(await readJsonBody(context, z.unknown()));
    if (!parsed.ok) {
      const count = parsed.errors.length;
      throw new ServiceError(
        400,
        'invalid_meetings',
        `Nothing was imported: the file has ${count} ${count === 1 ? 'problem' : 'problems'}.`,
        { errors: parsed.errors },
      );
    }
    const ids = await insertMeetings(service.store, parsed.value, {
      createdBy: user.id,
      source: 'import',
      now: service.now(),
    });
    await service.audit.record({
      actorUserId: user.id,
      surface: surfaceOf(user),
      action: 'meeting.imported',
      outcome: 'success',
      detail: { meetings: ids.length, meetingIds: ids.join(',').slice(0, 1000) },
    });
    return context.json(
      { meetings: ids.map((id, index) => ({ id, title: parsed.value[index].title })) },
      201,
    );
  });

  routes.get('/settings', async (context) =>
    context.json({ settings: { noteFormat: await noteFormatOf(service.store) } }),
  );

  routes.put('/settings', requireAdmin, async (context) => {
    const user = currentUser(context);
    const input = await readJsonBody(context, settingsSchema);
    await setNoteFormat(service, input.noteFormat);
    await service.audit.record({
      actorUserId: user.id,
      surface: surfaceOf(user),
      action: 'meetings.settings_changed',
      outcome: 'success',
      detail: { noteFormat: input.noteFormat },
    });
    return context.json({ settings: input });
  });

  routes.get('/:id', async (context) =>
    context.json({
      meeting: await meetingView(service.store, currentUser(context), context.req.param('id')),
    }),
  );

  routes.delete('/:id', async (context) => {
    const user = currentUser(context);
    const id = context.req.param('id');
    await deleteMeeting(service.store, user, id);
    await service.audit.record({
      actorUserId: user.id,
      surface: surfaceOf(user),
      action: 'meeting.deleted',
      outcome: 'success',
      detail: { meetingId: id },
    });
    return context.json({ deleted: true });
  });

  routes.put('/:id/shares', async (context) => {
    const user = currentUser(context);
    const id = context.req.param('id');
    const input = await readJsonBody(context, meetingSharesSchema);
    await setMeetingShares(service.store, user, id, input, service.now());
    await service.audit.record({
      actorUserId: user.id,
      surface: surfaceOf(user),
      action: 'meeting.shared',
      outcome: 'success',
      detail: { meetingId: id, shares: input.shares.length },
    });
    return context.json({ meeting: await meetingView(service.store, user, id) });
  });

  routes.get('/:id/items/:itemId/form', async (context) => {
    const query = formQuery.parse(context.req.query());
    const form = await describeForm(service, currentUser(context), {
      meetingId: context.req.param('id'),
      itemId: context.req.param('itemId'),
      kind: query.kind,
      connectionId: query.connectionId,
    });
    return context.json({ form });
  });

  routes.get('/:id/record-search', async (context) => {
    const query = searchQuery.parse(context.req.query());
    return context.json(
      await searchRecords(service, currentUser(context), {
        meetingId: context.req.param('id'),
        connectionId: query.connectionId,
        term: query.q,
      }),
    );
  });

  routes.get('/:id/suggestions', async (context) => {
    const query = connectionQuery.parse(context.req.query());
    return context.json(
      await suggestRecords(service, currentUser(context), {
        meetingId: context.req.param('id'),
        connectionId: query.connectionId,
      }),
    );
  });

  routes.post('/:id/items/:itemId/sends', async (context) => {
    const input = await readJsonBody(context, sendInputSchema);
    const answer = await sendItem(
      service,
      currentUser(context),
      context.req.param('id'),
      context.req.param('itemId'),
      input,
    );
    return context.json(answer, answer.outcome === 'created' ? 201 : 200);
  });

  return routes;
}
