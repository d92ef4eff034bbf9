/**
 * Every supported transcript format, read from real-shaped samples (samples/) into utterances;
 * edge cases (BOM, CRLF, overlapping cues, malformed cues, size limits) and errors naming the line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../src/meetings/transcripts/parse-transcript.ts';
import { TRANSCRIPT_LIMITS } from '../../../src/meetings/transcripts/transcript-limits.ts';
import { TranscriptParseError } from '../../../src/meetings/transcripts/transcript-parse-error.ts';

function sample(name: string): string {
  return readFileSync(path.join(import.meta.dirname, 'samples', name), 'utf8');
}

function parseError(content: string): TranscriptParseError {
  try {
    parseTranscript(content);
  } catch (error) {
    if (error instanceof TranscriptParseError) return error;
    throw error;
  }
  throw new Error('expected the transcript to be refused');
}

describe('parseTranscript', () => {
  it('reads Teams WebVTT voice tags, decodes entities and orders overlapping cues by start', () => {
    const transcript = parseTranscript(sample('teams.vtt'));
    expect(transcript.format).toBe('webvtt');
    expect(transcript.speakers).toEqual(['Dana Lee', 'Sofia Ibrahim']);
    expect(transcript.utterances).toEqual([
      {
        speaker: 'Dana Lee',
        start: 1.2,
        end: 5.8,
        text: "Thanks for joining. Let's go over the pilot plan.",
      },
      {
        speaker: 'Sofia Ibrahim',
        start: 6,
        end: 11.5,
        text: 'We want the mobile check-in live in two hotels & the spa.',
      },
      { speaker: 'Dana Lee', start: 10.9, end: 14, text: 'Two hotels works for us.' },
      {
        speaker: 'Sofia Ibrahim',
        start: 14.5,
        end: 20,
        text: "I'll send the signed order form by March 5th.",
      },
    ]);
  });

  it('reads Zoom WebVTT with a BOM, CRLF line ends, "Name:" prefixes and multi-line cues', () => {
    const transcript = parseTranscript(sample('zoom-bom-crlf.vtt'));
    expect(transcript.format).toBe('webvtt');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: 0, end: 4, text: 'Hello from Zoom.' },
      { speaker: 'Sam Patel', start: 4.5, end: 7.25, text: 'Hi Dana, glad to be here.' },
      { speaker: null, start: 8, end: 9, text: 'no speaker on this one' },
    ]);
    expect(transcript.speakers).toEqual(['Dana Lee', 'Sam Patel']);
  });

  it('reads SRT with "Name:" and "[Name]" speakers and strips font tags', () => {
    const transcript = parseTranscript(sample('otter.srt'));
    expect(transcript.format).toBe('srt');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: 1, end: 4.5, text: 'We agreed on two hotels.' },
      { speaker: 'Sofia Ibrahim', start: 5, end: 8, text: 'Budget is approved for Q2.' },
      { speaker: null, start: 62.25, end: 65, text: 'Without a speaker.' },
    ]);
  });

  it('reads plain "Name:" turns, joining continuation lines; untimed turns keep null times', () => {
    const transcript = parseTranscript(sample('notes.txt'));
    expect(transcript.format).toBe('plain_text');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: null, end: null, text: 'Welcome everyone.' },
      {
        speaker: 'Sofia Ibrahim',
        start: null,
        end: null,
        text: 'Thanks. We need the pilot live before the conference.',
      },
      { speaker: 'Dana Lee', start: 130, end: 130, text: 'Noted.' },
    ]);
  });

  it('reads text turns that start with a bracketed time as text, not as a JSON array', () => {
    const transcript = parseTranscript('[00:00:05] Dana Lee: Hello.\n[00:01:10] Sam Patel: Hi,\nDana.\n');
    expect(transcript.format).toBe('plain_text');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: 5, end: 70, text: 'Hello.' },
      { speaker: 'Sam Patel', start: 70, end: 70, text: 'Hi, Dana.' },
    ]);
    expect(parseError('[1, 2').message).toContain('not valid JSON');
  });

  it('reads an Otter text export: each turn ends where the next starts', () => {
    const transcript = parseTranscript(sample('otter.txt'));
    expect(transcript.format).toBe('otter_text');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: 0, end: 7, text: 'Thanks everyone for joining today.' },
      { speaker: 'Sofia Ibrahim', start: 7, end: 3723, text: 'Happy to be here. Our budget is approved.' },
      { speaker: 'Dana Lee', start: 3723, end: 3723, text: "Great, let's wrap up." },
    ]);
  });

  it('reads Fireflies JSON (the GraphQL answer or the bare sentences) with attendee emails', () => {
    const transcript = parseTranscript(sample('fireflies.json'));
    expect(transcript.format).toBe('fireflies_json');
    expect(transcript.utterances[1]).toEqual({
      speaker: 'Sofia Ibrahim',
      start: 3.4,
      end: 6.05,
      text: 'Two hotels, starting in April.',
    });
    expect(transcript.speakerEmails).toEqual({ 'Sofia Ibrahim': 'sofia.ibrahim@harborviewhotels.example' });
    const bare = JSON.parse(sample('fireflies.json')).data.transcript.sentences;
    expect(parseTranscript(JSON.stringify(bare)).utterances).toHaveLength(2);
  });

  it('reads Google Meet transcript entries, naming speakers from the participants list', () => {
    const transcript = parseTranscript(sample('google-meet.json'));
    expect(transcript.format).toBe('google_meet_json');
    expect(transcript.startedAt).toBe('2027-03-01T15:00:02.500Z');
    expect(transcript.utterances).toEqual([
      { speaker: 'Dana Lee', start: 0, end: 2.5, text: 'Good morning, all.' },
      { speaker: 'Sofia Ibrahim', start: 3.5, end: 6.5, text: 'Morning! The contract is ready.' },
    ]);
  });

  it.each([
    [
      'a mangled WebVTT header',
      'WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nDana: hi\n',
      'line 1: expected a turn',
    ],
    [
      'a malformed cue timing',
      'WEBVTT\n\n00:00:01.000 --> 00:0x:04.000\nDana: hi\n',
      'line 3: malformed cue timing',
    ],
    [
      'a cue ending before it starts',
      'WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nDana: hi\n',
      'line 3: the cue ends before it starts',
    ],
    [
      'a block without a timing line',
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA: x\n\njust text\nmore\n',
      'line 8: expected a cue timing line',
    ],
    [
      'a missing blank line between cues',
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: x\n00:00:02.000 --> 00:00:03.000\n',
      'line 5: a cue timing line inside a cue',
    ],
    [
      'an SRT block without timing',
      '1\n00:00:01,000 --> 00:00:02,000\nA: x\n\n2\nnot a time\n',
      'line 6: expected a subtitle timing line',
    ],
    ['text before the first turn', 'Hello there\nDana: hi\n', 'line 1: expected a turn'],
    ['invalid JSON', '{"sentences": [', 'not valid JSON'],
    [
      'Fireflies sentences without times',
      '{"sentences":[{"speaker_name":"A","text":"x"}]}',
      'sentences[0].start_time',
    ],
    ['an empty file', '\n\n', 'no speech'],
  ])('refuses %s, naming where', (_name, content, message) => {
    expect(parseError(content).message).toContain(message);
  });

  it('enforces the stated size limits', () => {
    const huge = `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: ${'x'.repeat(TRANSCRIPT_LIMITS.maxBytes)}\n`;
    expect(parseError(huge).message).toContain(`limited to ${TRANSCRIPT_LIMITS.maxBytes} bytes`);
    const long = `A: ${'y'.repeat(TRANSCRIPT_LIMITS.maxUtteranceChars + 1)}`;
    expect(parseError(long).message).toContain(`the limit is ${TRANSCRIPT_LIMITS.maxUtteranceChars}`);
    const many = Array.from(
      { length: TRANSCRIPT_LIMITS.maxUtterances + 1 },
      (_, index) => `A: ${index}`,
    ).join('\n');
    expect(parseError(many).message).toContain(`the limit is ${TRANSCRIPT_LIMITS.maxUtterances}`);
  });

  it('reads one-line voice cues (the fast path) exactly as the general voice-span reading does', () => {
    const texts = [
      'Plain words.',
      'Pricing &amp; terms &lt;draft&gt; &quot;v2&quot; &apos;ok&apos;',
      'a &lrm; b',
      '&nbsp;edge&nbsp;',
      'tab\there',
      'two  spaces and\u00a0\u00a0nbsp',
      ' padded ',
      'unknown &foo; and a bare & sign',
      'a > b',
      '&amp;nbsp; stays literal',
    ];
    const cues = (tag: string) =>
      `WEBVTT\n\n${texts.map((text, index) => `${index + 1}\n00:00:0${index}.000 --> 00:00:0${index}.500 align:start\n<${tag} Dana Lee>${text}</v>`).join('\n\n')}\n`;
    // `<v.loud …>` never takes the one-line path: it is the reference reading.
    const fast = parseTranscript(cues('v')).utterances;
    const general = parseTranscript(cues('v.loud')).utterances;
    expect(fast).toEqual(general);
    expect(fast.map((utterance) => utterance.text)).toEqual([
      'Plain words.',
      'Pricing & terms <draft> "v2" \'ok\'',
      'a b',
      'edge',
      'tab here',
      'two spaces and nbsp',
      'padded',
      'unknown &foo; and a bare & sign',
      'a > b',
      '&nbsp; stays literal',
    ]);
    expect(fast[3]).toEqual({ speaker: 'Dana Lee', start: 3, end: 3.5, text: 'edge' });
  });

  it('reads cue timings with settings, commas and short forms; names the line of a bad one', () => {
    const transcript = parseTranscript(
      'WEBVTT\n\n00:00:01.250 --> 00:00:02.000 line:0 position:20%\nA: one\n\n00:03.000\t-->\t00:04.5\nA: two\n\n00:00:05,000 --> 00:00:06,000\nA: three\n',
    );
    expect(transcript.utterances.map(({ start, end }) => [start, end])).toEqual([
      [1.25, 2],
      [3, 4.5],
      [5, 6],
    ]);
    // Three-digit hours and two-digit fractions fit the standard layout's width but not its shape.
    const long = parseTranscript(
      '1\n100:00:01,50 --> 100:00:02,00\nDana: late\n\n2\n0:01:02 --> 0:01:03\nDana: short\n',
    );
    expect(long.format).toBe('srt');
    expect(long.utterances.map(({ start, end }) => [start, end])).toEqual([
      [62, 63],
      [360001.5, 360002],
    ]);
    expect(parseError('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000x\n<v A>hi</v>\n').message).toContain(
      'line 4: malformed cue timing',
    );
    expect(parseError('WEBVTT\n\n00:00:01.000 --> 00:61:02.000\nA: hi\n').message).toContain(
      'line 3: malformed cue timing',
    );
    expect(parseError('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>x --> &amp;</v>\n').message).toContain(
      'line 4: a cue timing line inside a cue',
    );
  });

  it('lets the caller force a format', () => {
    expect(() => parseTranscript('Dana: hi', 'webvtt')).toThrow('line 1: a WebVTT file starts with "WEBVTT"');
    expect(() => parseTranscript('\nIntro text\nDana Lee  0:00\nHi', 'otter_text')).toThrow(
      'line 2: expected an Otter turn header',
    );
  });
});
