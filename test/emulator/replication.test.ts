import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/index.ts';
import { API_VERSION, startTestOrg, type TestOrg } from '../support/emulator.ts';

const clock = new ManualClock(Date.parse('2026-03-10T10:00:00.000Z'));
let org: TestOrg;
let connection: jsforce.Connection;
const ids: Record<string, string> = {};

async function create(name: string): Promise<string> {
  const result = await org.api('/sobjects/Account', { method: 'POST', body: { Name: name } });
  return result.body.id;
}

beforeAll(async () => {
  org = await startTestOrg({ clock });
  connection = new jsforce.Connection({ instanceUrl: org.url, accessToken: org.token, version: API_VERSION });
  clock.set(Date.parse('2026-03-10T10:01:30.000Z'));
  ids.early = await create('Replicated Early');
  ids.deletedLater = await create('Replicated Deleted');
  clock.set(Date.parse('2026-03-10T10:05:10.000Z'));
  ids.late = await create('Replicated Late');
  await org.api(`/sobjects/Account/${ids.early}`, { method: 'PATCH', body: { Phone: '555-0100' } });
  clock.set(Date.parse('2026-03-10T10:07:00.000Z'));
  await org.api(`/sobjects/Account/${ids.deletedLater}`, { method: 'DELETE' });
  clock.set(Date.parse('2026-03-10T10:20:00.000Z'));
});

afterAll(async () => {
  await org.emulator.stop();
});

describe('sobjects/T/updated and sobjects/T/deleted', () => {
  it('lists records created or changed in the window by SystemModstamp, ignoring seconds', async () => {
    const result = await org.api(
      '/sobjects/Account/updated/?start=2026-03-10T10:05:59Z&end=2026-03-10T10:06:00Z',
    );
    expect(result.status).toBe(200);
    // The window is 10:05–10:06: the later create and the update of the early one, not the deleted one.
    expect(result.body).toEqual({
      ids: expect.arrayContaining([ids.late, ids.early]),
      latestDateCovered: '2026-03-10T10:06:00.000+0000',
    });
    expect(result.body.ids).toHaveLength(2);
    const earlier = await org.api(
      '/sobjects/Account/updated/?start=2026-03-10T10:00:00Z&end=2026-03-10T10:02:00Z',
    );
    expect(earlier.body.ids).toEqual([]);
  });

  it('accepts the documented +00:00 offset even unencoded, and covers no later than now', async () => {
    const result = await org.api(
      '/sobjects/Account/updated/?start=2026-03-10T10:00:00+00:00&end=2026-03-11T00:00:00+00:00',
    );
    expect(result.status).toBe(200);
    expect(result.body.latestDateCovered).toBe('2026-03-10T10:20:00.000+0000');
    expect(result.body.ids).toEqual(expect.arrayContaining([ids.late, ids.early]));
    expect(result.body.ids).not.toContain(ids.deletedLater);
  });

  it('lists deleted records with their deletion time', async () => {
    const result = await org.api(
      '/sobjects/Account/deleted/?start=2026-03-10T10:00:00Z&end=2026-03-10T11:00:00Z',
    );
    expect(result.status).toBe(200);
    expect(result.body.deletedRecords).toEqual([
      { id: ids.deletedLater, deletedDate: '2026-03-10T10:07:00.000+0000' },
    ]);
    expect(result.body.earliestDateAvailable).toBe('2026-03-10T10:00:00.000+0000');
    expect(result.body.latestDateCovered).toBe('2026-03-10T10:20:00.000+0000');
  });

  it('works through jsforce', async () => {
    const updated = await connection
      .sobject('Account')
      .updated('2026-03-10T10:00:00Z', '2026-03-10T10:10:00Z');
    expect(updated.ids).toEqual(expect.arrayContaining([ids.early, ids.late]));
    const deleted = await connection
      .sobject('Account')
      .deleted('2026-03-10T10:00:00Z', '2026-03-10T10:10:00Z');
    expect(deleted.deletedRecords.map((record) => record.id)).toEqual([ids.deletedLater]);
  });

  it('refuses a start that does not precede the end (within the same minute too)', async () => {
    for (const query of [
      'start=2026-03-10T10:05:00Z&end=2026-03-10T10:00:00Z',
      'start=2026-03-10T10:05:10Z&end=2026-03-10T10:05:50Z',
    ]) {
      const result = await org.api(`/sobjects/Account/updated/?${query}`);
      expect(result.status).toBe(400);
      expect(result.body).toEqual([{ errorCode: 'INVALID_REPLICATION_DATE', message: expect.any(String) }]);
    }
  });

  it('reaches back 30 days for updated and 15 for deleted', async () => {
    const updated = await org.api(
      '/sobjects/Account/updated/?start=2026-02-01T00:00:00Z&end=2026-03-10T00:00:00Z',
    );
    expect(updated.status).toBe(400);
    expect(updated.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
    expect(
      (await org.api('/sobjects/Account/updated/?start=2026-02-20T00:00:00Z&end=2026-03-10T00:00:00Z'))
        .status,
    ).toBe(200);
    const deleted = await org.api(
      '/sobjects/Account/deleted/?start=2026-02-20T00:00:00Z&end=2026-03-10T00:00:00Z',
    );
    expect(deleted.status).toBe(400);
    expect(deleted.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('answers 400 for a missing or malformed date and 404 for an unknown object', async () => {
    const missing = await org.api('/sobjects/Account/updated/?start=2026-03-10T10:00:00Z');
    expect(missing.status).toBe(400);
    expect(missing.body[0].errorCode).toBe('MISSING_ARGUMENT');
    const malformed = await org.api('/sobjects/Account/deleted/?start=yesterday&end=2026-03-10T10:00:00Z');
    expect(malformed.status).toBe(400);
    expect(malformed.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
    expect(
      (await org.api('/sobjects/Nope/updated/?start=2026-03-10T10:00:00Z&end=2026-03-10T11:00:00Z')).status,
    ).toBe(404);
  });
});
