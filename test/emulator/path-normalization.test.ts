import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg({ seed: 'demo' });

async function get(path: string): Promise<Response> {
  return fetch(`${org.url}${path}`, { headers: { Authorization: `Bearer ${org.token}` } });
}

describe('path normalisation (Salesforce front end)', () => {
  it('answers a doubled leading slash as the plain path (the sf CLI stores instance URLs with a trailing slash)', async () => {
    const response = await get('//services/data/v66.0/query?q=SELECT+Id+FROM+Account+LIMIT+1');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { records: unknown[] };
    expect(body.records).toHaveLength(1);
  });

  it('collapses runs of slashes inside the path', async () => {
    const response = await get('/services//data///v66.0//sobjects//Account/describe');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name: string }).name).toBe('Account');
  });

  it('ignores a trailing slash on resources and on the versions list', async () => {
    const resource = await get('/services/data/v66.0/sobjects/');
    expect(resource.status).toBe(200);
    expect(((await resource.json()) as { sobjects: unknown[] }).sobjects.length).toBeGreaterThan(5);
    const versions = await fetch(`${org.url}//services/data/`);
    expect(versions.status).toBe(200);
  });

  it('tolerates slashes on the OAuth endpoints too', async () => {
    const response = await fetch(`${org.url}//services/oauth2/token/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=nobody',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
  });

  it('still answers 404 NOT_FOUND for a path that does not exist after normalisation', async () => {
    const response = await get('//services/data/v66.0/nothing-here/');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });
});
