import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

describe('POST with the _HttpMethod override', () => {
  it('updates a record with POST ?_HttpMethod=PATCH', async () => {
    const id = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Override Co' } })).body
      .id;
    const result = await org.api(`/sobjects/Account/${id}?_HttpMethod=PATCH`, {
      method: 'POST',
      body: { Name: 'Override Co Renamed' },
    });
    expect(result.status).toBe(204);
    expect(org.emulator.org.store.get('Account', id)?.Name).toBe('Override Co Renamed');
  });

  it('deletes a record with POST ?_HttpMethod=DELETE', async () => {
    const id = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Override Delete Co' } }))
      .body.id;
    const result = await org.api(`/sobjects/Account/${id}?_HttpMethod=DELETE`, { method: 'POST' });
    expect(result.status).toBe(204);
    expect(org.emulator.org.store.get('Account', id)?.IsDeleted).toBe(true);
  });

  it('applies conditional headers to an overridden PATCH', async () => {
    const id = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Override Guard Co' } }))
      .body.id;
    const refused = await org.api(`/sobjects/Account/${id}?_HttpMethod=PATCH`, {
      method: 'POST',
      body: { Name: 'Stale' },
      headers: { 'If-Match': '"old"' },
    });
    expect(refused.status).toBe(412);
    expect(org.emulator.org.store.get('Account', id)?.Name).toBe('Override Guard Co');
  });

  it('leaves a GET alone: the override only applies to POST', async () => {
    const id = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Override Get Co' } }))
      .body.id;
    const result = await org.api(`/sobjects/Account/${id}?_HttpMethod=DELETE`);
    expect(result.status).toBe(200);
    expect(org.emulator.org.store.get('Account', id)?.IsDeleted).toBe(false);
  });
});
