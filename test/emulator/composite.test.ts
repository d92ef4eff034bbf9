import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';

const VERSION = '66.0';
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';
const COLLECTION_ROLLED_BACK =
  'Record rolled back because not all records were valid and the request was using AllOrNone header';

let emulator: RunningEmulator;
let accessToken: string;
let dataUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  accessToken = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
    'api',
  ]).token;
  dataUrl = `${emulator.url}/services/data/v${VERSION}`;
});

afterAll(async () => {
  await emulator.stop();
});

interface Result {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on the response shape
  body: any;
}

async function api(path: string, method = 'GET', body?: unknown): Promise<Result> {
  const response = await fetch(`${dataUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${accessToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function composite(compositeRequest: unknown[], options: Record<string, unknown> = {}): Promise<Result> {
  return api('/composite', 'POST', { ...options, compositeRequest });
}

function url(path: string): string {
  return `/services/data/v${VERSION}${path}`;
}

/** A composite subrequest that creates one record of `objectName`. */
function createRequest(referenceId: string, objectName: string, body: Record<string, unknown>) {
  return { method: 'POST', url: url(`/sobjects/${objectName}`), referenceId, body };
}

/** A composite subrequest that reads `path` under the data API. */
function getRequest(referenceId: string, path: string) {
  return { method: 'GET', url: url(path), referenceId };
}

function apiUsed(result: Result): number {
  const header = result.headers.get('sforce-limit-info') ?? '';
  const match = /api-usage=(\d+)\//.exec(header);
  if (!match) throw new Error(`No Sforce-Limit-Info in ${header}`);
  return Number(match[1]);
}

function accountsNamed(name: string): number {
  return [...emulator.org.store.table('Account').records.values()].filter(
    (record) => record.Name === name && record.IsDeleted === false,
  ).length;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

describe('composite', () => {
  it('creates an account and a contact that references it, reads and updates it in one call', async () => {
    const result = await composite([
      createRequest('newAccount', 'Account', { Name: 'Composite Co' }),
      createRequest('newContact', 'Contact', { LastName: 'Chain', AccountId: '@{newAccount.id}' }),
      getRequest('readAccount', '/sobjects/Account/@{newAccount.id}?fields=Id,Name'),
      {
        method: 'PATCH',
        url: url('/sobjects/Account/@{newAccount.id}'),
        referenceId: 'renameAccount',
        body: { Name: '@{readAccount.Name} Renamed' },
      },
    ]);
    expect(result.status).toBe(200);
    const [account, contact, read, patch] = result.body.compositeResponse;
    expect(account.httpStatusCode).toBe(201);
    expect(account.referenceId).toBe('newAccount');
    expect(account.body).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    expect(account.httpHeaders).toEqual({ Location: url(`/sobjects/Account/${account.body.id}`) });
    expect(Object.keys(account)).toEqual(['body', 'httpHeaders', 'httpStatusCode', 'referenceId']);
    expect(contact.httpStatusCode).toBe(201);
    expect(read).toMatchObject({ httpStatusCode: 200, httpHeaders: {}, referenceId: 'readAccount' });
    expect(read.body).toEqual({
      attributes: { type: 'Account', url: url(`/sobjects/Account/${account.body.id}`) },
      Id: account.body.id,
      Name: 'Composite Co',
    });
    expect(patch).toEqual({ body: null, httpHeaders: {}, httpStatusCode: 204, referenceId: 'renameAccount' });

    const stored = await api(`/sobjects/Contact/${contact.body.id}`);
    expect(stored.body.AccountId).toBe(account.body.id);
    const renamed = await api(`/sobjects/Account/${account.body.id}`);
    expect(renamed.body.Name).toBe('Composite Co Renamed');
  });

  it('creates a ContentNote and links it to a record, then reads the link', async () => {
    const account = await api('/sobjects/Account', 'POST', { Name: 'Noted Account' });
    const html = `<p>${escapeHtml('Call back about "Q3" <renewal> & pricing')}</p>`;
    const result = await composite(
      [
        createRequest('note', 'ContentNote', {
          Title: 'Call notes',
          Content: Buffer.from(html).toString('base64'),
        }),
        createRequest('link', 'ContentDocumentLink', {
          ContentDocumentId: '@{note.id}',
          LinkedEntityId: account.body.id,
          ShareType: 'V',
        }),
        getRequest('readLink', '/sobjects/ContentDocumentLink/@{link.id}'),
      ],
      { allOrNone: true },
    );
    const [note, link, readLink] = result.body.compositeResponse;
    expect(note.httpStatusCode, JSON.stringify(note.body)).toBe(201);
    expect(link.httpStatusCode, JSON.stringify(link.body)).toBe(201);
    expect(readLink.httpStatusCode).toBe(200);
    expect(readLink.body.ContentDocumentId).toBe(note.body.id);
    expect(readLink.body.LinkedEntityId).toBe(account.body.id);
  });

  it('rolls everything back with allOrNone when a later subrequest fails', async () => {
    const before = emulator.org.store.table('Contact').records.size;
    const result = await composite(
      [
        createRequest('first', 'Account', { Name: 'Rollback Co' }),
        createRequest('second', 'Contact', { LastName: 'Rolled', AccountId: '@{first.id}' }),
        createRequest('third', 'Contact', { FirstName: 'NoLastName' }),
        createRequest('fourth', 'Account', { Name: 'Never Run' }),
      ],
      { allOrNone: true },
    );
    expect(result.status).toBe(200);
    const [first, second, third, fourth] = result.body.compositeResponse;
    const halted = [{ errorCode: 'PROCESSING_HALTED', message: ROLLED_BACK }];
    expect(first).toEqual({ body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'first' });
    expect(second).toEqual({ body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'second' });
    expect(third.httpStatusCode).toBe(400);
    expect(third.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    expect(fourth).toEqual({ body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'fourth' });
    expect(accountsNamed('Rollback Co')).toBe(0);
    expect(accountsNamed('Never Run')).toBe(0);
    expect(emulator.org.store.table('Contact').records.size).toBe(before);
    const search = await api(
      `/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Rollback Co'")}`,
    );
    expect(search.body.totalSize).toBe(0);
  });

  it('leaves no record behind: a rolled-back id answers 404', async () => {
    // The halted subresponses carry no ids, so watch the store for the inserts the rollback undoes.
    const inserted: string[] = [];
    let watching = true;
    emulator.org.store.subscribe((change) => {
      if (watching && change.objectName === 'Account' && !change.before && change.after)
        inserted.push(change.id);
    });
    const result = await composite(
      [
        createRequest('made', 'Account', { Name: 'Ghost Co' }),
        getRequest('seen', '/sobjects/Account/@{made.id}'),
        createRequest('bad', 'Account', { Nope__c: 1 }),
      ],
      { allOrNone: true },
    );
    watching = false;
    const [made, seen, bad] = result.body.compositeResponse;
    expect(made.body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(seen.body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD');
    expect(inserted).toHaveLength(1);
    expect(emulator.org.store.get('Account', inserted[0])).toBeUndefined();
    expect((await api(`/sobjects/Account/${inserted[0]}`)).status).toBe(404);
    expect(accountsNamed('Ghost Co')).toBe(0);
  });

  it('keeps independent successes with allOrNone false and halts only the dependents', async () => {
    const result = await composite([
      createRequest('badAccount', 'Account', { Description: 'no name' }),
      createRequest('goodAccount', 'Account', { Name: 'Partial Co' }),
      createRequest('orphan', 'Contact', { LastName: 'Orphan', AccountId: '@{badAccount.id}' }),
      createRequest('child', 'Contact', { LastName: 'Child', AccountId: '@{goodAccount.id}' }),
    ]);
    const [badAccount, goodAccount, orphan, child] = result.body.compositeResponse;
    expect(badAccount.httpStatusCode).toBe(400);
    expect(badAccount.body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(goodAccount.httpStatusCode).toBe(201);
    expect(orphan.httpStatusCode).toBe(400);
    expect(orphan.body).toEqual([
      {
        errorCode: 'PROCESSING_HALTED',
        message:
          "Invalid reference specified. No value for badAccount.id found in badAccount. Provided referenceId ('badAccount.id') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').",
      },
    ]);
    expect(child.httpStatusCode).toBe(201);
    expect(accountsNamed('Partial Co')).toBe(1);
  });

  it('fails a subrequest that references an unknown id, a later subrequest or a field in the wrong case', async () => {
    const result = await composite([
      createRequest('acct', 'Account', { Name: 'Case Co' }),
      getRequest('unknown', '/sobjects/Account/@{nobody.id}'),
      getRequest('wrongCase', '/sobjects/Account/@{acct.Id}'),
      getRequest('forward', '/sobjects/Account/@{later.id}'),
      createRequest('later', 'Account', { Name: 'Later Co' }),
    ]);
    const [, unknown, wrongCase, forward, later] = result.body.compositeResponse;
    for (const entry of [unknown, wrongCase, forward]) {
      expect(entry.httpStatusCode).toBe(400);
      expect(entry.body[0].errorCode).toBe('PROCESSING_HALTED');
    }
    expect(unknown.body[0].message).toContain('No value for nobody.id found in nobody.');
    expect(wrongCase.body[0].message).toContain('No value for acct.Id found in acct.');
    expect(later.httpStatusCode).toBe(201);
  });

  it('resolves nested references into query results', async () => {
    await api('/sobjects/Account', 'POST', { Name: 'Nested Ref Co', Industry: 'Energy' });
    const soql = "SELECT Id, Name FROM Account WHERE Name = 'Nested Ref Co'";
    const result = await composite([
      getRequest('found', `/query?q=${encodeURIComponent(soql)}`),
      getRequest('detail', '/sobjects/Account/@{found.records[0].Id}?fields=Industry'),
      createRequest('contact', 'Contact', {
        LastName: 'From Query',
        AccountId: '@{found.records[0].Id}',
        Description: 'of @{found.records[0].Name}',
      }),
    ]);
    const [found, detail, contact] = result.body.compositeResponse;
    expect(found.body.totalSize).toBe(1);
    expect(detail.body.Industry).toBe('Energy');
    expect(contact.httpStatusCode).toBe(201);
    const stored = await api(`/sobjects/Contact/${contact.body.id}?fields=Description`);
    expect(stored.body.Description).toBe('of Nested Ref Co');
  });

  it('rejects more than 25 subrequests, duplicate and illegal referenceIds as a whole', async () => {
    const many = Array.from({ length: 26 }, (_, index) => ({
      method: 'GET',
      url: url('/sobjects/Account/describe'),
      referenceId: `d${index}`,
    }));
    const tooMany = await composite(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('LIMIT_EXCEEDED');

    const duplicate = await composite([
      createRequest('same', 'Account', { Name: 'Dup One' }),
      createRequest('same', 'Account', { Name: 'Dup Two' }),
    ]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body[0].errorCode).toBe('INVALID_INPUT');
    expect(accountsNamed('Dup One')).toBe(0);

    const illegal = await composite([getRequest('a.b', '/sobjects/Account/describe')]);
    expect(illegal.status).toBe(400);

    const missing = await api('/composite', 'POST', { allOrNone: true });
    expect(missing.status).toBe(400);
  });

  it('rejects urls outside /services/data/vXX.X and nested composite requests per subrequest', async () => {
    const result = await composite([
      { method: 'GET', url: '/sobjects/Account/describe', referenceId: 'relative' },
      {
        method: 'POST',
        url: url('/composite'),
        referenceId: 'nested',
        body: { compositeRequest: [getRequest('inner', '/sobjects')] },
      },
      getRequest('fine', '/sobjects/Account/describe'),
    ]);
    const [relative, nested, fine] = result.body.compositeResponse;
    expect(relative.httpStatusCode).toBe(400);
    expect(nested.httpStatusCode).toBe(400);
    expect(fine.httpStatusCode).toBe(200);
    expect(fine.httpHeaders['Last-Modified']).toBeDefined();
  });

  it('counts as exactly one API request', async () => {
    const before = apiUsed(await api('/limits'));
    const result = await composite([
      createRequest('one', 'Account', { Name: 'Counted 1' }),
      createRequest('two', 'Account', { Name: 'Counted 2' }),
      getRequest('three', '/sobjects/Account/@{two.id}'),
    ]);
    expect(apiUsed(result)).toBe(before + 1);
  });

  it('runs sObject Collections inside composite, where allOrNone true overrides the inner flag', async () => {
    const result = await composite(
      [
        {
          method: 'POST',
          url: url('/composite/sobjects'),
          referenceId: 'accounts',
          body: {
            allOrNone: false,
            records: [
              { attributes: { type: 'Account' }, Name: 'Inner One' },
              { attributes: { type: 'Account' }, Description: 'no name' },
            ],
          },
        },
        createRequest('contact', 'Contact', { LastName: 'After' }),
      ],
      { allOrNone: true },
    );
    const [accounts, contact] = result.body.compositeResponse;
    expect(accounts.httpStatusCode).toBe(200);
    expect(accounts.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(accounts.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(contact.body[0]).toEqual({ errorCode: 'PROCESSING_HALTED', message: ROLLED_BACK });
    expect(accountsNamed('Inner One')).toBe(0);
  });
});

describe('sObject Collections', () => {
  it('creates records of several types and reports per-record errors with statusCode', async () => {
    const result = await api('/composite/sobjects', 'POST', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'Collection A' },
        { attributes: { type: 'Contact' }, LastName: 'Collection C' },
        { attributes: { type: 'Account' }, Description: 'missing name' },
        { Name: 'No Type' },
      ],
    });
    expect(result.status).toBe(200);
    const [account, contact, invalid, untyped] = result.body;
    expect(account).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [] });
    expect(contact).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(invalid).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    expect(untyped.success).toBe(false);
    expect(untyped.errors[0].statusCode).toBeDefined();
    expect(untyped.errors[0].errorCode).toBeUndefined();
    expect(accountsNamed('Collection A')).toBe(1);
  });

  it('rolls back every record with allOrNone and marks the valid ones', async () => {
    const result = await api('/composite/sobjects', 'POST', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'All Or None A' },
        { attributes: { type: 'Account' }, Description: 'missing name' },
        { attributes: { type: 'Account' }, Name: 'All Or None B' },
      ],
    });
    expect(result.status).toBe(200);
    const rolledBack = {
      success: false,
      errors: [
        { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: COLLECTION_ROLLED_BACK, fields: [] },
      ],
    };
    expect(result.body[0]).toEqual(rolledBack);
    expect(result.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(result.body[2]).toEqual(rolledBack);
    expect(accountsNamed('All Or None A')).toBe(0);
    expect(accountsNamed('All Or None B')).toBe(0);
  });

  it('refuses more than 200 records', async () => {
    const records = Array.from({ length: 201 }, (_, index) => ({
      attributes: { type: 'Account' },
      Name: `Bulk ${index}`,
    }));
    const result = await api('/composite/sobjects', 'POST', { records });
    expect(result.status).toBe(400);
    expect(result.body).toEqual([
      {
        errorCode: 'EXCEEDED_ID_LIMIT',
        message: 'record limit reached. cannot submit more than 200 records into this call',
      },
    ]);
    expect(accountsNamed('Bulk 0')).toBe(0);
  });

  it('updates records by id, with allOrNone both ways', async () => {
    const created = await api('/composite/sobjects', 'POST', {
      records: [
        { attributes: { type: 'Account' }, Name: 'Update Me 1' },
        { attributes: { type: 'Account' }, Name: 'Update Me 2' },
      ],
    });
    const [first, second] = created.body.map((entry: { id: string }) => entry.id);

    const partial = await api('/composite/sobjects', 'PATCH', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, id: first, Name: 'Updated 1' },
        { attributes: { type: 'Account' }, Id: second, Name: null },
        { attributes: { type: 'Account' }, Name: 'No Id' },
      ],
    });
    expect(partial.status).toBe(200);
    expect(partial.body[0]).toEqual({ id: first, success: true, errors: [] });
    expect(partial.body[1]).toMatchObject({ id: second, success: false });
    expect(partial.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(partial.body[2].success).toBe(false);
    expect((await api(`/sobjects/Account/${first}`)).body.Name).toBe('Updated 1');

    const atomic = await api('/composite/sobjects', 'PATCH', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, id: first, Name: 'Never Applied' },
        { attributes: { type: 'Contact' }, id: second, LastName: 'Wrong Type' },
      ],
    });
    expect(atomic.body[0]).toEqual({
      id: first,
      success: false,
      errors: [
        { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: COLLECTION_ROLLED_BACK, fields: [] },
      ],
    });
    expect(atomic.body[1].errors[0]).toMatchObject({ statusCode: 'MALFORMED_ID', fields: ['Id'] });
    expect((await api(`/sobjects/Account/${first}`)).body.Name).toBe('Updated 1');
  });

  it('deletes by ids, with allOrNone both ways', async () => {
    const created = await api('/composite/sobjects', 'POST', {
      records: [
        { attributes: { type: 'Account' }, Name: 'Delete Me 1' },
        { attributes: { type: 'Account' }, Name: 'Delete Me 2' },
        { attributes: { type: 'Account' }, Name: 'Delete Me 3' },
      ],
    });
    const [one, two, three] = created.body.map((entry: { id: string }) => entry.id);

    const atomic = await api(`/composite/sobjects?ids=${one},not-an-id&allOrNone=true`, 'DELETE');
    expect(atomic.status).toBe(200);
    expect(atomic.body[0]).toMatchObject({ id: one, success: false });
    expect(atomic.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(atomic.body[1]).toEqual({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id not-an-id', fields: [] }],
    });
    expect((await api(`/sobjects/Account/${one}`)).status).toBe(200);

    const partial = await api(`/composite/sobjects?ids=${one},${two},not-an-id&allOrNone=false`, 'DELETE');
    expect(partial.body[0]).toEqual({ id: one, success: true, errors: [] });
    expect(partial.body[1]).toEqual({ id: two, success: true, errors: [] });
    expect(partial.body[2].success).toBe(false);
    expect((await api(`/sobjects/Account/${one}`)).status).toBe(404);
    expect((await api(`/sobjects/Account/${three}`)).status).toBe(200);

    const again = await api(`/composite/sobjects?ids=${one}`, 'DELETE');
    expect(again.body[0].success).toBe(false);
    expect(again.body[0].errors[0].statusCode).toBe('ENTITY_IS_DELETED');
  });

  it('retrieves records by ids with the listed fields and null for missing ones', async () => {
    const created = await api('/composite/sobjects', 'POST', {
      records: [
        { attributes: { type: 'Account' }, Name: 'Retrieve 1', Industry: 'Banking' },
        { attributes: { type: 'Account' }, Name: 'Retrieve 2' },
      ],
    });
    const [one, two] = created.body.map((entry: { id: string }) => entry.id);
    await api(`/sobjects/Account/${two}`, 'DELETE');
    const contact = await api('/sobjects/Contact', 'POST', { LastName: 'Not An Account' });

    const result = await api(
      `/composite/sobjects/Account?ids=${one},${two},${contact.body.id}&fields=id,Name,Industry`,
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual([
      {
        attributes: { type: 'Account', url: url(`/sobjects/Account/${one}`) },
        Id: one,
        Name: 'Retrieve 1',
        Industry: 'Banking',
      },
      null,
      null,
    ]);

    const noFields = await api(`/composite/sobjects/Account?ids=${one}`);
    expect(noFields.status).toBe(400);
    const badField = await api(`/composite/sobjects/Account?ids=${one}&fields=Nope`);
    expect(badField.status).toBe(400);
    expect(badField.body[0].errorCode).toBe('INVALID_FIELD');
    const badType = await api(`/composite/sobjects/Nope?ids=${one}&fields=Id`);
    expect(badType.status).toBe(404);
  });
});

describe('through jsforce', () => {
  it('creates a collection with allOrNone and runs a composite request', async () => {
    const conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken, version: VERSION });
    const saved = await conn.sobject('Account').create([{ Name: 'Jsforce One' }, { Name: 'Jsforce Two' }], {
      allOrNone: true,
    });
    expect(saved.map((entry) => entry.success)).toEqual([true, true]);
    expect(accountsNamed('Jsforce One')).toBe(1);

    const response = await conn.requestPost<{
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    }>(`/services/data/v${VERSION}/composite`, {
      allOrNone: true,
      compositeRequest: [
        createRequest('acct', 'Account', { Name: 'Jsforce Composite' }),
        createRequest('contact', 'Contact', { LastName: 'Jsforce', AccountId: '@{acct.id}' }),
      ],
    });
    expect(response.compositeResponse.map((entry) => entry.httpStatusCode)).toEqual([201, 201]);
  });
});
