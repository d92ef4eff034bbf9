import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;
let accountId: string;
let contactIds: string[];
let orphanId: string;

beforeAll(async () => {
  org = await startTestOrg();
  accountId = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Traversal Co' } })).body
    .id;
  contactIds = [];
  for (const lastName of ['Alpha', 'Beta']) {
    const created = await org.api('/sobjects/Contact', {
      method: 'POST',
      body: { LastName: lastName, AccountId: accountId },
    });
    contactIds.push(created.body.id);
  }
  orphanId = (await org.api('/sobjects/Contact', { method: 'POST', body: { LastName: 'Orphan' } })).body.id;
});

afterAll(async () => {
  await org.emulator.stop();
});

describe('relationship traversal URLs', () => {
  it('answers the parent record for a lookup relationship', async () => {
    const result = await org.api(`/sobjects/Contact/${contactIds[0]}/Account`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${accountId}` },
      Id: accountId,
      Name: 'Traversal Co',
    });
    const narrowed = await org.api(`/sobjects/Contact/${contactIds[0]}/account?fields=Name`);
    expect(Object.keys(narrowed.body)).toEqual(['attributes', 'Name']);
  });

  it('answers the children of a child relationship in the query result shape', async () => {
    const result = await org.api(`/sobjects/Account/${accountId}/Contacts?fields=LastName`);
    expect(result.status).toBe(200);
    expect(result.body.totalSize).toBe(2);
    expect(result.body.done).toBe(true);
    expect(result.body.records).toEqual(
      contactIds.map((id, index) => ({
        attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${id}` },
        LastName: ['Alpha', 'Beta'][index],
      })),
    );
    const none = await org.api(`/sobjects/Account/${accountId}/Opportunities`);
    expect(none.body).toEqual({ totalSize: 0, done: true, records: [] });
  });

  it('answers 404 for an empty lookup, an unknown relationship and an unknown record', async () => {
    const empty = await org.api(`/sobjects/Contact/${orphanId}/Account`);
    expect(empty.status).toBe(404);
    expect(empty.body[0].errorCode).toBe('NOT_FOUND');
    expect((await org.api(`/sobjects/Contact/${contactIds[0]}/Nothing`)).status).toBe(404);
    expect((await org.api('/sobjects/Account/001000000000000AAA/Contacts')).status).toBe(404);
  });

  it('answers INVALID_FIELD for an unknown field in fields=', async () => {
    const result = await org.api(`/sobjects/Account/${accountId}/Contacts?fields=Nope`);
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('INVALID_FIELD');
  });
});
