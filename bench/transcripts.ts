/**
 * `npm run bench -- transcripts`: parse + normalise throughput of WebVTT (target ≥ 50 MB/s), and
 * the summariser's own work per transcript, model time excluded (chunking, prompt building,
 * evidence verification, merge) with scripted model answers.
 */
import { availableParallelism, loadavg } from 'node:os';
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

/** The same speech as SubRip (Otter, Descript): counters, comma times, `Name:` prefixes. */
function sampleSrt(maxBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; ; index++) {
    const start = index * 4;
    const cue = `${index + 1}\n${vttTime(start).replace('.', ',')} --> ${vttTime(start + 3.5).replace('.', ',')}\n${SPEAKERS[index % 4]}: We went over item ${index} of the rollout plan and agreed to follow up on pricing next week.\n\n`;
    if (size + cue.length > maxBytes) break;
    parts.push(cue);
    size += cue.length;
  }
  return parts.join('');
}

/** Timed `Name: text` turns with a continuation line, as notes apps export them. */
function samplePlainText(maxBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; ; index++) {
    const turn = `[${vttTime(index * 4).slice(0, 8)}] ${SPEAKERS[index % 4]}: We went over item ${index} of the rollout plan\nand agreed to follow up on pricing next week.\n`;
    if (size + turn.length > maxBytes) break;
    parts.push(turn);
    size += turn.length;
  }
  return parts.join('');
}

interface ParseMeasure {
  count: number;
  megabytes: number;
  wallMs: number;
  cpuMs: number;
}

/**
 * Median wall and CPU time of parsing `content`. CPU time (process.cpuUsage, this single-threaded
 * loop's own time) is reported beside wall time because the machine is shared: under load, wall
 * time mostly measures waiting for a core.
 */
function measureParse(
  content: string,
  iterations: number,
  parse: (content: string) => number = (text) => parseTranscript(text).utterances.length,
): ParseMeasure {
  for (let warmup = 0; warmup < 3; warmup++) parse(content);
  const wall: number[] = [];
  const cpu: number[] = [];
  let count = 0;
  for (let run = 0; run < iterations; run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    count = parse(content);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) =>
    values.sort((left, right) => left - right)[Math.floor(values.length / 2)];
  return {
    count,
    megabytes: Buffer.byteLength(content) / (1024 * 1024),
    wallMs: median(wall),
    cpuMs: median(cpu),
  };
}

function parseRow(measure: string, result: ParseMeasure, baseline: ParseMeasure, target: string) {
  return {
    measure,
    input: `${result.megabytes.toFixed(2)} MB, ${result.count} ${result === baseline ? 'lines' : 'utterances'}`,
    'median ms': result.wallMs.toFixed(1),
    'MB/s': (result.megabytes / (result.wallMs / 1000)).toFixed(1),
    'MB/s (CPU time)': (result.megabytes / (result.cpuMs / 1000)).toFixed(1),
    '× baseline': `${(result.wallMs / baseline.wallMs).toFixed(1)}×`,
    target,
  };
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
  const size = TRANSCRIPT_LIMITS.maxBytes - 1024;
  const vttText = sampleVtt(size);
  // The floor any parser pays, measured in the same run: splitting the file into lines.
  const baseline = measureParse(vttText, iterations, (text) => text.split('\n').length);
  const vtt = measureParse(vttText, iterations);
  const srt = measureParse(sampleSrt(size), iterations);
  const plain = measureParse(samplePlainText(size), iterations);
  const utterances = parseTranscript(vttText).utterances;

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
  console.log(
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  console.table([
    parseRow('baseline: split the WebVTT into lines', baseline, baseline, ''),
    parseRow('parse + normalise WebVTT', vtt, baseline, '≥ 50 MB/s'),
    parseRow('parse + normalise SRT', srt, baseline, ''),
    parseRow('parse + normalise plain text', plain, baseline, ''),
    {
      measure: 'summariser overhead (no model time)',
      input: `${chunkUtterances(utterances).length} chunks × 50 items verified, merged`,
      'median ms': summaryTimes[Math.floor(summaryTimes.length / 2)].toFixed(1),
      'MB/s': '',
      'MB/s (CPU time)': '',
      '× baseline': '',
      target: '',
    },
  ]);
}
