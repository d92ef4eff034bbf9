import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg();
  for (const name of ['Count One', 'Count Two', 'Count Three']) {
    await org.api('/sobjects/Account', { method: 'POST', body: { Name: name } });
  }
  await org.api('/sobjects/Contact', { method: 'POST', body: { LastName: 'Counted' } });
});

afterAll(async () => {
  await org.emulator.stop();
});

describe('limits/recordCount', () => {
  it('counts the live records of the objects asked for, in the order asked', async () => {
    const result = await org.api('/limits/recordCount?sObjects=Contact,account');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      sObjects: [
        { count: 1, name: 'Contact' },
        { count: 3, name: 'Account' },
      ],
    });
  });

  it('leaves deleted records out and ignores unknown objects', async () => {
    const created = await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Count Gone' } });
    await org.api(`/sobjects/Account/${created.body.id}`, { method: 'DELETE' });
    const result = await org.api('/limits/recordCount?sObjects=Account,NoSuchObject');
    expect(result.body).toEqual({ sObjects: [{ count: 3, name: 'Account' }] });
  });

  it('lists every object without sObjects', async () => {
    const result = await org.api('/limits/recordCount');
    const names = result.body.sObjects.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'User']));
    expect(result.body.sObjects.find((entry: { name: string }) => entry.name === 'Lead').count).toBe(0);
  });
});
