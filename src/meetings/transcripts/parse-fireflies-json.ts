import { z } from 'zod';
import { jsonTranscriptError } from './json-transcript-error.ts';
import type { Utterance } from './utterance.ts';

const sentenceSchema = z.looseObject({
  speaker_name: z.string().nullish(),
  text: z.string().nullish(),
  raw_text: z.string().nullish(),
  start_time: z.number().min(0),
  end_time: z.number().min(0),
});

const attendeeSchema = z.looseObject({
  displayName: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const transcriptSchema = z.looseObject({
  sentences: z.array(sentenceSchema),
  meeting_attendees: z.array(attendeeSchema).nullish(),
});

export interface FirefliesTranscript {
  utterances: Utterance[];
  speakerEmails: Record<string, string>;
}

/** The transcript object wherever the export put it: the GraphQL answer, the object, or its sentences. */
function transcriptObject(document: unknown): unknown {
  if (Array.isArray(document)) return { sentences: document };
  const data = (document as { data?: { transcript?: unknown } }).data;
  return data?.transcript ?? document;
}

/**
 * Fireflies.ai transcript JSON (its API's `transcript { sentences { speaker_name text start_time
 * end_time } meeting_attendees { displayName email } }`), as the GraphQL answer, the transcript
 * object or the bare sentence array. Times are seconds; attendees give speakers' emails.
 */
export function parseFirefliesJson(document: unknown): FirefliesTranscript {
  const parsed = transcriptSchema.safeParse(transcriptObject(document));
  if (!parsed.success) throw jsonTranscriptError(parsed.error, 'Fireflies');
  const utterances = parsed.data.sentences.map((sentence) => ({
    speaker: sentence.speaker_name?.trim() || null,
    start: sentence.start_time,
    end: Math.max(sentence.end_time, sentence.start_time),
    text: (sentence.text ?? sentence.raw_text ?? '').trim(),
  }));
  const speakerEmails: Record<string, string> = {};
  for (const attendee of parsed.data.meeting_attendees ?? []) {
    const name = (attendee.displayName ?? attendee.name)?.trim();
    if (name && attendee.email) speakerEmails[name] = attendee.email.trim().toLowerCase();
  }
  return { utterances: utterances.filter((utterance) => utterance.text !== ''), speakerEmails };
}
