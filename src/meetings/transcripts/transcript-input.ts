import { z } from 'zod';
import { participantSchema } from '../meeting-format.ts';
import { TRANSCRIPT_LIMITS } from './transcript-limits.ts';
import { TRANSCRIPT_FORMATS } from './utterance.ts';

/** A transcript file as the API takes it: its text (the web app reads the file), name and format. */
export const transcriptFileSchema = z.strictObject({
  content: z
    .string()
    .min(1)
    // Characters, not bytes: the byte limit is checked by the parser, which names it.
    .max(TRANSCRIPT_LIMITS.maxBytes, `transcripts are limited to ${TRANSCRIPT_LIMITS.maxBytes} bytes`),
  fileName: z.string().trim().min(1).max(255).optional(),
  /** Forces a format; without it the content decides. */
  format: z.enum(TRANSCRIPT_FORMATS).optional(),
});
export type TranscriptFile = z.infer<typeof transcriptFileSchema>;

/** A meeting made from a transcript: the transcript, and what it cannot say (title, time, who). */
export const transcriptMeetingSchema = z.strictObject({
  title: z.string().trim().min(1).max(255).optional().describe('Defaults to the file name.'),
  startTime: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Required unless the transcript has wall-clock times (Google Meet).'),
  endTime: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Defaults to the start plus the last utterance.'),
  participants: z.array(participantSchema).max(500).default([]),
  transcript: transcriptFileSchema,
});
export type TranscriptMeetingInput = z.infer<typeof transcriptMeetingSchema>;

export const transcriptPreviewSchema = z.strictObject({
  transcript: transcriptFileSchema,
  // The dialog sends the participants it has; only names and emails matter here (extra keys ignored).
  participants: z
    .array(z.object({ name: z.string().trim().min(1).max(200), email: z.email().max(254) }))
    .max(500)
    .default([]),
});
