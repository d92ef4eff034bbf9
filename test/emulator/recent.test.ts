import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;
let connection: jsforce.Connection;

beforeAll(async () => {
  org = await startTestOrg();
  connection = new jsforce.Connection({ instanceUrl: org.url, accessToken: org.token, version: API_VERSION });
});

afterAll(async () => {
  await org.emulator.stop();
});

async function create(type: string, body: Record<string, unknown>): Promise<string> {
  return (await org.api(`/sobjects/${type}`, { method: 'POST', body })).body.id;
}

describe('recently viewed records', () => {
  it('lists records read, created and updated through the API, newest first', async () => {
    const first = await create('Account', { Name: 'Recent First' });
    const second = await create('Contact', { LastName: 'Recent Second' });
    const third = await create('Account', { Name: 'Recent Third' });
    await org.api(`/sobjects/Account/${first}`);
    await org.api(`/sobjects/Account/${third}`, { method: 'PATCH', body: { Phone: '555' } });
    const result = await org.api('/recent');
    expect(result.status).toBe(200);
    expect(result.body.slice(0, 3)).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${third}` },
        Id: third,
        Name: 'Recent Third',
      },
      {
        attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${first}` },
        Id: first,
        Name: 'Recent First',
      },
      {
        attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${second}` },
        Id: second,
        Name: 'Recent Second',
      },
    ]);
  });

  it('honours limit, leaves deleted records out, and works through jsforce', async () => {
    const gone = await create('Account', { Name: 'Recent Gone' });
    await org.api(`/sobjects/Account/${gone}`, { method: 'DELETE' });
    const limited = await org.api('/recent?limit=1');
    expect(limited.body).toHaveLength(1);
    expect(limited.body[0].Id).not.toBe(gone);
    const viaJsforce = await connection.recent(2);
    expect(viaJsforce).toHaveLength(2);
    expect(viaJsforce[0]).toMatchObject({ Id: limited.body[0].Id });
  });

  it("lists an object's recent items in sobjects/T", async () => {
    const id = await create('Lead', { LastName: 'Recent Lead', Company: 'Recent Corp' });
    const result = await org.api('/sobjects/Lead');
    expect(result.body.recentItems[0]).toMatchObject({ Id: id, Name: 'Recent Lead' });
    expect(
      result.body.recentItems.every(
        (item: { attributes: { type: string } }) => item.attributes.type === 'Lead',
      ),
    ).toBe(true);
  });

  it('keeps each user their own list, and refuses a bad limit', async () => {
    const bobId = org.emulator.org.userIdByUsername('bob@acme.demo')!;
    const bobToken = org.emulator.org.tokens.issueAccessToken(bobId, 'forcefield-demo', ['api']).token;
    const response = await fetch(`${org.dataUrl}/recent`, {
      headers: { Authorization: `Bearer ${bobToken}` },
    });
    expect(await response.json()).toEqual([]);
    expect((await org.api('/recent?limit=zero')).status).toBe(400);
  });
});
