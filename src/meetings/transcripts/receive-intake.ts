import { ServiceError } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import { parseMeeting } from '../meeting-format.ts';
import { insertMeetings } from '../meeting-store.ts';
import { importTranscript } from './import-transcript.ts';
import { intakeSecretOf } from './intake-secret.ts';
import { INTAKE_TOLERANCE_SECONDS, verifyIntakeSignature } from './intake-signature.ts';
import { transcriptMeetingSchema } from './transcript-input.ts';

const unauthorised = (message: string) => new ServiceError(401, 'invalid_signature', message);

/** Records the delivery's signature once; a second delivery of it is a replay. Forgets old ones. */
async function claimDelivery(
  service: Pick<ServiceContext, 'store' | 'now'>,
  signature: string,
): Promise<void> {
  const now = service.now();
  const cutoff = new Date(now - 2 * INTAKE_TOLERANCE_SECONDS * 1000).toISOString();
  await service.store.db.deleteFrom('meeting_intake_deliveries').where('received_at', '<', cutoff).execute();
  const inserted = await service.store.db
    .insertInto('meeting_intake_deliveries')
    .values({ signature, received_at: new Date(now).toISOString() })
    .onConflict((conflict) => conflict.column('signature').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new ServiceError(409, 'replayed', 'This delivery was already received.');
  }
}

/**
 * `POST /api/meetings/intake`: a meeting tool or an automation pushes a finished transcript (with
 * `transcript`) or a summary (a meeting in the import format), signed with the workspace's intake
 * secret, timestamped and accepted once. The meeting has no creator: participants and admins see it.
 */
export async function receiveIntake(
  service: Pick<ServiceContext, 'store' | 'vault' | 'audit' | 'now'>,
  request: { body: string; timestamp: string | undefined; signature: string | undefined },
): Promise<{ meeting: { id: string; title: string } }> {
  const secret = await intakeSecretOf(service);
  if (!secret)
    throw new ServiceError(
      403,
      'intake_disabled',
      'Meeting intake is off: an admin creates a signing secret first.',
    );
  const verdict = verifyIntakeSignature({
    secret,
    timestampHeader: request.timestamp,
    signatureHeader: request.signature,
    body: request.body,
    nowSeconds: Math.floor(service.now() / 1000),
  });
  if (!verdict.ok) throw unauthorised(verdict.reason);
  await claimDelivery(service, (request.signature ?? '').slice(0, 200));
  let document: unknown;
  try {
    document = JSON.parse(request.body);
  } catch {
    throw new ServiceError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  if (typeof document === 'object' && document !== null && 'transcript' in document) {
    const input = transcriptMeetingSchema.safeParse(document);
    if (!input.success)
      throw new ServiceError(400, 'invalid_input', input.error.issues[0].message, {
        issues: input.error.issues,
      });
    const imported = await importTranscript(
      service,
      { id: null, email: '', surface: 'api' },
      input.data,
      'intake',
    );
    return { meeting: imported.meeting };
  }
  const parsed = parseMeeting(document);
  if (!parsed.ok)
    throw new ServiceError(400, 'invalid_meetings', 'The meeting is not valid.', { errors: parsed.errors });
  const [id] = await insertMeetings(service.store, [parsed.value], {
    createdBy: null,
    source: 'intake',
    now: service.now(),
  });
  await service.audit.record({
    actorUserId: null,
    surface: 'api',
    action: 'meeting.intake',
    outcome: 'success',
    detail: { meetingId: id, items: parsed.value.items.length },
  });
  return { meeting: { id, title: parsed.value.title } };
}
