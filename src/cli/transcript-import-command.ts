import path from 'node:path';
import { findUserByEmail } from '../accounts/users.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { loadConfig } from '../core/config.ts';
import { ServiceError } from '../core/errors.ts';
import { importTranscript } from '../meetings/transcripts/import-transcript.ts';
import { transcriptMeetingSchema } from '../meetings/transcripts/transcript-input.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import { migrate } from '../store/database.ts';

export interface TranscriptImportOptions {
  as?: string;
  title?: string;
  start?: string;
  end?: string;
  participant?: string[];
  format?: string;
}

/** A meeting-format file is JSON with `meetings` or `items`; anything else is a transcript. */
export function isMeetingFormat(text: string): boolean {
  const trimmed = text.replace(/^\ufeff/, '').trimStart();
  if (!trimmed.startsWith('{')) return false;
  try {
    const document = JSON.parse(trimmed);
    return (
      typeof document === 'object' && document !== null && ('meetings' in document || 'items' in document)
    );
  } catch {
    // Broken JSON: the meeting-format path reports it.
    return true;
  }
}

/** `Name <email>` to a participant. */
function participantOf(text: string, ownDomain: string | undefined) {
  const match = /^\s*(.+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (!match) throw new TypeError(`--participant "${text}": write it as "Name <email>"`);
  const email = match[2].toLowerCase();
  return { name: match[1], email, internal: ownDomain !== undefined && email.endsWith(`@${ownDomain}`) };
}

/** `forcefield meetings import <transcript>`: one meeting and its transcript, all or nothing. */
export async function importTranscriptCommand(
  file: string,
  content: string,
  options: TranscriptImportOptions,
): Promise<number> {
  const ownDomain = options.as?.split('@')[1]?.toLowerCase();
  const parsed = transcriptMeetingSchema.safeParse({
    ...(options.title ? { title: options.title } : {}),
    ...(options.start ? { startTime: options.start } : {}),
    ...(options.end ? { endTime: options.end } : {}),
    participants: (options.participant ?? []).map((entry) => participantOf(entry, ownDomain)),
    transcript: {
      content,
      fileName: path.basename(file),
      ...(options.format ? { format: options.format } : {}),
    },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      process.stderr.write(`${file}: ${issue.path.join('.')}: ${issue.message}\n`);
    process.stderr.write('forcefield meetings: nothing imported\n');
    return 1;
  }
  const store = openConfiguredStore(loadConfig());
  try {
    await migrate(store);
    let createdBy: string | null = null;
    if (options.as !== undefined) {
      const user = await findUserByEmail(store, options.as);
      if (!user) {
        process.stderr.write(`forcefield meetings: no workspace user with the email ${options.as}\n`);
        return 1;
      }
      createdBy = user.id;
    }
    const service = { store, audit: new AuditLog(store), now: () => Date.now() };
    const imported = await importTranscript(
      service,
      { id: createdBy, email: options.as ?? '', surface: 'cli' },
      parsed.data,
    );
    const speakers = imported.transcript.speakers
      .map(
        (match) =>
          `${match.speaker}${match.participant ? ` = ${match.participant.email}` : ' (not matched)'}`,
      )
      .join(', ');
    process.stdout.write(`imported ${imported.meeting.id}  ${imported.meeting.title}\n`);
    process.stdout.write(
      `  ${imported.transcript.format}, ${imported.transcript.utteranceCount} utterances; speakers: ${speakers}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    process.stderr.write(`${file}: ${error.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
