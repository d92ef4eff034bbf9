import { z } from 'zod';
import { MEETING_ITEM_KINDS } from '../meeting-format.ts';

/**
 * The prompt's version: a summary is reused, not recomputed, for the same transcript and version
 * (re-runs are idempotent); a new version replaces it. Change it whenever the prompt or schema does.
 */
export const SUMMARY_PROMPT_VERSION = 'transcript-summary-v1';

// Nullable rather than optional: OpenAI's strict structured outputs require every key.
const evidenceSchema = z.object({
  quote: z.string().describe('Words copied exactly from one transcript line (no paraphrase, no ellipsis).'),
  timestamp: z.string().describe('The [M:SS] or [H:MM:SS] of the line the quote is from.'),
  speaker: z.string().describe('The speaker of that line, as written.'),
});

const itemSchema = z.object({
  kind: z.enum(MEETING_ITEM_KINDS),
  text: z.string().describe('The item in one sentence.'),
  owner: z.string().nullable().describe('Who is responsible, only when the transcript says so; else null.'),
  dueDate: z.string().nullable().describe('YYYY-MM-DD, only when the transcript states a date; else null.'),
  dueDateStatedAs: z
    .string()
    .nullable()
    .describe('The exact words of the transcript that state the due date (e.g. "by March 5th"); else null.'),
  evidence: z.array(evidenceSchema).describe('One or more quotes that show the item is real.'),
});

export const modelSummarySchema = z.object({
  overview: z.string().describe('Two to four sentences: what the meeting was about and where it ended.'),
  items: z.array(itemSchema),
});

export type ModelSummary = z.infer<typeof modelSummarySchema>;
export type ModelSummaryItem = ModelSummary['items'][number];
