/**
 * Transcripts over HTTP: preview the speakers before anything is stored, import (meeting and
 * transcript in one go), errors naming the line with nothing imported, and deletion with the meeting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServiceWithBob } from '../../connections/service-with-bob.ts';

const teams = readFileSync(path.join(import.meta.dirname, 'samples', 'teams.vtt'), 'utf8');
const participants = [
  { name: 'Bob Member', email: 'bob@forcefield.demo', internal: true },
  { name: 'Sofia Ibrahim', email: 'sofia.ibrahim@harborviewhotels.example', internal: false },
];

describe('transcript import over HTTP', () => {
  const world = useServiceWithBob();

  async function meetingCount(): Promise<number> {
    return (await world.bob.call('GET', '/api/meetings')).body.meetings.length;
  }

  it('previews the detected speakers and who they are, storing nothing', async () => {
    const before = await meetingCount();
    const answer = await world.bob.call('POST', '/api/meetings/transcripts/preview', {
      transcript: { content: teams, fileName: 'pilot.vtt' },
      participants,
    });
    expect(answer.body.error).toBeUndefined();
    expect(answer.body.preview).toMatchObject({
      format: 'webvtt',
      utteranceCount: 4,
      durationSeconds: 18.8,
      speakers: [
        { speaker: 'Dana Lee', participant: null, utterances: 2 },
        {
          speaker: 'Sofia Ibrahim',
          participant: { email: 'sofia.ibrahim@harborviewhotels.example' },
          matchedBy: 'name',
          utterances: 2,
        },
      ],
    });
    expect(await meetingCount()).toBe(before);
  });

  it('imports a meeting with its transcript, and deletes the transcript with the meeting', async () => {
    const imported = await world.bob.call('POST', '/api/meetings/transcripts', {
      startTime: '2027-03-01T15:00:00Z',
      participants,
      transcript: { content: teams, fileName: 'Harborview pilot.vtt' },
    });
    expect(imported.status).toBe(201);
    const id = imported.body.meeting.id as string;
    expect(imported.body.meeting.title).toBe('Harborview pilot');
    const view = await world.bob.call('GET', `/api/meetings/${id}`);
    expect(view.body.meeting).toMatchObject({
      endTime: '2027-03-01T15:01:00.000Z',
      transcript: { format: 'webvtt', fileName: 'Harborview pilot.vtt', utteranceCount: 4 },
      summary: null,
    });
    const transcript = await world.bob.call('GET', `/api/meetings/${id}/transcript`);
    expect(transcript.body.transcript.utterances[3].text).toBe(
      "I'll send the signed order form by March 5th.",
    );

    expect((await world.bob.call('DELETE', `/api/meetings/${id}`)).status).toBe(200);
    const rows = await world.test.service.store.db
      .selectFrom('meeting_transcripts')
      .select('meeting_id')
      .where('meeting_id', '=', id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses a bad file naming the line, and imports nothing', async () => {
    const before = await meetingCount();
    const answer = await world.bob.call('POST', '/api/meetings/transcripts', {
      startTime: '2027-03-01T15:00:00Z',
      transcript: { content: 'WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n<v A>hi</v>\n', fileName: 'bad.vtt' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'invalid_transcript',
      message: expect.stringContaining('bad.vtt: line 3: malformed cue timing'),
      details: { line: 3 },
    });
    expect(await meetingCount()).toBe(before);
  });

  it('needs a start time unless the transcript has clock times, and reads Google Meet times', async () => {
    const untimed = await world.bob.call('POST', '/api/meetings/transcripts', {
      transcript: { content: teams },
    });
    expect(untimed.status).toBe(400);
    expect(untimed.body.error.message).toContain('startTime');
    const meet = readFileSync(path.join(import.meta.dirname, 'samples', 'google-meet.json'), 'utf8');
    const imported = await world.bob.call('POST', '/api/meetings/transcripts', {
      title: 'Meet call',
      transcript: { content: meet },
    });
    expect(imported.status).toBe(201);
    const view = await world.bob.call('GET', `/api/meetings/${imported.body.meeting.id}`);
    expect(view.body.meeting.startTime).toBe('2027-03-01T15:00:02.500Z');
  });

  it('accepts transcripts above the JSON body limit up to the stated transcript limit', async () => {
    const cue = (index: number) =>
      `${index}\n00:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.000 --> 00:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.500\n<v Sofia Ibrahim>We discussed the rollout plan for item ${index} in detail today.</v>\n`;
    const content = `WEBVTT\n\n${Array.from({ length: 3000 }, (_, index) => cue(index)).join('\n')}`;
    expect(content.length).toBeGreaterThan(256 * 1024);
    const imported = await world.bob.call('POST', '/api/meetings/transcripts', {
      startTime: '2027-03-01T15:00:00Z',
      participants,
      transcript: { content },
    });
    expect(imported.status).toBe(201);
    expect(imported.body.transcript.utteranceCount).toBe(3000);
  });
});
