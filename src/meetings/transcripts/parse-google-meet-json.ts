import { z } from 'zod';
import { jsonTranscriptError } from './json-transcript-error.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import type { Utterance } from './utterance.ts';

const entrySchema = z.looseObject({
  participant: z.string().min(1),
  text: z.string(),
  startTime: z.iso.datetime({ offset: true }),
  endTime: z.iso.datetime({ offset: true }),
});

const userSchema = z.looseObject({ displayName: z.string().nullish() }).nullish();
const participantSchema = z.looseObject({
  name: z.string(),
  signedinUser: userSchema,
  anonymousUser: userSchema,
  phoneUser: userSchema,
});

const documentSchema = z.looseObject({
  transcriptEntries: z.array(entrySchema),
  participants: z.array(participantSchema).nullish(),
});

export interface GoogleMeetTranscript {
  utterances: Utterance[];
  startedAt: string;
}

/** `conferenceRecords/…/participants/…` to the display name the participants list gives, if any. */
function participantNames(participants: z.infer<typeof participantSchema>[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const participant of participants) {
    const user = participant.signedinUser ?? participant.anonymousUser ?? participant.phoneUser;
    if (user?.displayName) names.set(participant.name, user.displayName.trim());
  }
  return names;
}

/**
 * Google Meet transcript entries (the Meet REST API's `conferenceRecords.transcripts.entries.list`
 * answer: `{ transcriptEntries: [{ participant, text, startTime, endTime }] }`, or the bare array),
 * with the conference's `participants` beside them to name speakers. Wall-clock times become
 * seconds from the first entry, which `startedAt` keeps.
 */
export function parseGoogleMeetJson(document: unknown): GoogleMeetTranscript {
  const shaped = Array.isArray(document) ? { transcriptEntries: document } : document;
  const parsed = documentSchema.safeParse(shaped);
  if (!parsed.success) throw jsonTranscriptError(parsed.error, 'Google Meet');
  const entries = parsed.data.transcriptEntries;
  if (entries.length === 0)
    throw new TranscriptParseError('no transcript entries', { path: 'transcriptEntries' });
  const names = participantNames(parsed.data.participants ?? []);
  const origin = Math.min(...entries.map((entry) => Date.parse(entry.startTime)));
  const utterances = entries.map((entry, index) => {
    const start = (Date.parse(entry.startTime) - origin) / 1000;
    const end = (Date.parse(entry.endTime) - origin) / 1000;
    if (end < start) {
      throw new TranscriptParseError('the entry ends before it starts', {
        path: `transcriptEntries[${index}].endTime`,
      });
    }
    return {
      speaker: names.get(entry.participant) ?? entry.participant,
      start,
      end,
      text: entry.text.trim(),
    };
  });
  return {
    utterances: utterances.filter((utterance) => utterance.text !== ''),
    startedAt: new Date(origin).toISOString(),
  };
}
