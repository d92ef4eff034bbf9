import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatIssuePath,
  meetingJsonSchema,
  parseMeeting,
  parseMeetingImportFile,
} from '../../src/meetings/meeting-format.ts';
import { sampleMeeting } from './fixtures.ts';

const SCHEMA_FILE = new URL('../../docs/meeting.schema.json', import.meta.url);

describe('meeting format', () => {
  it('docs/meeting.schema.json is the schema generated from the code', () => {
    const generated = meetingJsonSchema();
    // FORCEFIELD_WRITE_SCHEMA=1 npx vitest run test/meetings/meeting-format.test.ts regenerates the file.
    if (process.env.FORCEFIELD_WRITE_SCHEMA === '1') {
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);
    }
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generated);
  });

  it('publishes the shapes, required fields and enums', () => {
    const schema = meetingJsonSchema() as {
      $defs: Record<string, { required: string[]; properties: Record<string, { enum?: string[] }> }>;
    };
    expect(schema.$defs.Meeting.required).toEqual(['title', 'startTime', 'endTime', 'participants', 'items']);
    expect(schema.$defs.MeetingItem.required).toEqual(['kind', 'text']);
    expect(schema.$defs.MeetingItem.properties.kind.enum).toEqual([
      'insight',
      'decision',
      'next_step',
      'task',
    ]);
    expect(schema.$defs.Participant.required).toEqual(['name', 'email', 'internal']);
  });

  it('accepts a meeting, a single-meeting file and a list file', () => {
    const meeting = sampleMeeting();
    expect(parseMeeting(meeting)).toEqual({ ok: true, value: meeting });
    expect(parseMeetingImportFile(meeting)).toEqual({ ok: true, value: [meeting] });
    const list = parseMeetingImportFile({ $schema: './meeting.schema.json', meetings: [meeting, meeting] });
    expect(list.ok && list.value.length).toBe(2);
  });

  it('accepts offsets in times and trims text', () => {
    const result = parseMeeting({
      ...sampleMeeting(),
      startTime: '2027-02-01T16:00:00+01:00',
      endTime: '2027-02-01T16:30:00.000+01:00',
      items: [{ kind: 'task', text: '  Call Dana  ' }],
    });
    expect(result.ok && result.value.items[0].text).toBe('Call Dana');
  });

  it('names the path of every problem', () => {
    const result = parseMeetingImportFile({
      meetings: [
        sampleMeeting(),
        {
          ...sampleMeeting(),
          title: '',
          participants: [{ name: 'Dana', email: 'not-an-email', internal: 'no' }],
          items: [
            { kind: 'follow_up', text: 'x' },
            { kind: 'task', text: '', dueDate: '2027-02-30' },
            { kind: 'task', text: 'x'.repeat(5001) },
            { kind: 'task', text: 'ok', colour: 'red' },
          ],
        },
      ],
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((error) => error.path);
    expect(paths).toEqual([
      'meetings[1].title',
      'meetings[1].participants[0].email',
      'meetings[1].participants[0].internal',
      'meetings[1].items[0].kind',
      'meetings[1].items[1].text',
      'meetings[1].items[1].dueDate',
      'meetings[1].items[2].text',
      'meetings[1].items[3]',
    ]);
    if (!result.ok) expect(result.errors.at(-1)?.message).toMatch(/colour/);
  });

  it('requires the end after the start and unique item ids', () => {
    const result = parseMeeting({
      ...sampleMeeting(),
      endTime: '2027-02-01T15:00:00Z',
      items: [
        { id: 'a', kind: 'task', text: 'one' },
        { id: 'a', kind: 'task', text: 'two' },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'endTime', message: 'must be after startTime' },
        { path: 'items[1].id', message: 'duplicate item id "a"' },
      ],
    });
  });

  it('refuses what is neither shape', () => {
    expect(parseMeetingImportFile([sampleMeeting()])).toMatchObject({ ok: false, errors: [{ path: '' }] });
    expect(parseMeetingImportFile({ meetings: [] })).toMatchObject({
      ok: false,
      errors: [{ path: 'meetings' }],
    });
  });

  it('formats paths', () => {
    expect(formatIssuePath(['meetings', 0, 'items', 12, 'dueDate'])).toBe('meetings[0].items[12].dueDate');
    expect(formatIssuePath([])).toBe('');
  });
});
