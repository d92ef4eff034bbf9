import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/index.ts';
import { useTestOrg } from '../support/emulator.ts';

const clock = new ManualClock(Date.parse('2026-03-02T10:00:00.000Z'));

const org = useTestOrg({ clock });

async function newAccount(name: string): Promise<string> {
  const created = await org.api('/sobjects/Account', { method: 'POST', body: { Name: name } });
  expect(created.status).toBe(201);
  return created.body.id;
}

function storedName(id: string): unknown {
  return org.emulator.org.store.get('Account', id)?.Name;
}

/** PATCHes the account `id` with conditional-request `headers`. */
function patchAccount(id: string, body: Record<string, unknown>, headers: Record<string, string>) {
  return org.api(`/sobjects/Account/${id}`, { method: 'PATCH', body, headers });
}

describe('conditional requests on sObject rows', () => {
  it('answers a record read with an ETag and Last-Modified that change when the record does', async () => {
    const id = await newAccount('Etag Co');
    const first = await org.api(`/sobjects/Account/${id}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9+/=]+"$/);
    expect(first.headers.get('last-modified')).toBe('Mon, 02 Mar 2026 10:00:00 GMT');
    expect((await org.api(`/sobjects/Account/${id}`)).headers.get('etag')).toBe(etag);

    clock.advance(5_000);
    await org.api(`/sobjects/Account/${id}`, { method: 'PATCH', body: { Phone: '555-0100' } });
    const after = await org.api(`/sobjects/Account/${id}`);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.headers.get('last-modified')).toBe('Mon, 02 Mar 2026 10:00:05 GMT');
  });

  it('answers 304 without a body for If-None-Match naming the current ETag, 200 otherwise', async () => {
    const id = await newAccount('None Match Co');
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    const cached = await org.api(`/sobjects/Account/${id}`, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.body).toBeUndefined();
    expect(cached.headers.get('etag')).toBe(etag);
    // Salesforce's own tags carry -gzip when it compressed the answer; they name the same version.
    const gzipTag = `${etag.slice(0, -1)}-gzip"`;
    expect((await org.api(`/sobjects/Account/${id}`, { headers: { 'If-None-Match': gzipTag } })).status).toBe(
      304,
    );
    const stale = await org.api(`/sobjects/Account/${id}`, {
      headers: { 'If-None-Match': '"stale", "older"' },
    });
    expect(stale.status).toBe(200);
    expect(stale.body.Name).toBe('None Match Co');
  });

  it('answers HEAD with the validators and no body, and 304 for a current If-None-Match', async () => {
    const id = await newAccount('Head Co');
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    const head = await org.api(`/sobjects/Account/${id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(head.headers.get('etag')).toBe(etag);
    expect(
      (await org.api(`/sobjects/Account/${id}`, { method: 'HEAD', headers: { 'If-None-Match': etag } }))
        .status,
    ).toBe(304);
  });

  it('answers 304 for If-Modified-Since at or after the last change, 200 before it', async () => {
    const id = await newAccount('Modified Since Co');
    const lastModified = (await org.api(`/sobjects/Account/${id}`)).headers.get('last-modified')!;
    const same = await org.api(`/sobjects/Account/${id}`, { headers: { 'If-Modified-Since': lastModified } });
    expect(same.status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    const changed = await org.api(`/sobjects/Account/${id}`, { headers: { 'If-Modified-Since': earlier } });
    expect(changed.status).toBe(200);
    expect(changed.body.Id).toBe(id);
  });

  it('writes a PATCH whose If-Match names the current ETag', async () => {
    const id = await newAccount('Match Co');
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    const patched = await org.api(`/sobjects/Account/${id}`, {
      method: 'PATCH',
      body: { Name: 'Match Co Renamed' },
      headers: { 'If-Match': `"other", ${etag}` },
    });
    expect(patched.status).toBe(204);
    expect(storedName(id)).toBe('Match Co Renamed');
  });

  it('refuses a stale PATCH (If-Match with an old ETag) with 412 and writes nothing', async () => {
    const id = await newAccount('Stale Co');
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    clock.advance(1_000);
    await org.api(`/sobjects/Account/${id}`, { method: 'PATCH', body: { Name: 'Changed By Someone Else' } });
    const stale = await patchAccount(id, { Name: 'Stale Write' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual([{ errorCode: 'PRECONDITION_FAILED', message: expect.any(String) }]);
    expect(storedName(id)).toBe('Changed By Someone Else');
  });

  it('refuses a PATCH whose If-None-Match names the current ETag with 412', async () => {
    const id = await newAccount('None Match Write Co');
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    const refused = await patchAccount(id, { Name: 'Nope' }, { 'If-None-Match': etag });
    expect(refused.status).toBe(412);
    expect(storedName(id)).toBe('None Match Write Co');
  });

  it('refuses a PATCH with If-Unmodified-Since before the last change (412), writes with a later one', async () => {
    const id = await newAccount('Unmodified Co');
    const readAt = new Date(clock.now()).toUTCString();
    clock.advance(2_000);
    await org.api(`/sobjects/Account/${id}`, { method: 'PATCH', body: { Phone: '555-0101' } });
    const stale = await patchAccount(id, { Name: 'Stale' }, { 'If-Unmodified-Since': readAt });
    expect(stale.status).toBe(412);
    expect(stale.body[0].errorCode).toBe('PRECONDITION_FAILED');
    expect(storedName(id)).toBe('Unmodified Co');
    const fresh = await patchAccount(
      id,
      { Name: 'Fresh' },
      { 'If-Unmodified-Since': new Date(clock.now()).toUTCString() },
    );
    expect(fresh.status).toBe(204);
    expect(storedName(id)).toBe('Fresh');
  });

  it('refuses a stale DELETE with 412 and keeps the record', async () => {
    const id = await newAccount('Delete Guard Co');
    const refused = await org.api(`/sobjects/Account/${id}`, {
      method: 'DELETE',
      headers: { 'If-Match': '"not-the-current-version"' },
    });
    expect(refused.status).toBe(412);
    expect(org.emulator.org.store.get('Account', id)?.IsDeleted).toBe(false);
    const etag = (await org.api(`/sobjects/Account/${id}`)).headers.get('etag')!;
    expect(
      (await org.api(`/sobjects/Account/${id}`, { method: 'DELETE', headers: { 'If-Match': etag } })).status,
    ).toBe(204);
    expect(org.emulator.org.store.get('Account', id)?.IsDeleted).toBe(true);
  });

  it('answers 400 for a malformed If-Match or If-Unmodified-Since on a write', async () => {
    const id = await newAccount('Malformed Co');
    const badTag = await patchAccount(id, { Name: 'X' }, { 'If-Match': 'no-quotes' });
    expect(badTag.status).toBe(400);
    expect(badTag.body[0].errorCode).toBe('INVALID_HEADER_TYPE');
    const badDate = await patchAccount(id, { Name: 'X' }, { 'If-Unmodified-Since': 'yesterday' });
    expect(badDate.status).toBe(400);
    expect(storedName(id)).toBe('Malformed Co');
  });
});
