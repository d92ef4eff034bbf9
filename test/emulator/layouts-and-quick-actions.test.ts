import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

const ACTION_NAMES = ['NewTask', 'NewEvent', 'LogACall', 'NewNote'];

describe('describe/layouts', () => {
  it("answers the object's layout with detail and edit sections, related lists and quick actions", async () => {
    const result = await org.api('/sobjects/Account/describe/layouts');
    expect(result.status).toBe(200);
    expect(result.body.recordTypeMapping).toEqual([]);
    expect(result.body.layouts).toHaveLength(1);
    const [layout] = result.body.layouts;
    expect(layout.id).toMatch(/^00h/);
    expect(layout.detailLayoutSections.map((section: { heading: string }) => section.heading)).toEqual([
      'Account Information',
      'System Information',
    ]);
    const items = layout.editLayoutSections[0].layoutRows.flatMap(
      (row: { layoutItems: unknown[] }) => row.layoutItems,
    );
    const name = items.find((item: { label: string }) => item.label === 'Account Name');
    expect(name).toMatchObject({ editableForNew: true, required: true, placeholder: false });
    expect(name.layoutComponents[0]).toMatchObject({
      type: 'Field',
      value: 'Name',
      details: { name: 'Name', type: 'string' },
    });
    expect(layout.relatedLists.map((list: { name: string }) => list.name)).toEqual(
      expect.arrayContaining(['Contacts', 'Opportunities']),
    );
    expect(
      layout.quickActionList.quickActionListItems.map(
        (item: { quickActionName: string }) => item.quickActionName,
      ),
    ).toEqual(ACTION_NAMES);
  });

  it('answers 404 for an unknown object', async () => {
    expect((await org.api('/sobjects/Nope/describe/layouts')).status).toBe(404);
  });
});

describe('quick actions', () => {
  it('lists the global actions with their URLs', async () => {
    const result = await org.api('/quickActions');
    expect(result.status).toBe(200);
    expect(result.body.map((action: { name: string }) => action.name)).toEqual(ACTION_NAMES);
    expect(result.body[0]).toEqual({
      actionEnumOrId: 'NewTask',
      label: 'New Task',
      name: 'NewTask',
      type: 'Create',
      urls: {
        defaultValuesTemplate: '/services/data/v66.0/quickActions/NewTask/defaultValues/{ID}',
        quickAction: '/services/data/v66.0/quickActions/NewTask',
        describe: '/services/data/v66.0/quickActions/NewTask/describe',
        defaultValues: '/services/data/v66.0/quickActions/NewTask/defaultValues',
      },
    });
  });

  it("lists an object's actions, and none for an object without activities", async () => {
    const result = await org.api('/sobjects/Contact/quickActions');
    expect(result.body.map((action: { name: string }) => action.name)).toEqual(
      ACTION_NAMES.map((name) => `Contact.${name}`),
    );
    expect((await org.api('/sobjects/User/quickActions')).body).toEqual([]);
  });

  it('describes an action: target object, parent field on a record, layout', async () => {
    const result = await org.api('/sobjects/Contact/quickActions/LogACall/describe');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      name: 'Contact.LogACall',
      type: 'LogACall',
      targetSobjectType: 'Task',
      contextSobjectType: 'Contact',
      targetParentField: 'WhoId',
    });
    const fields = result.body.layout.layoutRows.map(
      (row: { layoutItems: Array<{ layoutComponents: Array<{ value: string }> }> }) =>
        row.layoutItems[0].layoutComponents[0].value,
    );
    expect(fields).toContain('Subject');
    const global = await org.api('/quickActions/NewEvent');
    expect(global.body).toMatchObject({
      name: 'NewEvent',
      targetSobjectType: 'Event',
      contextSobjectType: null,
      targetParentField: null,
    });
    expect((await org.api('/sobjects/Account/quickActions/NewTask')).body.targetParentField).toBe('WhatId');
  });

  it('runs an action on a record: Log a Call creates a completed call linked to the contact', async () => {
    const contactId = (await org.api('/sobjects/Contact', { method: 'POST', body: { LastName: 'Caller' } }))
      .body.id;
    const result = await org.api('/sobjects/Contact/quickActions/LogACall', {
      method: 'POST',
      body: { contextId: contactId, record: { Subject: 'Intro call' } },
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      contextId: contactId,
      created: true,
      errors: [],
      feedItemIds: [],
      id: expect.stringMatching(/^00T/),
      ids: [result.body.id],
      success: true,
    });
    expect(org.emulator.org.store.get('Task', result.body.id)).toMatchObject({
      Subject: 'Intro call',
      WhoId: contactId,
      Status: 'Completed',
      TaskSubtype: 'Call',
    });
  });

  it('runs New Note on a record: a note linked to it', async () => {
    const accountId = (await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Noted Co' } }))
      .body.id;
    const content = Buffer.from('<p>Met the team</p>').toString('base64');
    const result = await org.api('/sobjects/Account/quickActions/NewNote', {
      method: 'POST',
      body: { contextId: accountId, record: { Title: 'Kickoff', Content: content } },
    });
    expect(result.status).toBe(201);
    const links = await org.api(
      `/query?q=${encodeURIComponent(`SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${result.body.id}'`)}`,
    );
    expect(links.body.records.map((link: { LinkedEntityId: string }) => link.LinkedEntityId)).toContain(
      accountId,
    );
  });

  it('refuses to run an action with a context record of another object, creating nothing', async () => {
    const accountId = (
      await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Wrong Context Co' } })
    ).body.id;
    const result = await org.api('/sobjects/Contact/quickActions/NewTask', {
      method: 'POST',
      body: { contextId: accountId, record: { Subject: 'Never' } },
    });
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    const tasks = await org.api(
      `/query?q=${encodeURIComponent("SELECT COUNT() FROM Task WHERE Subject = 'Never'")}`,
    );
    expect(tasks.body.totalSize).toBe(0);
  });

  it('answers 404 for an unknown action', async () => {
    const result = await org.api('/quickActions/Nope/describe');
    expect(result.status).toBe(404);
    expect(result.body[0].errorCode).toBe('NOT_FOUND');
  });

  it("hides actions whose target the caller's profile cannot create", async () => {
    const carolId = org.emulator.org.userIdByUsername('carol@acme.demo')!;
    const token = org.emulator.org.tokens.issueAccessToken(carolId, 'forcefield-demo', ['api']).token;
    const response = await fetch(`${org.dataUrl}/quickActions`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await response.json()).toEqual([]);
  });
});
