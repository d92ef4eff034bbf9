import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  Org,
  type RunningEmulator,
  startEmulator,
  type UserSpec,
} from '../../emulator/index.ts';
import { passwordGrant } from '../support/emulator.ts';

const VERSION = '66.0';
const CLIENT_ID = 'forcefield-demo';
const CLIENT_SECRET = 'forcefield-demo-secret';

interface Session {
  token: string;
  userId: string;
}

interface Result {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
  body: any;
}

/** Logs a user in as a client would: the OAuth password grant. */
async function login(url: string, username: string): Promise<Session> {
  const response = await passwordGrant(url, username, DEMO_PASSWORD);
  const body = (await response.json()) as { access_token: string; id: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { token: body.access_token, userId: body.id.split('/').at(-1)! };
}

async function call(
  url: string,
  session: Session,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Result> {
  const response = await fetch(`${url}/services/data/v${VERSION}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${session.token}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function expectError(result: Result, status: number, errorCode: string): void {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.body[0].errorCode, JSON.stringify(result.body)).toBe(errorCode);
}

const query = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;

describe('demo org: profiles, field-level security and sharing', () => {
  let emulator: RunningEmulator;
  let url: string;
  const sessions: Record<string, Session> = {};

  const as = (user: string, path: string, init?: { method?: string; body?: unknown }) =>
    call(url, sessions[user], path, init);

  /** A live record of the object owned by the user, straight from the store (the test's ground truth). */
  const ownedBy = (objectName: string, user: string) =>
    [...emulator.org.store.table(objectName).records.values()].filter(
      (record) => record.IsDeleted === false && record.OwnerId === sessions[user].userId,
    );

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    url = emulator.url;
    for (const user of ['alice', 'bob', 'carol', 'dave'])
      sessions[user] = await login(url, `${user}@acme.demo`);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  describe('object permissions: users × operations × objects', () => {
    const OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task'] as const;
    type ObjectName = (typeof OBJECTS)[number];
    const CREATE: Record<ObjectName, Record<string, unknown>> = {
      Account: { Name: 'Security Test Account' },
      Contact: { LastName: 'Securitytest' },
      Lead: { LastName: 'Securitytest', Company: 'Security Test Co' },
      Opportunity: { Name: 'Security Test Deal', StageName: 'Prospecting', CloseDate: '2026-12-31' },
      Case: { Subject: 'Security test case' },
      Task: { Subject: 'Security test task' },
    };
    const UPDATE: Record<ObjectName, Record<string, unknown>> = {
      Account: { Description: 'updated' },
      Contact: { Title: 'updated' },
      Lead: { Title: 'updated' },
      Opportunity: { NextStep: 'updated' },
      Case: { Description: 'updated' },
      Task: { Description: 'updated' },
    };
    const OK = 'ok';
    const DENIED = 'INSUFFICIENT_ACCESS_OR_READONLY';
    const NO_OBJECT = 'NOT_FOUND';
    type Outcome = typeof OK | typeof DENIED | typeof NO_OBJECT | 'INVALID_TYPE';
    type Operation = 'create' | 'read' | 'update' | 'delete';

    /** What Salesforce answers, per user and operation; objects not listed follow `otherwise`. */
    const EXPECTED: Record<
      string,
      Record<Operation, Partial<Record<ObjectName, Outcome>> & { otherwise: Outcome }>
    > = {
      alice: {
        create: { otherwise: OK },
        read: { otherwise: OK },
        update: { otherwise: OK },
        delete: { otherwise: OK },
      },
      bob: {
        create: { otherwise: OK },
        read: { otherwise: OK },
        update: { otherwise: OK },
        delete: { Account: DENIED, Opportunity: DENIED, otherwise: OK },
      },
      carol: {
        create: { otherwise: DENIED },
        read: { otherwise: OK },
        update: { otherwise: DENIED },
        delete: { otherwise: DENIED },
      },
      dave: {
        create: { Case: NO_OBJECT, otherwise: OK },
        read: { Case: 'INVALID_TYPE', otherwise: OK },
        update: { Case: NO_OBJECT, otherwise: OK },
        delete: { Account: DENIED, Opportunity: DENIED, Case: NO_OBJECT, otherwise: OK },
      },
    };
    const STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
      INSUFFICIENT_ACCESS_OR_READONLY: 400,
      NOT_FOUND: 404,
      INVALID_TYPE: 400,
    };

    /** Records each user created (carol, who cannot create, works on alice's). */
    const created: Record<string, Partial<Record<ObjectName, string>>> = {};
    const target = (user: string, objectName: ObjectName) =>
      created[user]?.[objectName] ?? created.alice[objectName]!;

    const rows = (['create', 'read', 'update', 'delete'] as const).flatMap((operation) =>
      ['alice', 'bob', 'carol', 'dave'].flatMap((user) =>
        OBJECTS.map((objectName) => {
          const expected = EXPECTED[user][operation];
          return { user, operation, objectName, outcome: expected[objectName] ?? expected.otherwise };
        }),
      ),
    );

    it.each(rows)(
      '$user $operation $objectName → $outcome',
      async ({ user, operation, objectName, outcome }) => {
        let result: Result;
        switch (operation) {
          case 'create':
            result = await as(user, `/sobjects/${objectName}`, { method: 'POST', body: CREATE[objectName] });
            if (result.status === 201) created[user] = { ...created[user], [objectName]: result.body.id };
            break;
          case 'read':
            result = await as(user, query(`SELECT Id FROM ${objectName} LIMIT 1`));
            break;
          case 'update':
            result = await as(user, `/sobjects/${objectName}/${target(user, objectName)}`, {
              method: 'PATCH',
              body: UPDATE[objectName],
            });
            break;
          case 'delete':
            result = await as(user, `/sobjects/${objectName}/${target(user, objectName)}`, {
              method: 'DELETE',
            });
            break;
        }
        if (outcome === OK) expect(result.status, JSON.stringify(result.body)).toBeLessThan(300);
        else expectError(result, STATUS[outcome], outcome);
      },
    );

    it('answers the entity-level denial with Salesforce message', async () => {
      const result = await as('carol', '/sobjects/Account', { method: 'POST', body: { Name: 'Nope' } });
      expect(result.body).toEqual([
        { errorCode: DENIED, message: 'insufficient access rights on object id', fields: [] },
      ]);
    });
  });

  describe('describe reflects the caller', () => {
    it('leaves unreadable objects out of describeGlobal and answers NOT_FOUND for them', async () => {
      const names = (user: string) =>
        as(user, '/sobjects').then((result) =>
          (result.body.sobjects as Array<{ name: string }>).map((entry) => entry.name),
        );
      expect(await names('alice')).toContain('Case');
      expect(await names('dave')).not.toContain('Case');
      expect(await names('dave')).toContain('Opportunity');
      expectError(await as('dave', '/sobjects/Case/describe'), 404, 'NOT_FOUND');
      expectError(await as('dave', '/sobjects/Case'), 404, 'NOT_FOUND');
    });

    it('gives object flags per the profile', async () => {
      const flags = async (user: string, objectName: string) => {
        const { body } = await as(user, `/sobjects/${objectName}/describe`);
        return { createable: body.createable, updateable: body.updateable, deletable: body.deletable };
      };
      expect(await flags('alice', 'Account')).toEqual({
        createable: true,
        updateable: true,
        deletable: true,
      });
      expect(await flags('bob', 'Account')).toEqual({ createable: true, updateable: true, deletable: false });
      expect(await flags('bob', 'Contact')).toEqual({ createable: true, updateable: true, deletable: true });
      expect(await flags('carol', 'Contact')).toEqual({
        createable: false,
        updateable: false,
        deletable: false,
      });
      const { body: global } = await as('carol', '/sobjects');
      const lead = (global.sobjects as Array<Record<string, unknown>>).find(
        (entry) => entry.name === 'Lead',
      )!;
      expect(lead.createable).toBe(false);
      expect(lead.queryable).toBe(true);
    });

    it('hides a field the profile cannot read, and the child relationships of unreadable objects', async () => {
      const fieldNames = async (user: string, objectName: string) => {
        const { body } = await as(user, `/sobjects/${objectName}/describe`);
        return body as {
          fields: Array<{ name: string }>;
          childRelationships: Array<{ childSObject: string }>;
        };
      };
      const alice = await fieldNames('alice', 'Opportunity');
      const dave = await fieldNames('dave', 'Opportunity');
      expect(alice.fields.map((field) => field.name)).toContain('Amount');
      expect(dave.fields.map((field) => field.name)).not.toContain('Amount');
      expect(dave.fields.map((field) => field.name)).toContain('StageName');
      const account = await fieldNames('dave', 'Account');
      expect(account.childRelationships.map((relationship) => relationship.childSObject)).not.toContain(
        'Case',
      );
    });
  });

  describe('field-level security (dave cannot see Opportunity.Amount)', () => {
    it('answers INVALID_FIELD for Amount anywhere in SOQL, as for a nonexistent field', async () => {
      for (const soql of [
        'SELECT Amount FROM Opportunity',
        'SELECT Id FROM Opportunity WHERE Amount > 0',
        'SELECT Id FROM Opportunity ORDER BY Amount',
        'SELECT Id, Opportunity.Amount FROM OpportunityContactRole',
        'SELECT Id, (SELECT Amount FROM Opportunities) FROM Account',
      ]) {
        const result = await as('dave', query(soql));
        expectError(result, 400, 'INVALID_FIELD');
        expect(result.body[0].message).toContain("No such column 'Amount' on entity 'Opportunity'");
      }
      const alice = await as('alice', query('SELECT Amount FROM Opportunity LIMIT 1'));
      expect(alice.status).toBe(200);
    });

    it('leaves Amount out of FIELDS(ALL) and of a retrieve without fields', async () => {
      const all = await as('dave', query('SELECT FIELDS(ALL) FROM Opportunity LIMIT 5'));
      expect(all.status, JSON.stringify(all.body)).toBe(200);
      expect(all.body.records.length).toBeGreaterThan(0);
      for (const record of all.body.records) {
        expect(record).not.toHaveProperty('Amount');
        expect(record).toHaveProperty('StageName');
      }
      const id = all.body.records[0].Id;
      const retrieved = await as('dave', `/sobjects/Opportunity/${id}`);
      expect(retrieved.status).toBe(200);
      expect(retrieved.body).not.toHaveProperty('Amount');
      expect(retrieved.body).toHaveProperty('Name');
      expectError(await as('dave', `/sobjects/Opportunity/${id}?fields=Name,Amount`), 400, 'INVALID_FIELD');
      const adminView = await as('alice', `/sobjects/Opportunity/${id}`);
      expect(adminView.body).toHaveProperty('Amount');
    });

    it('refuses Amount in a write body as a column that does not exist for him', async () => {
      const created = await as('dave', '/sobjects/Opportunity', {
        method: 'POST',
        body: { Name: 'Contractor deal', StageName: 'Prospecting', CloseDate: '2026-11-30', Amount: 5000 },
      });
      expectError(created, 400, 'INVALID_FIELD');
      expect(created.body[0].message).toBe("No such column 'Amount' on sobject of type Opportunity");
    });

    it('works the same through jsforce', async () => {
      const connection = new Connection({
        oauth2: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: url },
        version: VERSION,
      });
      await connection.login('dave@acme.demo', DEMO_PASSWORD);
      const describe = await connection.sobject('Opportunity').describe();
      expect(describe.fields.map((field) => field.name)).not.toContain('Amount');
      await expect(connection.query('SELECT Amount FROM Opportunity')).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
      });
      await expect(connection.query('SELECT Id FROM Case')).rejects.toMatchObject({
        errorCode: 'INVALID_TYPE',
      });
      const mine = await connection.query<{ Id: string }>('SELECT Id FROM Opportunity');
      expect(mine.totalSize).toBe(ownedBy('Opportunity', 'dave').length);
    });
  });

  describe('Opportunity is Private: records bob does not own are invisible to him', () => {
    const aliceOpportunity = () => {
      // One on an account with a plain name, so a SOSL phrase finds exactly its account's deals.
      const record = ownedBy('Opportunity', 'alice').find((opportunity) =>
        /^[A-Za-z]+(?: [A-Za-z]+)* - /.test(opportunity.Name as string),
      );
      if (!record) throw new Error('the demo seed gives alice an opportunity');
      return record;
    };

    it('queries return only his own, for COUNT() and queryAll too; admins see all', async () => {
      const bobs = ownedBy('Opportunity', 'bob');
      expect(bobs.length).toBeGreaterThan(0);
      const result = await as('bob', query('SELECT Id, OwnerId FROM Opportunity'));
      expect(result.body.totalSize).toBe(bobs.length);
      for (const record of result.body.records) expect(record.OwnerId).toBe(sessions.bob.userId);
      const count = await as('bob', query('SELECT COUNT() FROM Opportunity'));
      expect(count.body.totalSize).toBe(bobs.length);
      const all = await call(
        url,
        sessions.bob,
        `/queryAll?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`,
      );
      expect(all.body.totalSize).toBe(bobs.length);
      const alice = await as('alice', query('SELECT COUNT() FROM Opportunity'));
      expect(alice.body.totalSize).toBeGreaterThan(bobs.length);
      // carol reads under the same default: she owns none, so she sees none.
      expect((await as('carol', query('SELECT COUNT() FROM Opportunity'))).body.totalSize).toBe(0);
    });

    it('hides them from child subqueries and semi-joins', async () => {
      const opportunity = aliceOpportunity();
      const children = await as(
        'bob',
        query(`SELECT Id, (SELECT Id FROM Opportunities) FROM Account WHERE Id = '${opportunity.AccountId}'`),
      );
      expect(children.body.records[0].Opportunities).toBeNull();
      const semiJoin = await as(
        'bob',
        query(
          `SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity) AND Id = '${opportunity.AccountId}'`,
        ),
      );
      expect(semiJoin.body.totalSize).toBe(0);
    });

    it('finds none of them in a search', async () => {
      const opportunity = aliceOpportunity();
      const company = (opportunity.Name as string).split(' - ')[0];
      const sosl = `FIND {"${company}"} IN NAME FIELDS RETURNING Opportunity(Id, Name)`;
      const alice = await as('alice', `/search?q=${encodeURIComponent(sosl)}`);
      expect(alice.body.searchRecords.map((record: { Id: string }) => record.Id)).toContain(opportunity.Id);
      const bob = await as('bob', `/search?q=${encodeURIComponent(sosl)}`);
      expect(bob.status).toBe(200);
      expect(bob.body.searchRecords).toEqual([]);
      const parameterized = await as(
        'bob',
        `/parameterizedSearch?q=${encodeURIComponent(company)}&sobject=Opportunity&Opportunity.fields=Id`,
      );
      expect(parameterized.body.searchRecords).toEqual([]);
    });

    it('answers NOT_FOUND to a retrieve, and INSUFFICIENT_ACCESS_OR_READONLY to an update', async () => {
      const opportunity = aliceOpportunity();
      expectError(await as('bob', `/sobjects/Opportunity/${opportunity.Id}`), 404, 'NOT_FOUND');
      expectError(
        await as('bob', `/sobjects/Opportunity/${opportunity.Id}`, {
          method: 'PATCH',
          body: { NextStep: 'mine now' },
        }),
        400,
        'INSUFFICIENT_ACCESS_OR_READONLY',
      );
      const collection = await as(
        'bob',
        `/composite/sobjects/Opportunity?ids=${opportunity.Id}&fields=Id,Name`,
      );
      expect(collection.body).toEqual([null]);
      const saved = await as('bob', '/composite/sobjects', {
        method: 'PATCH',
        body: { records: [{ attributes: { type: 'Opportunity' }, id: opportunity.Id, NextStep: 'x' }] },
      });
      expect(saved.body[0].success).toBe(false);
      expect(saved.body[0].errors[0].statusCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    });

    it('refuses a Task or contact role linked to an opportunity he cannot see', async () => {
      const opportunity = aliceOpportunity();
      const task = await as('bob', '/sobjects/Task', {
        method: 'POST',
        body: { Subject: 'Sneak a peek', WhatId: opportunity.Id },
      });
      expectError(task, 400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
      expect(task.body[0].message).toBe('insufficient access rights on cross-reference id');
      const contact = ownedBy('Contact', 'bob')[0];
      const role = await as('bob', '/sobjects/OpportunityContactRole', {
        method: 'POST',
        body: { OpportunityId: opportunity.Id, ContactId: contact.Id },
      });
      expectError(role, 400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
      const composite = await as('bob', '/composite', {
        method: 'POST',
        body: {
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: `/services/data/v${VERSION}/sobjects/Task`,
              referenceId: 'task',
              body: { Subject: 'Again', WhatId: opportunity.Id },
            },
          ],
        },
      });
      expect(composite.body.compositeResponse[0].body[0].errorCode).toBe(
        'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      );
    });

    it('returns null for a parent he cannot see, and shows his own task on it', async () => {
      const opportunity = aliceOpportunity();
      // alice assigns bob a task on her deal: he owns the task, so he sees it, but not the deal.
      const created = await as('alice', '/sobjects/Task', {
        method: 'POST',
        body: { Subject: 'Call them for alice', WhatId: opportunity.Id, OwnerId: sessions.bob.userId },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const result = await as(
        'bob',
        query(`SELECT Id, WhatId, What.Name FROM Task WHERE Id = '${created.body.id}'`),
      );
      expect(result.body.totalSize).toBe(1);
      expect(result.body.records[0].WhatId).toBe(opportunity.Id);
      expect(result.body.records[0].What).toBeNull();
      // alice's own tasks on her deals stay hidden from bob.
      const hidden = [...emulator.org.store.table('Task').records.values()].find(
        (task) => task.OwnerId === sessions.alice.userId && task.WhatId === opportunity.Id,
      );
      if (hidden) expectError(await as('bob', `/sobjects/Task/${hidden.Id}`), 404, 'NOT_FOUND');
      const roles = await as('bob', query('SELECT Opportunity.OwnerId FROM OpportunityContactRole'));
      for (const role of roles.body.records) expect(role.Opportunity.OwnerId).toBe(sessions.bob.userId);
    });

    it("lets bob edit alice's contact (Public Read/Write) but not delete it (owners delete)", async () => {
      const contact = ownedBy('Contact', 'alice')[0];
      const updated = await as('bob', `/sobjects/Contact/${contact.Id}`, {
        method: 'PATCH',
        body: { Title: 'VP' },
      });
      expect(updated.status).toBe(204);
      expectError(
        await as('bob', `/sobjects/Contact/${contact.Id}`, { method: 'DELETE' }),
        400,
        'INSUFFICIENT_ACCESS_OR_READONLY',
      );
      expectError(
        await as('bob', `/sobjects/Contact/${contact.Id}`, {
          method: 'PATCH',
          body: { OwnerId: sessions.bob.userId },
        }),
        400,
        'INSUFFICIENT_ACCESS_OR_READONLY',
      );
    });
  });

  it('has a Profile record per profile, so Profile.Name is queryable from User', async () => {
    const result = await as('alice', query('SELECT Username, Profile.Name FROM User ORDER BY Username'));
    const profiles = Object.fromEntries(
      result.body.records.map((record: { Username: string; Profile: { Name: string } }) => [
        record.Username,
        record.Profile.Name,
      ]),
    );
    expect(profiles).toEqual({
      'alice@acme.demo': 'System Administrator',
      'bob@acme.demo': 'Standard User',
      'carol@acme.demo': 'Read Only',
      'dave@acme.demo': 'Sales Contractor',
    });
    const names = await as('bob', query('SELECT Name FROM Profile ORDER BY Name'));
    expect(names.body.records.map((record: { Name: string }) => record.Name)).toEqual([
      'Read Only',
      'Sales Contractor',
      'Standard User',
      'System Administrator',
    ]);
    expectError(
      await as('alice', '/sobjects/Profile', { method: 'POST', body: { Name: 'X' } }),
      400,
      'INVALID_TYPE_FOR_OPERATION',
    );
  });
});

describe('custom profiles and organization-wide defaults from options', () => {
  let emulator: RunningEmulator;
  let alice: Session;
  let sam: Session;
  const users: UserSpec[] = [
    {
      username: 'alice@acme.demo',
      firstName: 'Alice',
      lastName: 'Admin',
      profile: 'System Administrator',
      password: DEMO_PASSWORD,
    },
    {
      username: 'sam@acme.demo',
      firstName: 'Sam',
      lastName: 'Support',
      profile: 'support agent',
      password: DEMO_PASSWORD,
    },
  ];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      seed: 'none',
      users,
      profiles: [
        {
          name: 'Support Agent',
          objects: { Account: { read: true, edit: true }, Case: { create: true, read: true, edit: true } },
          fields: { 'Case.Priority': { readable: true, editable: false } },
        },
      ],
      sharingModels: { Account: 'Read' },
    });
    alice = await login(emulator.url, 'alice@acme.demo');
    sam = await login(emulator.url, 'sam@acme.demo');
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('gives the custom profile exactly its objects', async () => {
    const { body } = await call(emulator.url, sam, '/sobjects');
    const names = (body.sobjects as Array<{ name: string }>).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Case', 'User']));
    expect(names).not.toContain('Opportunity');
    expectError(await call(emulator.url, sam, query('SELECT Id FROM Opportunity')), 400, 'INVALID_TYPE');
    expectError(
      await call(emulator.url, sam, '/sobjects/Account', { method: 'POST', body: { Name: 'Nope' } }),
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
    );
  });

  it('answers INVALID_FIELD_FOR_INSERT_UPDATE for a read-only field, and says so in describe', async () => {
    const denied = await call(emulator.url, sam, '/sobjects/Case', {
      method: 'POST',
      body: { Subject: 'Printer on fire', Priority: 'High' },
    });
    expectError(denied, 400, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(denied.body[0].fields).toEqual(['Priority']);
    const created = await call(emulator.url, sam, '/sobjects/Case', {
      method: 'POST',
      body: { Subject: 'Printer on fire' },
    });
    expect(created.status).toBe(201);
    const { body } = await call(emulator.url, sam, '/sobjects/Case/describe');
    const priority = (body.fields as Array<Record<string, unknown>>).find(
      (field) => field.name === 'Priority',
    )!;
    expect(priority).toMatchObject({ createable: false, updateable: false });
  });

  it('applies Public Read Only: everyone reads, only the owner edits', async () => {
    const created = await call(emulator.url, alice, '/sobjects/Account', {
      method: 'POST',
      body: { Name: 'Globex' },
    });
    expect(created.status).toBe(201);
    const read = await call(emulator.url, sam, `/sobjects/Account/${created.body.id}`);
    expect(read.status).toBe(200);
    expectError(
      await call(emulator.url, sam, `/sobjects/Account/${created.body.id}`, {
        method: 'PATCH',
        body: { Phone: '1' },
      }),
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
    );
    const profile = await call(
      emulator.url,
      alice,
      query("SELECT Profile.Name FROM User WHERE Username = 'sam@acme.demo'"),
    );
    expect(profile.body.records[0].Profile.Name).toBe('Support Agent');
  });

  it('refuses definitions Salesforce would refuse', () => {
    expect(
      () => new Org({ profiles: [{ name: 'Nameless', fields: { 'Account.Name': { readable: false } } }] }),
    ).toThrow(/does not apply to Account.Name/);
    expect(() => new Org({ profiles: [{ name: 'Typo', objects: { Acount: { read: true } } }] })).toThrow(
      /no object 'Acount'/,
    );
    expect(() => new Org({ profiles: [{ name: 'Standard User' }] })).toThrow(/Duplicate profile/);
    expect(() => new Org({ users: [{ ...users[0], profile: 'Nobody' }] })).toThrow(/no profile 'Nobody'/);
  });
});
