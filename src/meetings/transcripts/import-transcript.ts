import { ServiceError } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AuditSurface, MeetingsTable } from '../../store/schema.ts';
import type { Meeting, Participant } from '../meeting-format.ts';
import { insertMeetings } from '../meeting-store.ts';
import { previewTranscript, readTranscriptFile, type TranscriptPreview } from './preview-transcript.ts';
import type { TranscriptMeetingInput } from './transcript-input.ts';
import { insertTranscript } from './transcript-store.ts';

export interface ImportedTranscript {
  meeting: { id: string; title: string };
  transcript: TranscriptPreview;
}

function titleOf(input: TranscriptMeetingInput): string {
  if (input.title) return input.title;
  const fromFile = input.transcript.fileName?.replace(/\.[^.]+$/, '').trim();
  return (fromFile || 'Imported transcript').slice(0, 255);
}

/**
 * Attendees the transcript itself names with an email (Fireflies) join the participants: internal
 * when they share the importer's email domain, external otherwise (external people drive record
 * suggestions).
 */
function participantsOf(
  input: TranscriptMeetingInput,
  preview: TranscriptPreview,
  speakerEmails: Record<string, string>,
  actorEmail: string,
): Participant[] {
  const participants = [...input.participants];
  const known = new Set(participants.map((participant) => participant.email.toLowerCase()));
  const domain = actorEmail.split('@')[1]?.toLowerCase();
  for (const speaker of preview.speakers) {
    const email = speakerEmails[speaker.speaker];
    if (!email || known.has(email) || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) continue;
    participants.push({ name: speaker.speaker, email, internal: email.split('@')[1] === domain });
    known.add(email);
  }
  return participants;
}

function timesOf(
  input: TranscriptMeetingInput,
  preview: TranscriptPreview,
): { startTime: string; endTime: string } {
  const start = input.startTime ?? preview.startedAt;
  if (!start) {
    throw new ServiceError(
      400,
      'invalid_input',
      'startTime: give the meeting start (this transcript has no clock times).',
    );
  }
  const startMs = Date.parse(start);
  // At least a minute, so an untimed transcript still makes a meeting that ends after it starts.
  const endTime =
    input.endTime ??
    new Date(startMs + Math.max(60, Math.ceil(preview.durationSeconds ?? 0)) * 1000).toISOString();
  if (Date.parse(endTime) <= startMs) {
    throw new ServiceError(400, 'invalid_input', 'endTime: must be after startTime');
  }
  return { startTime: new Date(startMs).toISOString(), endTime };
}

/**
 * Imports one meeting from a transcript file: parsed and checked whole first, then the meeting and
 * its transcript stored in one transaction (nothing half-imported). Audited as `meeting.imported`.
 */
export async function importTranscript(
  service: Pick<ServiceContext, 'store' | 'audit' | 'now'>,
  /** Who imports (null id: the CLI without --as, or the intake webhook); the email decides who is internal. */
  actor: { id: string | null; email: string; surface: AuditSurface },
  input: TranscriptMeetingInput,
  source: MeetingsTable['source'] = 'import',
): Promise<ImportedTranscript> {
  const parsed = readTranscriptFile(input.transcript);
  const preview = previewTranscript(parsed, input.participants);
  const participants = participantsOf(input, preview, parsed.speakerEmails, actor.email);
  const finalPreview = previewTranscript(parsed, participants);
  const meeting: Meeting = { title: titleOf(input), ...timesOf(input, preview), participants, items: [] };
  const now = service.now();
  const [id] = await insertMeetings(
    service.store,
    [meeting],
    { createdBy: actor.id, source, now },
    (transaction, meetingId) =>
      insertTranscript(
        transaction,
        meetingId,
        {
          format: parsed.format,
          fileName: input.transcript.fileName ?? null,
          utterances: parsed.utterances,
          speakers: finalPreview.speakers.map(({ utterances: _count, ...match }) => match),
          byteSize: Buffer.byteLength(input.transcript.content, 'utf8'),
        },
        now,
      ),
  );
  await service.audit.record({
    actorUserId: actor.id,
    surface: actor.surface,
    action: source === 'intake' ? 'meeting.intake' : 'meeting.imported',
    outcome: 'success',
    detail: {
      meetings: 1,
      meetingIds: id,
      transcriptFormat: parsed.format,
      utterances: parsed.utterances.length,
    },
  });
  return { meeting: { id, title: meeting.title }, transcript: finalPreview };
}
