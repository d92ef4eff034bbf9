/**
 * `POST /api/meetings/import` (the web app's Import dialog): the import file format, every
 * problem reported by path, nothing stored unless the whole file is valid; and the meetings list
 * the web app shows (participants' names, how many items were sent).
 */
import { describe, expect, it } from 'vitest';
import { useServiceWithBob } from '../connections/service-with-bob.ts';
import { connect, logIn } from '../support/connections.ts';
import { sendItem } from './support.ts';

function meeting(title: string) {
  return {
    title,
    startTime: '2027-03-01T15:00:00Z',
    endTime: '2027-03-01T15:30:00Z',
    participants: [
      { name: 'Bob Member', email: 'bob@forcefield.demo', internal: true },
      { name: 'Sofia Ibrahim', email: 'sofia.ibrahim@harborviewhotels.example', internal: false },
    ],
    items: [
      { kind: 'decision', text: 'Harborview pilots the mobile check-in.' },
      { kind: 'task', text: 'Send the pilot plan.', dueDate: '2027-03-05' },
    ],
  };
}

describe('importing meetings over HTTP', () => {
  const world = useServiceWithBob();

  async function titles(): Promise<string[]> {
    const listed = await world.bob.call('GET', '/api/meetings');
    return listed.body.meetings.map((entry: { title: string }) => entry.title);
  }

  it('lists every problem by path and imports nothing when anything is wrong', async () => {
    const before = await titles();
    const broken = meeting('Broken import');
    const file = {
      meetings: [
        meeting('Valid but in a bad file'),
        { ...broken, endTime: 'half past three', items: [{ kind: 'gossip', text: 'x' }] },
      ],
    };
    const answer = await world.bob.call('POST', '/api/meetings/import', file);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_meetings');
    const paths = answer.body.error.details.errors.map((problem: { path: string }) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['meetings[1].endTime', 'meetings[1].items[0].kind']));
    expect(await titles()).toEqual(before);
  });

  it('refuses a document that is neither shape', async () => {
    const answer = await world.bob.call('POST', '/api/meetings/import', [meeting('In an array')]);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.errors).toEqual([
      { path: '', message: 'expected a meeting object or an object with a "meetings" array' },
    ]);
  });

  it('imports one meeting or a list, visible to the importer, and audits it', async () => {
    const single = await world.bob.call('POST', '/api/meetings/import', meeting('Single import'));
    expect(single.status).toBe(201);
    expect(single.body.meetings).toEqual([{ id: expect.any(String), title: 'Single import' }]);
    const list = await world.bob.call('POST', '/api/meetings/import', {
      meetings: [meeting('List import one'), meeting('List import two')],
    });
    expect(list.status).toBe(201);
    expect(list.body.meetings.map((entry: { title: string }) => entry.title)).toEqual([
      'List import one',
      'List import two',
    ]);
    expect(await titles()).toEqual(
      expect.arrayContaining(['Single import', 'List import one', 'List import two']),
    );
    const alice = await logIn(world.test.service.url, 'alice@forcefield.demo');
    const audit = await alice.call('GET', '/api/audit?action=meeting.imported');
    expect(audit.body.events[0]).toMatchObject({
      outcome: 'success',
      surface: 'web',
      detail: { meetings: 2 },
    });
  });

  it('lists participants by name and counts the items sent to Salesforce', async () => {
    const imported = await world.bob.call('POST', '/api/meetings/import', meeting('Counted sends'));
    const meetingId = imported.body.meetings[0].id as string;
    const listed = async () =>
      (await world.bob.call('GET', '/api/meetings')).body.meetings.find(
        (entry: { id: string }) => entry.id === meetingId,
      );
    expect(await listed()).toMatchObject({
      participants: ['Bob Member', 'Sofia Ibrahim'],
      participantCount: 2,
      itemCount: 2,
      sentItemCount: 0,
    });

    const connectionId = await connect(world.bob, world.emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    const view = await world.bob.call('GET', `/api/meetings/${meetingId}`);
    const itemId = view.body.meeting.items[0].id as string;
    const form = await world.bob.call(
      'GET',
      `/api/meetings/${meetingId}/items/${itemId}/form?kind=task&connectionId=${connectionId}`,
    );
    const values = Object.fromEntries(
      form.body.form.fields.map((field: { name: string; value: unknown }) => [field.name, field.value]),
    );
    const suggestions = await world.bob.call(
      'GET',
      `/api/meetings/${meetingId}/suggestions?connectionId=${connectionId}`,
    );
    const record = suggestions.body.suggestions[0];
    // Sent twice (allowed, explicit): still one item sent.
    for (let attempt = 0; attempt < 2; attempt++) {
      const sent = await sendItem(world.bob, meetingId, itemId, {
        connectionId,
        kind: 'task',
        values,
        records: [{ type: record.type, id: record.id }],
      });
      expect(sent.status).toBe(201);
    }
    expect(await listed()).toMatchObject({ itemCount: 2, sentItemCount: 1 });
  });
});
