import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

/**
 * The demo org's read-only record page at Salesforce's path, over HTTP: it asks for a login when
 * there is no browser session, shows the record through that user's sharing, lists the Tasks,
 * Events and Notes on it, and escapes everything a record can hold.
 */

let org: TestOrg;
let accountId: string;
let opportunityId: string;

async function create(objectName: string, fields: Record<string, unknown>): Promise<string> {
  const result = await org.api(`/sobjects/${objectName}`, { method: 'POST', body: fields });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id as string;
}

function recordPath(objectName: string, id: string): string {
  return `/lightning/r/${objectName}/${id}/view`;
}

function cookiesOf(response: Response): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const separator = pair.indexOf('=');
    cookies[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return cookies;
}

/** Logs in through the page's own form, as a browser would; returns the `sid` cookie. */
async function logIn(username: string, path: string, password = 'demo1234'): Promise<Response> {
  const form = await fetch(`${org.url}${path}`);
  const html = await form.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const csrfCookie = cookiesOf(form).lightning_csrf ?? '';
  return fetch(`${org.url}/lightning/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `lightning_csrf=${csrfCookie}` },
    body: new URLSearchParams({ startURL: path, csrf, username, pw: password }).toString(),
  });
}

async function sessionCookie(username: string, path: string): Promise<string> {
  const response = await logIn(username, path);
  expect(response.status).toBe(303);
  return `sid=${cookiesOf(response).sid}`;
}

async function page(
  path: string,
  cookie: string,
): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(`${org.url}${path}`, { headers: { Cookie: cookie } });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

beforeAll(async () => {
  org = await startTestOrg({ seed: 'none' });
  accountId = await create('Account', {
    Name: 'Pinecrest <script>alert(1)</script> & Co',
    Industry: 'Energy',
  });
  opportunityId = await create('Opportunity', {
    Name: 'Pinecrest renewal',
    AccountId: accountId,
    StageName: 'Prospecting',
    CloseDate: '2027-03-31',
  });
  await create('Task', {
    Subject: 'Send the pricing sheet',
    WhatId: accountId,
    Status: 'Not Started',
    ActivityDate: '2027-01-15',
  });
  await create('Event', {
    Subject: 'Quarterly review',
    WhatId: accountId,
    StartDateTime: '2027-01-20T15:00:00.000Z',
    EndDateTime: '2027-01-20T16:00:00.000Z',
  });
  const noteId = await create('ContentNote', {
    Title: 'Decisions from the kickoff',
    Content: Buffer.from('<p>Go with the annual plan</p>').toString('base64'),
  });
  await create('ContentDocumentLink', {
    ContentDocumentId: noteId,
    LinkedEntityId: accountId,
    ShareType: 'V',
  });
  await create('Note', { ParentId: accountId, Title: 'Classic <b>note</b>', Body: 'Budget confirmed' });
});

afterAll(async () => {
  await org?.emulator.stop();
});

describe('the Lightning record page of the demo org', () => {
  it('asks for a login without a browser session and shows nothing of the record', async () => {
    const { status, html } = await page(recordPath('Account', accountId), '');
    expect(status).toBe(200);
    expect(html).toContain('action="/lightning/login"');
    expect(html).toContain('Demo org');
    expect(html).not.toContain('Pinecrest');
  });

  it('refuses a wrong password with the login error and no session', async () => {
    const response = await logIn('alice@acme.demo', recordPath('Account', accountId), 'wrong');
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Please check your username and password');
    expect(cookiesOf(response).sid).toBeUndefined();
  });

  it('logs in, returns to the record and shows its fields and related Tasks, Events and Notes', async () => {
    const path = recordPath('Account', accountId);
    const response = await logIn('alice@acme.demo', path);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(path);
    const { status, html, headers } = await page(path, `sid=${cookiesOf(response).sid}`);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('Demo org: this is the Forcefield Salesforce emulator');
    expect(html).toContain('<dt>Industry</dt><dd>Energy</dd>');
    expect(html).toContain('Tasks (1)');
    expect(html).toContain('Send the pricing sheet');
    expect(html).toContain('Events (1)');
    expect(html).toContain('Quarterly review');
    expect(html).toContain('Notes (2)');
    expect(html).toContain('Decisions from the kickoff');
    expect(html).toContain('Go with the annual plan');
    expect(html).toContain('Budget confirmed');
  });

  it('escapes record text', async () => {
    const cookie = await sessionCookie('alice@acme.demo', recordPath('Account', accountId));
    const { html } = await page(recordPath('Account', accountId), cookie);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Pinecrest &#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(html).toContain('Classic &#60;b&#62;note&#60;/b&#62;');
  });

  it('links a lookup to the parent record page', async () => {
    const cookie = await sessionCookie('alice@acme.demo', recordPath('Opportunity', opportunityId));
    const { status, html } = await page(recordPath('Opportunity', opportunityId), cookie);
    expect(status).toBe(200);
    expect(html).toContain(`href="/lightning/r/Account/${accountId}/view"`);
  });

  it('answers a record the user cannot see exactly like one that does not exist', async () => {
    // Opportunity is Private: Bob does not own Alice's.
    const cookie = await sessionCookie('bob@acme.demo', recordPath('Opportunity', opportunityId));
    const hidden = await page(recordPath('Opportunity', opportunityId), cookie);
    const missing = await page(recordPath('Opportunity', `006${'0'.repeat(12)}`), cookie);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.html).toBe(missing.html);
    expect(hidden.html).not.toContain('Pinecrest');
  });

  it('does not show a record under another object type', async () => {
    const cookie = await sessionCookie('alice@acme.demo', recordPath('Account', accountId));
    const { status } = await page(recordPath('Contact', accountId), cookie);
    expect(status).toBe(404);
  });

  it('refuses a login without its form token or toward another site', async () => {
    const path = recordPath('Account', accountId);
    const withoutToken = await fetch(`${org.url}/lightning/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        startURL: path,
        csrf: 'guess',
        username: 'alice@acme.demo',
        pw: 'demo1234',
      }).toString(),
    });
    expect(withoutToken.status).toBe(403);
    expect(cookiesOf(withoutToken).sid).toBeUndefined();

    const form = await fetch(`${org.url}${path}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const elsewhere = await fetch(`${org.url}/lightning/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `lightning_csrf=${cookiesOf(form).lightning_csrf}`,
      },
      body: new URLSearchParams({
        startURL: 'https://elsewhere.example/',
        csrf,
        username: 'alice@acme.demo',
        pw: 'demo1234',
      }).toString(),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('location')).toBeNull();
  });
});
