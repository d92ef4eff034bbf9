import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/index.ts';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const START = Date.parse('2026-03-02T09:00:00Z');

let org: TestOrg;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  org = await startTestOrg({ clock });
});

afterAll(async () => {
  await org.emulator.stop();
});

async function create(type: string, body: Record<string, unknown>): Promise<string> {
  const result = await org.api(`/sobjects/${type}`, { method: 'POST', body });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id;
}

async function expectError(
  path: string,
  init: { method?: string; body?: unknown },
  status: number,
  errorCode: string,
  fields?: string[],
): Promise<string> {
  const result = await org.api(path, init);
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(Array.isArray(result.body)).toBe(true);
  expect(result.body[0].errorCode).toBe(errorCode);
  if (fields) expect(result.body[0].fields).toEqual(fields);
  return result.body[0].message;
}

describe('versions, resources and sessions', () => {
  it('lists API versions without a session', async () => {
    const response = await fetch(`${org.url}/services/data`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const versions = (await response.json()) as Array<{ version: string; url: string; label: string }>;
    const numbers = versions.map((entry) => entry.version);
    expect(numbers).toContain('50.0');
    expect(numbers).toContain('66.0');
    expect(versions.find((entry) => entry.version === '66.0')).toEqual({
      label: "Spring '26",
      url: '/services/data/v66.0',
      version: '66.0',
    });
  });

  it('lists the resources of a version, with the identity URL', async () => {
    const result = await org.api('');
    expect(result.status).toBe(200);
    expect(result.body.sobjects).toBe('/services/data/v66.0/sobjects');
    expect(result.body.query).toBe('/services/data/v66.0/query');
    expect(result.body.identity).toMatch(/\/id\/00D\w{15}\/005\w{15}$/);
  });

  it('answers an unsupported version with NOT_FOUND', async () => {
    const result = await org.api(`${org.url}/services/data/v12.0/sobjects`);
    expect(result.status).toBe(404);
    expect(result.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('rejects missing, unknown and malformed tokens with INVALID_SESSION_ID', async () => {
    for (const header of [undefined, 'Bearer nope', 'Basic abc', `Bearer ${org.token}x`]) {
      const response = await fetch(`${org.dataUrl}/limits`, {
        headers: header ? { Authorization: header } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    }
  });

  it('counts every REST request in Sforce-Limit-Info and /limits', async () => {
    const first = await org.api('/limits');
    const [used, max] = /api-usage=(\d+)\/(\d+)/
      .exec(first.headers.get('sforce-limit-info') ?? '')!
      .slice(1)
      .map(Number);
    expect(max).toBe(first.body.DailyApiRequests.Max);
    expect(first.body.DailyApiRequests.Remaining).toBe(max - used);
    await org.api('/sobjects');
    const second = await org.api('/limits');
    expect(second.headers.get('sforce-limit-info')).toBe(`api-usage=${used + 2}/${max}`);
    expect(second.body.DailyApiRequests.Remaining).toBe(max - used - 2);
    expect(second.body.DailyBulkApiBatches).toEqual({ Max: 15000, Remaining: 15000 });
  });
});

describe('describe', () => {
  it('describes the global schema', async () => {
    const result = await org.api('/sobjects');
    expect(result.status).toBe(200);
    expect(result.body.maxBatchSize).toBe(200);
    const names = result.body.sobjects.map((entry: { name: string }) => entry.name);
    for (const name of [
      'User',
      'Organization',
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'OpportunityContactRole',
      'Case',
      'Task',
      'Event',
      'Note',
      'ContentNote',
      'ContentDocument',
      'ContentDocumentLink',
    ]) {
      expect(names).toContain(name);
    }
    const account = result.body.sobjects.find((entry: { name: string }) => entry.name === 'Account');
    expect(account).toMatchObject({
      keyPrefix: '001',
      createable: true,
      queryable: true,
      urls: { sobject: '/services/data/v66.0/sobjects/Account' },
    });
  });

  it('describes an object with fields, picklists, references and child relationships', async () => {
    const result = await org.api('/sobjects/account/describe');
    expect(result.status).toBe(200);
    expect(result.body.name).toBe('Account');
    expect(result.body.keyPrefix).toBe('001');
    const fields = new Map(result.body.fields.map((field: { name: string }) => [field.name, field]));
    expect(fields.get('Name')).toMatchObject({
      type: 'string',
      length: 255,
      nillable: false,
      createable: true,
      nameField: true,
    });
    expect(fields.get('Id')).toMatchObject({ type: 'id', createable: false, updateable: false });
    expect(fields.get('OwnerId')).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'Owner',
      defaultedOnCreate: true,
    });
    const children = result.body.childRelationships.map(
      (relationship: { relationshipName: string }) => relationship.relationshipName,
    );
    expect(children).toEqual(expect.arrayContaining(['Contacts', 'Opportunities', 'Cases']));

    const task = await org.api('/sobjects/Task/describe');
    const status = task.body.fields.find((field: { name: string }) => field.name === 'Status');
    expect(status.type).toBe('picklist');
    expect(status.defaultedOnCreate).toBe(true);
    const defaults = status.picklistValues.filter((entry: { defaultValue: boolean }) => entry.defaultValue);
    expect(defaults.map((entry: { value: string }) => entry.value)).toEqual(['Not Started']);
    const whatId = task.body.fields.find((field: { name: string }) => field.name === 'WhatId');
    expect(whatId).toMatchObject({ relationshipName: 'What', polymorphicForeignKey: true });
    expect(whatId.referenceTo).toEqual(expect.arrayContaining(['Account', 'Opportunity', 'Case']));
  });

  it('honours If-Modified-Since with 304', async () => {
    const first = await org.api('/sobjects/Contact/describe');
    const lastModified = first.headers.get('last-modified');
    expect(lastModified).toBeTruthy();
    const second = await org.api('/sobjects/Contact/describe', {
      headers: { 'If-Modified-Since': lastModified! },
    });
    expect(second.status).toBe(304);
    expect(second.body).toBeUndefined();
    const older = new Date(Date.parse(lastModified!) - 60_000).toUTCString();
    const third = await org.api('/sobjects/Contact/describe', { headers: { 'If-Modified-Since': older } });
    expect(third.status).toBe(200);
  });

  it('answers an unknown object with NOT_FOUND', async () => {
    await expectError('/sobjects/Widget/describe', {}, 404, 'NOT_FOUND');
    await expectError('/sobjects/Widget', { method: 'POST', body: { Name: 'x' } }, 404, 'NOT_FOUND');
  });
});

describe('create and retrieve', () => {
  it('creates a record with Location, system fields and the caller as owner', async () => {
    const result = await org.api('/sobjects/Account', {
      method: 'POST',
      body: { Name: 'Globex', Industry: 'Energy' },
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    expect(result.headers.get('location')).toBe(`/services/data/v66.0/sobjects/Account/${result.body.id}`);
    const record = await org.api(`/sobjects/Account/${result.body.id}`);
    expect(record.status).toBe(200);
    expect(record.body.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v66.0/sobjects/Account/${result.body.id}`,
    });
    expect(record.body).toMatchObject({
      Id: result.body.id,
      Name: 'Globex',
      Industry: 'Energy',
      IsDeleted: false,
      BillingAddress: null,
    });
    expect(record.body.OwnerId).toBe(org.emulator.org.userIdByUsername('alice@acme.demo'));
    expect(record.body.CreatedById).toBe(record.body.OwnerId);
    expect(record.body.CreatedDate).toBe('2026-03-02T09:00:00.000+0000');
    for (const name of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
      expect(record.body[name]).toMatch(DATETIME);
  });

  it('retrieves chosen fields, by a 15-character id too', async () => {
    const id = await create('Account', { Name: 'Initech', BillingCity: 'Austin', NumberOfEmployees: 120 });
    const result = await org.api(
      `/sobjects/Account/${id.slice(0, 15)}?fields=name,NumberOfEmployees,BillingAddress`,
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${id}` },
      Name: 'Initech',
      NumberOfEmployees: 120,
      BillingAddress: {
        city: 'Austin',
        country: null,
        geocodeAccuracy: null,
        latitude: null,
        longitude: null,
        postalCode: null,
        state: null,
        street: null,
      },
    });
    await expectError(`/sobjects/Account/${id}?fields=Name,Bogus`, {}, 400, 'INVALID_FIELD');
  });

  it('answers ids that do not name a record of the object with NOT_FOUND', async () => {
    const contactId = await create('Contact', { LastName: 'Nobody' });
    await expectError(`/sobjects/Account/${contactId}`, {}, 404, 'NOT_FOUND');
    await expectError('/sobjects/Account/001000000000000AAA', {}, 404, 'NOT_FOUND');
    await expectError('/sobjects/Account/not-an-id', {}, 404, 'NOT_FOUND');
  });

  it('applies picklist defaults and derives Task.AccountId from WhatId, then WhoId', async () => {
    const accountId = await create('Account', { Name: 'Umbrella' });
    const otherAccountId = await create('Account', { Name: 'Hooli' });
    const contactId = await create('Contact', {
      LastName: 'Wayne',
      FirstName: 'Bruce',
      AccountId: accountId,
    });
    const opportunityId = await create('Opportunity', {
      Name: 'Hooli expansion',
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      AccountId: otherAccountId,
    });
    const onContact = await create('Task', { Subject: 'Call', WhoId: contactId });
    const onOpportunity = await create('Task', {
      Subject: 'Proposal',
      WhoId: contactId,
      WhatId: opportunityId,
    });
    const first = await org.api(`/sobjects/Task/${onContact}`);
    expect(first.body).toMatchObject({
      Status: 'Not Started',
      Priority: 'Normal',
      IsClosed: false,
      AccountId: accountId,
      OwnerId: first.body.CreatedById,
    });
    const second = await org.api(`/sobjects/Task/${onOpportunity}`);
    expect(second.body.AccountId).toBe(otherAccountId);
    const contact = await org.api(`/sobjects/Contact/${contactId}?fields=Name`);
    expect(contact.body.Name).toBe('Bruce Wayne');
  });

  it('derives opportunity stage semantics', async () => {
    const won = await create('Opportunity', {
      Name: 'Won',
      StageName: 'Closed Won',
      CloseDate: '2026-01-15',
      Amount: 1000,
    });
    const open = await create('Opportunity', {
      Name: 'Open',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-09-01',
      Amount: 2000,
    });
    const wonRecord = (await org.api(`/sobjects/Opportunity/${won}`)).body;
    expect(wonRecord).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100, ExpectedRevenue: 1000 });
    const openRecord = (await org.api(`/sobjects/Opportunity/${open}`)).body;
    expect(openRecord).toMatchObject({
      IsClosed: false,
      IsWon: false,
      Probability: 90,
      ExpectedRevenue: 1800,
    });
    await org.api(`/sobjects/Opportunity/${open}`, { method: 'PATCH', body: { StageName: 'Closed Lost' } });
    expect((await org.api(`/sobjects/Opportunity/${open}`)).body).toMatchObject({
      IsClosed: true,
      IsWon: false,
      Probability: 0,
    });
  });

  it('computes an Event end from its duration and its duration from its end', async () => {
    const byDuration = await create('Event', {
      Subject: 'Demo',
      StartDateTime: '2026-03-03T15:00:00.000+0000',
      DurationInMinutes: 45,
    });
    const byEnd = await create('Event', {
      Subject: 'Review',
      StartDateTime: '2026-03-03T10:00:00-05:00',
      EndDateTime: '2026-03-03T11:30:00-05:00',
    });
    expect((await org.api(`/sobjects/Event/${byDuration}`)).body).toMatchObject({
      EndDateTime: '2026-03-03T15:45:00.000+0000',
      ActivityDate: '2026-03-03',
      DurationInMinutes: 45,
    });
    expect((await org.api(`/sobjects/Event/${byEnd}`)).body).toMatchObject({
      StartDateTime: '2026-03-03T15:00:00.000+0000',
      EndDateTime: '2026-03-03T16:30:00.000+0000',
      DurationInMinutes: 90,
    });
    await expectError(
      '/sobjects/Event',
      { method: 'POST', body: { Subject: 'No end', StartDateTime: '2026-03-03T10:00:00Z' } },
      400,
      'REQUIRED_FIELD_MISSING',
      ['DurationInMinutes'],
    );
    await expectError(
      '/sobjects/Event',
      { method: 'POST', body: { Subject: 'No start', DurationInMinutes: 10 } },
      400,
      'REQUIRED_FIELD_MISSING',
      ['StartDateTime'],
    );
  });

  it('stores an enhanced note as a ContentNote that is also a ContentDocument, linkable to a record', async () => {
    const accountId = await create('Account', { Name: 'Stark' });
    const text = 'Decision: go <ahead> & "ship"';
    const html = text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
    const noteId = await create('ContentNote', {
      Title: 'Meeting notes',
      Content: Buffer.from(html).toString('base64'),
    });
    expect(noteId.startsWith('069')).toBe(true);
    const document = await org.api(`/sobjects/ContentDocument/${noteId}?fields=Title,FileType`);
    expect(document.body).toMatchObject({ Title: 'Meeting notes', FileType: 'SNOTE' });
    const note = await org.api(`/sobjects/ContentNote/${noteId}?fields=TextPreview,FileType`);
    expect(note.body.TextPreview).toBe(text);
    const linkId = await create('ContentDocumentLink', {
      ContentDocumentId: noteId,
      LinkedEntityId: accountId,
      ShareType: 'V',
    });
    expect(linkId.startsWith('06A')).toBe(true);
    await expectError(
      '/sobjects/ContentDocumentLink',
      { method: 'POST', body: { ContentDocumentId: noteId, LinkedEntityId: accountId } },
      400,
      'DUPLICATE_VALUE',
    );
    await expectError(
      '/sobjects/ContentNote',
      { method: 'POST', body: { Title: 'Bad', Content: 'not base64!' } },
      400,
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      ['Content'],
    );
  });

  it('accepts a classic Note on a record', async () => {
    const accountId = await create('Account', { Name: 'Wayne Enterprises' });
    const noteId = await create('Note', {
      ParentId: accountId,
      Title: 'Call recap',
      Body: 'Budget approved',
    });
    expect(noteId.startsWith('002')).toBe(true);
    expect((await org.api(`/sobjects/Note/${noteId}?fields=ParentId,Title,IsPrivate`)).body).toMatchObject({
      ParentId: accountId,
      IsPrivate: false,
    });
  });
});

describe('validation errors', () => {
  it('answers bad create bodies with Salesforce error codes', async () => {
    const contactId = await create('Contact', { LastName: 'Kent' });
    const leadId = await create('Lead', { LastName: 'Lane', Company: 'Daily Planet' });
    const accountId = await create('Account', { Name: 'LexCorp' });
    const post = (type: string, body: unknown) => ({ method: 'POST', body: { type, body } });
    void post;
    const cases: Array<[string, unknown, string, string[] | undefined, RegExp]> = [
      ['Account', {}, 'REQUIRED_FIELD_MISSING', ['Name'], /^Required fields are missing: \[Name\]$/],
      [
        'Opportunity',
        { Name: 'x' },
        'REQUIRED_FIELD_MISSING',
        ['StageName', 'CloseDate'],
        /Required fields are missing/,
      ],
      [
        'Account',
        { Name: 'x', Bogus__c: 1 },
        'INVALID_FIELD',
        undefined,
        /^No such column 'Bogus__c' on sobject of type Account$/,
      ],
      [
        'Account',
        { Id: accountId, Name: 'x' },
        'INVALID_FIELD',
        undefined,
        /Id field should not be specified/,
      ],
      [
        'Account',
        { Name: 'x', IsDeleted: true },
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        ['IsDeleted'],
        /Unable to create\/update fields: IsDeleted/,
      ],
      ['Contact', { LastName: 'x', Name: 'y' }, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['Name'], /Name/],
      [
        'Task',
        { Subject: 'x', Status: 'Bogus' },
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        ['Status'],
        /bad value for restricted picklist field: Bogus/,
      ],
      [
        'Task',
        { Subject: 'x', WhatId: '001000000000000AAA' },
        'INVALID_CROSS_REFERENCE_KEY',
        [],
        /invalid cross reference id/,
      ],
      [
        'Task',
        { Subject: 'x', WhoId: leadId, WhatId: accountId },
        'FIELD_INTEGRITY_EXCEPTION',
        ['WhatId'],
        /lead/,
      ],
      [
        'Task',
        { Subject: 'x', WhoId: accountId },
        'FIELD_INTEGRITY_EXCEPTION',
        ['WhoId'],
        /id value of incorrect type/,
      ],
      ['Contact', { LastName: 'x'.repeat(81) }, 'STRING_TOO_LONG', ['LastName'], /max length=80/],
      [
        'Account',
        { Name: 'x', NumberOfEmployees: 'many' },
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        ['NumberOfEmployees'],
        /value not of required type: many/,
      ],
      [
        'Account',
        { Name: 'x', NumberOfEmployees: 1.5 },
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        ['NumberOfEmployees'],
        /1.5/,
      ],
      [
        'Opportunity',
        { Name: 'x', StageName: 'Prospecting', CloseDate: '2026-02-30' },
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        ['CloseDate'],
        /2026-02-30/,
      ],
      [
        'Contact',
        { LastName: 'x', AccountId: 'garbage' },
        'MALFORMED_ID',
        ['AccountId'],
        /id value of incorrect type: garbage/,
      ],
      [
        'Contact',
        { LastName: 'x', Email: 'not-an-email' },
        'INVALID_EMAIL_ADDRESS',
        ['Email'],
        /invalid email address/,
      ],
      ['Contact', { LastName: 'x', ReportsToId: contactId.slice(0, 15) }, '', undefined, /./],
    ];
    for (const [type, body, errorCode, fields, message] of cases) {
      const result = await org.api(`/sobjects/${type}`, { method: 'POST', body });
      if (errorCode === '') {
        expect(result.status, 'a 15-character id is accepted in a lookup').toBe(201);
        continue;
      }
      expect(result.status, `${type} ${JSON.stringify(body)}`).toBe(400);
      expect(result.body[0].errorCode, JSON.stringify(result.body)).toBe(errorCode);
      expect(result.body[0].message).toMatch(message);
      if (fields) expect(result.body[0].fields).toEqual(fields);
    }
  });

  it('answers malformed JSON bodies with JSON_PARSER_ERROR', async () => {
    await expectError('/sobjects/Account', { method: 'POST', body: '{"Name": ' }, 400, 'JSON_PARSER_ERROR');
    await expectError(
      '/sobjects/Account',
      { method: 'POST', body: [{ Name: 'x' }] },
      400,
      'JSON_PARSER_ERROR',
    );
    await expectError(
      '/sobjects/Account',
      { method: 'POST', body: { Name: { nested: true } } },
      400,
      'JSON_PARSER_ERROR',
    );
  });

  it('refuses to reference a deleted record', async () => {
    const accountId = await create('Account', { Name: 'Short-lived' });
    expect((await org.api(`/sobjects/Account/${accountId}`, { method: 'DELETE' })).status).toBe(204);
    await expectError(
      '/sobjects/Contact',
      { method: 'POST', body: { LastName: 'x', AccountId: accountId } },
      400,
      'ENTITY_IS_DELETED',
    );
  });
});

describe('update and delete', () => {
  it('updates with 204 and moves LastModifiedDate', async () => {
    const id = await create('Account', { Name: 'Before' });
    clock.advance(60_000);
    const result = await org.api(`/sobjects/Account/${id}`, {
      method: 'PATCH',
      body: { Name: 'After', Id: id },
    });
    expect(result.status).toBe(204);
    expect(result.body).toBeUndefined();
    const record = (await org.api(`/sobjects/Account/${id}`)).body;
    expect(record.Name).toBe('After');
    expect(
      Date.parse(record.LastModifiedDate.replace('+0000', 'Z')) -
        Date.parse(record.CreatedDate.replace('+0000', 'Z')),
    ).toBe(60_000);
  });

  it('refuses bad updates', async () => {
    const id = await create('Account', { Name: 'Stable' });
    await expectError(
      `/sobjects/Account/${id}`,
      { method: 'PATCH', body: { Name: null } },
      400,
      'REQUIRED_FIELD_MISSING',
      ['Name'],
    );
    await expectError(
      `/sobjects/Account/${id}`,
      { method: 'PATCH', body: { CreatedDate: '2020-01-01T00:00:00Z' } },
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      ['CreatedDate'],
    );
    await expectError('/sobjects/Account/xyz', { method: 'PATCH', body: { Name: 'x' } }, 400, 'MALFORMED_ID');
    await expectError(
      '/sobjects/Account/001000000000000AAA',
      { method: 'PATCH', body: { Name: 'x' } },
      404,
      'NOT_FOUND',
    );
    expect((await org.api(`/sobjects/Account/${id}`)).body.Name).toBe('Stable');
  });

  it('soft-deletes, cascades to contacts and activities, and answers ENTITY_IS_DELETED after', async () => {
    const accountId = await create('Account', { Name: 'Doomed' });
    const contactId = await create('Contact', { LastName: 'Doomed', AccountId: accountId });
    const taskId = await create('Task', { Subject: 'Doomed', WhatId: accountId });
    expect((await org.api(`/sobjects/Account/${accountId}`, { method: 'DELETE' })).status).toBe(204);
    await expectError(`/sobjects/Account/${accountId}`, {}, 404, 'NOT_FOUND');
    await expectError(`/sobjects/Contact/${contactId}`, {}, 404, 'NOT_FOUND');
    await expectError(`/sobjects/Task/${taskId}`, {}, 404, 'NOT_FOUND');
    await expectError(`/sobjects/Account/${accountId}`, { method: 'DELETE' }, 404, 'ENTITY_IS_DELETED');
    await expectError(
      `/sobjects/Account/${accountId}`,
      { method: 'PATCH', body: { Name: 'x' } },
      400,
      'ENTITY_IS_DELETED',
    );
    const stored = org.emulator.org.store.get('Account', accountId);
    expect(stored?.IsDeleted).toBe(true);
    expect(org.emulator.org.store.get('Contact', contactId)?.IsDeleted).toBe(true);
  });

  it('refuses writes to objects the API cannot write', async () => {
    await expectError(
      '/sobjects/Organization',
      { method: 'POST', body: { Name: 'x' } },
      400,
      'INVALID_TYPE_FOR_OPERATION',
    );
    await expectError(
      `/sobjects/Organization/${org.emulator.org.id}`,
      { method: 'DELETE' },
      400,
      'INVALID_TYPE_FOR_OPERATION',
    );
  });

  it('answers an unsupported method with METHOD_NOT_ALLOWED', async () => {
    const result = await org.api('/sobjects/Account', { method: 'PUT', body: { Name: 'x' } });
    expect(result.status).toBe(405);
    expect(result.body[0].errorCode).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('jsforce against the emulator', () => {
  it('does CRUD and describe through jsforce', async () => {
    const connection = new Connection({ instanceUrl: org.url, accessToken: org.token, version: '66.0' });
    const created = await connection.sobject('Account').create({ Name: 'Via jsforce', Industry: 'Banking' });
    expect(created.success).toBe(true);
    const id = created.id!;
    const record = await connection.sobject('Account').retrieve(id);
    expect(record.Name).toBe('Via jsforce');
    const updated = await connection.sobject('Account').update({ Id: id, Name: 'Renamed' });
    expect(updated.success).toBe(true);
    expect((await connection.sobject('Account').retrieve(id)).Name).toBe('Renamed');
    const describe = await connection.describe('Contact');
    expect(describe.fields.some((field) => field.name === 'Email' && field.type === 'email')).toBe(true);
    const global = await connection.describeGlobal();
    expect(global.sobjects.some((entry) => entry.name === 'Opportunity')).toBe(true);
    const failure = await connection
      .sobject('Account')
      .create({ Industry: 'No name' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { errorCode?: string }).errorCode).toBe('REQUIRED_FIELD_MISSING');
    const deleted = await connection.sobject('Account').destroy(id);
    expect(deleted.success).toBe(true);
    const limits = await connection.limits();
    expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);
  });
});
