import { z } from 'zod';
import { agentModelSchema } from '../agent/models/language-model.ts';
import { audited, noAudit } from '../audit/audit-actions.ts';
import type { MeetingContext } from '../meetings/meeting-runtime.ts';
import { findVisibleMeeting, meetingView } from '../meetings/meeting-store.ts';
import { importTranscript } from '../meetings/transcripts/import-transcript.ts';
import { intakeSecretOf, rotateIntakeSecret } from '../meetings/transcripts/intake-secret.ts';
import { previewTranscript, readTranscriptFile } from '../meetings/transcripts/preview-transcript.ts';
import { receiveIntake } from '../meetings/transcripts/receive-intake.ts';
import { itemReviewSchema, reviewMeetingItem } from '../meetings/transcripts/review-meeting-item.ts';
import { reviewedMeetingView } from '../meetings/transcripts/reviewed-meeting-view.ts';
import { summariseMeeting } from '../meetings/transcripts/summarise-meeting.ts';
import { setSummaryModel, summaryModelOf } from '../meetings/transcripts/summary-model-setting.ts';
import {
  transcriptMeetingSchema,
  transcriptPreviewSchema,
} from '../meetings/transcripts/transcript-input.ts';
import { loadTranscript } from '../meetings/transcripts/transcript-store.ts';
import { currentUser, requireAdmin, requireUser } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { DeclaredRoutes } from './declared-routes.ts';
import { readJsonBody } from './request-body.ts';

const summariseSchema = z.strictObject({ force: z.boolean().default(false) }).default({ force: false });
const summarySettingsSchema = z.strictObject({ model: agentModelSchema });

/**
 * Meetings from transcripts (`/api/meetings/…`, mounted before meetingRoutes so its paths win):
 * preview and import a transcript file, summarise it with the workspace's model, review items,
 * and the signed intake webhook. Audit: declared per endpoint.
 */
export function meetingIntakeRoutes(service: MeetingContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  transcriptRoutes(routes, service);
  summaryRoutes(routes, service);
  intakeRoutes(routes, service);
  return routes;
}

function transcriptRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  routes.post('/transcripts/preview', noAudit('a parse: nothing is stored'), requireUser, async (context) => {
    const input = await readJsonBody(context, transcriptPreviewSchema);
    return context.json({
      preview: previewTranscript(readTranscriptFile(input.transcript), input.participants),
    });
  });

  routes.post('/transcripts', audited('meeting.imported'), requireUser, async (context) => {
    const user = currentUser(context);
    const input = await readJsonBody(context, transcriptMeetingSchema);
    return context.json(await importTranscript(service, user, input), 201);
  });

  routes.get('/:id/transcript', noAudit('a read: nothing changes'), requireUser, async (context) => {
    const id = context.req.param('id');
    await findVisibleMeeting(service.store, currentUser(context), id);
    const transcript = await loadTranscript(service.store, id);
    return context.json({ transcript });
  });
}

function summaryRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  routes.get('/summary-settings', noAudit('a read: nothing changes'), requireUser, async (context) =>
    context.json({ settings: { model: await summaryModelOf(service.store) } }),
  );

  routes.put(
    '/summary-settings',
    audited('meetings.summary_model_changed'),
    requireUser,
    requireAdmin,
    async (context) => {
      const input = await readJsonBody(context, summarySettingsSchema);
      await setSummaryModel(service, currentUser(context), input.model);
      return context.json({ settings: input });
    },
  );

  routes.post('/:id/summarise', audited('meeting.summarised'), requireUser, async (context) => {
    const user = currentUser(context);
    const id = context.req.param('id');
    const hasBody = (context.req.header('content-length') ?? '0') !== '0';
    const input = hasBody ? await readJsonBody(context, summariseSchema) : { force: false };
    const outcome = await summariseMeeting(service, user, id, { force: input.force });
    const meeting = await reviewedMeetingView(service.store, await meetingView(service.store, user, id));
    return context.json({ outcome, meeting });
  });

  routes.patch('/:id/items/:itemId', audited('meeting.item_reviewed'), requireUser, async (context) => {
    const user = currentUser(context);
    const id = context.req.param('id');
    const input = await readJsonBody(context, itemReviewSchema);
    await reviewMeetingItem(service, user, id, context.req.param('itemId'), input);
    return context.json({
      meeting: await reviewedMeetingView(service.store, await meetingView(service.store, user, id)),
    });
  });
}

function intakeRoutes(routes: DeclaredRoutes<AppEnvironment>, service: MeetingContext): void {
  // Signed, not logged in: the signature is the credential (receiveIntake checks it first).
  routes.post('/intake', audited('meeting.intake'), async (context) => {
    const answer = await receiveIntake(service, {
      body: await context.req.text(),
      timestamp: context.req.header('forcefield-timestamp'),
      signature: context.req.header('forcefield-signature'),
    });
    return context.json(answer, 201);
  });

  routes.get(
    '/intake-secret',
    noAudit('a read: says only whether one exists'),
    requireUser,
    requireAdmin,
    async (context) => context.json({ configured: (await intakeSecretOf(service)) !== null }),
  );

  routes.put(
    '/intake-secret',
    audited('meetings.intake_secret_rotated'),
    requireUser,
    requireAdmin,
    async (context) => {
      const secret = await rotateIntakeSecret(service, currentUser(context));
      // Shown this once: it is stored encrypted and never returned again.
      return context.json({ secret });
    },
  );
}
