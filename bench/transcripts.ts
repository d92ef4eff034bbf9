/**
 * `npm run bench -- transcripts`: parse + normalise throughput of WebVTT (target ≥ 50 MB/s), and
 * the summariser's own work per transcript, model time excluded (chunking, prompt building,
 * evidence verification, merge) with scripted model answers.
 */
import { parseArgs } from 'node:util';
import { chunkUtterances } from '../src/meetings/transcripts/chunk-utterances.ts';
import { mergeSummaryItems } from '../src/meetings/transcripts/merge-summary-items.ts';
import { parseTranscript } from '../src/meetings/transcripts/parse-transcript.ts';
import { summaryPrompt } from '../src/meetings/transcripts/summary-prompt.ts';
import type { ModelSummaryItem } from '../src/meetings/transcripts/summary-schema.ts';
import { TRANSCRIPT_LIMITS } from '../src/meetings/transcripts/transcript-limits.ts';
import { formatTimestamp } from '../src/meetings/transcripts/transcript-timestamp.ts';
import type { Utterance } from '../src/meetings/transcripts/utterance.ts';
import { verifyEvidence } from '../src/meetings/transcripts/verify-evidence.ts';

const SPEAKERS = ['Dana Lee', 'Sofia Ibrahim', 'Sam Patel', 'Marta Nowak'];

function vttTime(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = (seconds % 60).toFixed(3).padStart(6, '0');
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${rest}`;
}

/** A Teams-shaped WebVTT just under the size limit. */
function sampleVtt(maxBytes: number): string {
  const parts = ['WEBVTT\n\n'];
  let size = parts[0].length;
  for (let index = 0; ; index++) {
    const start = index * 4;
    const cue = `${index + 1}\n${vttTime(start)} --> ${vttTime(start + 3.5)}\n<v ${SPEAKERS[index % 4]}>We went over item ${index} of the rollout plan &amp; agreed to follow up on pricing next week.</v>\n\n`;
    if (size + cue.length > maxBytes) break;
    parts.push(cue);
    size += cue.length;
  }
  return parts.join('');
}

function modelItems(utterances: readonly Utterance[], count: number): ModelSummaryItem[] {
  return Array.from({ length: count }, (_, index) => {
    const utterance = utterances[Math.floor((index * utterances.length) / count)];
    return {
      kind: 'next_step' as const,
      text: `Follow up on pricing for item ${index}.`,
      owner: null,
      dueDate: null,
      dueDateStatedAs: null,
      evidence: [
        {
          quote: utterance.text.slice(0, 60),
          timestamp: formatTimestamp(utterance.start ?? 0),
          speaker: utterance.speaker ?? '',
        },
      ],
    };
  });
}

export async function runTranscriptsBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { iterations: { type: 'string', default: '20' } } });
  const iterations = Number(values.iterations);
  const vtt = sampleVtt(TRANSCRIPT_LIMITS.maxBytes - 1024);
  const megabytes = Buffer.byteLength(vtt) / (1024 * 1024);
  for (let warmup = 0; warmup < 3; warmup++) parseTranscript(vtt);
  const parseTimes: number[] = [];
  let utterances: Utterance[] = [];
  for (let run = 0; run < iterations; run++) {
    const started = performance.now();
    utterances = parseTranscript(vtt).utterances;
    parseTimes.push(performance.now() - started);
  }
  parseTimes.sort((left, right) => left - right);
  const median = parseTimes[Math.floor(parseTimes.length / 2)];

  const items = modelItems(utterances, 200);
  const summaryTimes: number[] = [];
  for (let run = 0; run < iterations; run++) {
    const started = performance.now();
    const chunks = chunkUtterances(utterances);
    const verifiedByChunk = chunks.map((chunk, index) => {
      summaryPrompt({
        title: 'Bench',
        startTime: '2027-03-01T15:00:00Z',
        utterances: chunk,
        part: index + 1,
        parts: chunks.length,
      });
      // Every chunk "answers" the same items: the merge must fold them into one set.
      return verifyEvidence(items.slice(0, 50), utterances).kept;
    });
    mergeSummaryItems(verifiedByChunk);
    summaryTimes.push(performance.now() - started);
  }
  summaryTimes.sort((left, right) => left - right);
  console.table([
    {
      measure: 'parse + normalise WebVTT',
      input: `${megabytes.toFixed(2)} MB, ${utterances.length} cues`,
      'median ms': median.toFixed(1),
      'MB/s': (megabytes / (median / 1000)).toFixed(1),
      target: '≥ 50 MB/s',
    },
    {
      measure: 'summariser overhead (no model time)',
      input: `${chunkUtterances(utterances).length} chunks × 50 items verified, merged`,
      'median ms': summaryTimes[Math.floor(summaryTimes.length / 2)].toFixed(1),
      'MB/s': '',
      target: '',
    },
  ]);
}
