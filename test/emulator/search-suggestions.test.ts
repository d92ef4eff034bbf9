import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg();
  for (const name of [
    'National Utility',
    'National Urban Company',
    'First National University',
    'National Company Utility',
    'Internationals Unlimited',
    '東京商事',
  ]) {
    await org.api('/sobjects/Account', { method: 'POST', body: { Name: name } });
  }
  await org.api('/sobjects/Contact', { method: 'POST', body: { FirstName: 'Nat', LastName: 'Nationwide' } });
});

afterAll(async () => {
  await org.emulator.stop();
});

function suggest(query: string) {
  return org.api(`/search/suggestions?${query}`);
}

describe('search/suggestions', () => {
  it('suggests records whose name holds the words in order, the last as a prefix', async () => {
    const result = await suggest('q=national%20u&sobject=Account');
    expect(result.status).toBe(200);
    expect(result.body.hasMoreResults).toBe(false);
    const names = result.body.autoSuggestResults.map((entry: { Name: string }) => entry.Name);
    expect(names.sort()).toEqual(['First National University', 'National Urban Company', 'National Utility']);
    expect(result.body.autoSuggestResults[0]).toEqual({
      attributes: {
        type: 'Account',
        url: expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Account\/001/),
      },
      Id: expect.stringMatching(/^001/),
      Name: expect.any(String),
    });
  });

  it('does not match inside a word, and drops quotes and wildcards from q', async () => {
    const result = await suggest(`q=${encodeURIComponent('"nation*"')}&sobject=Account`);
    const names = result.body.autoSuggestResults.map((entry: { Name: string }) => entry.Name);
    expect(names).not.toContain('Internationals Unlimited');
    expect(names).toHaveLength(4);
  });

  it('returns 5 by default, honours limit and says when there are more', async () => {
    const limited = await suggest('q=nat&sobject=Account&limit=2');
    expect(limited.body.autoSuggestResults).toHaveLength(2);
    expect(limited.body.hasMoreResults).toBe(true);
  });

  it('searches several objects and adds the fields asked for', async () => {
    const result = await suggest('q=nat&sobject=Contact,Account&limit=10&fields=CreatedDate');
    const contact = result.body.autoSuggestResults.find(
      (entry: { attributes: { type: string } }) => entry.attributes.type === 'Contact',
    );
    expect(contact).toMatchObject({ Name: 'Nat Nationwide', CreatedDate: expect.any(String) });
  });

  it('suggests nothing under the minimum length (3, or 1 for Chinese, Japanese, Korean)', async () => {
    const short = await suggest('q=na&sobject=Account');
    expect(short.status).toBe(200);
    expect(short.body).toEqual({ autoSuggestResults: [], hasMoreResults: false });
    const japanese = await suggest(`q=${encodeURIComponent('東')}&sobject=Account`);
    expect(japanese.body.autoSuggestResults.map((entry: { Name: string }) => entry.Name)).toEqual([
      '東京商事',
    ]);
  });

  it('refuses a query over 255 characters, a missing sobject and an unknown one', async () => {
    const long = await suggest(`q=${'a'.repeat(256)}&sobject=Account`);
    expect(long.status).toBe(400);
    expect(long.body[0].errorCode).toBe('INVALID_SEARCH');
    const missing = await suggest('q=national');
    expect(missing.status).toBe(400);
    expect(missing.body[0].errorCode).toBe('MISSING_ARGUMENT');
    const unknown = await suggest('q=national&sobject=Nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body[0].errorCode).toBe('INVALID_TYPE');
  });
});
