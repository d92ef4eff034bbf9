import type { z } from 'zod';
import { formatIssuePath } from '../meeting-format.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';

/** A JSON transcript the schema refused: the first problem, by path (`sentences[3].start_time`). */
export function jsonTranscriptError(error: z.ZodError, formatName: string): TranscriptParseError {
  const issue = error.issues[0];
  return new TranscriptParseError(`${issue.message} (not a ${formatName} transcript?)`, {
    path: formatIssuePath(issue.path) || '(document)',
  });
}
