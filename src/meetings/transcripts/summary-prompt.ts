import { formatTimestamp } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

export const SUMMARY_SYSTEM_PROMPT = `You summarise a sales meeting transcript for a CRM.
Return a short overview, then items: insights (facts learned about the customer), decisions (what was agreed), next steps and tasks (work someone will do).
Rules:
- Every item needs evidence: one or more quotes copied word for word from single transcript lines, each with that line's [timestamp] and speaker. Never paraphrase a quote.
- Only include items the transcript supports. Do not invent anything.
- owner: only when the transcript says who will do it (a name, or the speaker committing with "I will"/"I'll"); otherwise null.
- dueDate: only when the transcript states a date or deadline; give YYYY-MM-DD and copy the stating words into dueDateStatedAs; otherwise both null. Never guess dates.
- If this is one part of a longer meeting, summarise only this part.`;

/** A transcript line as the model reads it: `[1:02] Dana Lee: text` (`[-]` when untimed). */
export function transcriptLine(utterance: Utterance): string {
  const time = utterance.start === null ? '-' : formatTimestamp(utterance.start);
  return `[${time}] ${utterance.speaker ?? 'Unknown speaker'}: ${utterance.text}`;
}

export function summaryPrompt(options: {
  title: string;
  startTime: string;
  utterances: readonly Utterance[];
  part: number;
  parts: number;
}): string {
  const header = [
    `Meeting: ${options.title}`,
    `Date: ${options.startTime.slice(0, 10)} (resolve stated dates such as "Friday" against it)`,
    options.parts > 1 ? `This is part ${options.part} of ${options.parts} of the transcript.` : '',
  ].filter((line) => line !== '');
  return `${header.join('\n')}\n\nTranscript:\n${options.utterances.map(transcriptLine).join('\n')}`;
}
