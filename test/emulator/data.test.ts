import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorArguments } from '../../emulator/cli.ts';
import { ManualClock } from '../../emulator/core/clock.ts';
import { IdGenerator, toId18 } from '../../emulator/core/ids.ts';
import { exportOrgData } from '../../emulator/data/export-org-data.ts';
import { createOrgFromData } from '../../emulator/data/load-org-data.ts';
import { readOrgDataFile } from '../../emulator/data/org-data-file.ts';
import { OrgDataError, parseOrgDataJson } from '../../emulator/data/org-data-format.ts';
import { replaceOrgData, resetOrgData } from '../../emulator/data/replace-org-data.ts';
import { checkSeed } from '../../emulator/data/starting-org.ts';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { Org } from '../../emulator/org/org.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';
import { passwordGrant } from '../support/emulator.ts';
import { ALICE_ID, handWrittenOrg } from '../support/org-data.ts';

const VERSION = 'v66.0';
const running: RunningEmulator[] = [];
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  running.push(emulator);
  return emulator;
}

/** Stops an emulator the test itself stops (so afterEach does not stop it twice). */
async function stop(emulator: RunningEmulator): Promise<void> {
  running.splice(running.indexOf(emulator), 1);
  await emulator.stop();
}

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'forcefield-data-'));
  directories.push(directory);
  return directory;
}

async function passwordLogin(url: string, username: string, password: string) {
  const response = await passwordGrant(url, username, password);
  return { status: response.status, body: (await response.json()) as { access_token: string } };
}

/** A REST client for one emulator, signed in as alice with the password grant. */
async function client(emulator: RunningEmulator, username = 'alice@acme.demo', password = 'demo1234') {
  const login = await passwordLogin(emulator.url, username, password);
  expect(login.status).toBe(200);
  const call = async (method: string, resource: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/services/data/${VERSION}${resource}`, {
      method,
      headers: {
        Authorization: `Bearer ${login.body.access_token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  return {
    call,
    query: (soql: string) => call('GET', `/query?q=${encodeURIComponent(soql)}`),
    search: (sosl: string) => call('GET', `/search?q=${encodeURIComponent(sosl)}`),
  };
}

function withRecords(records: Record<string, unknown[]>): Record<string, unknown> {
  return { ...handWrittenOrg(), records };
}

function issuesOf(work: () => unknown): OrgDataError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(OrgDataError);
    return error as OrgDataError;
  }
  throw new Error('expected an OrgDataError');
}

describe('org data round trip', () => {
  it('exports the demo org and loads it into a new emulator: same records by id, same answers over HTTP', async () => {
    const original = await start({ seed: 'demo' });
    const exported = JSON.parse(JSON.stringify(exportOrgData(original.org)));
    expect(exported.format).toBe('forcefield-emulator-org');
    expect(exported.records.User).toBeUndefined();
    expect(JSON.stringify(exported)).not.toContain('demo1234');

    const copy = await start({ data: exported });
    for (const [objectName, records] of Object.entries(exportOrgData(original.org).records)) {
      expect(copy.org.store.table(objectName).records.size).toBe(records.length);
      for (const record of records)
        expect(copy.org.store.get(objectName, record.Id as string)).toEqual(record);
    }
    const [before, after] = [await client(original), await client(copy)];
    for (const soql of [
      'SELECT Id, Name, Account.Name, Email FROM Contact ORDER BY LastName, Id',
      'SELECT StageName, COUNT(Id) total, SUM(Amount) amount FROM Opportunity GROUP BY StageName ORDER BY StageName',
      'SELECT Id, Subject, Who.Name, What.Name FROM Task ORDER BY Id',
      'SELECT Id, Owner.Username, CaseNumber FROM Case ORDER BY CaseNumber',
    ]) {
      const [expected, actual] = [await before.query(soql), await after.query(soql)];
      expect(actual.status).toBe(200);
      expect(actual.body).toEqual(expected.body);
    }

    // bob signs in to the copy with the password he had: the hash came across, the password did not.
    expect((await passwordLogin(copy.url, 'bob@acme.demo', 'demo1234')).status).toBe(200);
    expect((await passwordLogin(copy.url, 'bob@acme.demo', 'wrong')).status).toBe(400);

    const existingIds = new Set(exported.records.Account.map((record: StoredRecord) => record.Id));
    const created = await after.call('POST', '/sobjects/Account', { Name: 'Brand New' });
    expect(created.status).toBe(201);
    expect(existingIds.has(created.body.id)).toBe(false);
    expect(copy.org.store.get('Account', created.body.id)?.Name).toBe('Brand New');
  });

  it('loads a hand-written file: plain passwords, generated ids, defaults and derived fields', async () => {
    const emulator = await start({ data: handWrittenOrg() });
    expect(emulator.org.name).toBe('Globex Test');
    expect(emulator.org.sessionTimeoutSeconds).toBe(3600);
    expect(emulator.org.apiUsage.max).toBe(5000);
    expect((await passwordLogin(emulator.url, 'alice@acme.demo', 'demo1234')).status).toBe(400);
    const erin = await client(emulator, 'erin@globex.test', 'pw-erin');
    const contacts = await erin.query('SELECT Id, Name, Account.Name, OwnerId, IsDeleted FROM Contact');
    expect(contacts.body.records).toMatchObject([
      { Name: 'Quentin Quagmire', Account: { Name: 'Zyzzyva Widgets' }, OwnerId: ALICE_ID, IsDeleted: false },
    ]);
    const opportunity = emulator.org.store.table('Opportunity').records.values().next().value!;
    expect(opportunity).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100 });

    // A new record never takes an id the file used, nor one generated at load.
    const alice = await client(emulator, 'alice@acme.demo', 'globex-secret');
    const created = await alice.call('POST', '/sobjects/Account', { Name: 'Second' });
    expect(created.body.id).toBe(toId18('0018d0000000Zz2'));
  });

  it('keeps soft-deleted records, flagged IsDeleted', async () => {
    const emulator = await start({ seed: 'demo' });
    const alice = await client(emulator);
    const accountId = (await alice.call('POST', '/sobjects/Account', { Name: 'Doomed' })).body.id;
    expect((await alice.call('DELETE', `/sobjects/Account/${accountId}`)).status).toBe(204);
    const data = exportOrgData(emulator.org);
    expect(data.records.Account.find((record) => record.Id === accountId)?.IsDeleted).toBe(true);
    const copy = createOrgFromData(JSON.parse(JSON.stringify(data)));
    expect(copy.store.get('Account', accountId)?.IsDeleted).toBe(true);
  });
});

describe('bad org data', () => {
  it('refuses malformed JSON, another format and another version with one clear sentence', async () => {
    const malformed = issuesOf(() => parseOrgDataJson('{ "format": "forcefield-emulator-org",', 'org.json'));
    expect(malformed.code).toBe('INVALID_JSON');
    expect(malformed.message).toMatch(/^org\.json: invalid org data: malformed JSON: /);

    const format = issuesOf(() => createOrgFromData({ format: 'salesforce-dump', version: 1 }));
    expect(format.code).toBe('UNSUPPORTED_FORMAT');
    expect(format.message).toMatch(/format: expected "forcefield-emulator-org".*got "salesforce-dump"/);

    const version = issuesOf(() => createOrgFromData({ format: 'forcefield-emulator-org', version: 2 }));
    expect(version.message).toMatch(/version: unsupported version 2: this emulator reads version 1/);

    const directory = await temporaryDirectory();
    const file = path.join(directory, 'broken.json');
    await writeFile(file, '{ not json');
    await expect(readOrgDataFile(file)).rejects.toThrow(/broken\.json: invalid org data: malformed JSON/);
    await expect(readOrgDataFile(path.join(directory, 'missing.json'))).rejects.toThrow(
      /missing\.json: no such file/,
    );
  });

  it('names the path of every bad value: unknown object, unknown field, bad type, bad reference, bad profile', () => {
    const error = issuesOf(() =>
      createOrgFromData({
        ...withRecords({
          Widget: [{ Name: 'x' }],
          Account: [
            { Id: '0018d0000000Zz1', Name: 'Fine' },
            { Name: 'Colourful', Colour: 'blue' },
            { Name: 'Huge', NumberOfEmployees: 'many' },
          ],
          Contact: [
            { LastName: 'Fine', AccountId: '0018d0000000Zz1' },
            { LastName: 'Orphan', AccountId: '0018d0000000Zz9' },
          ],
        }),
        users: [
          {
            username: 'zed@globex.test',
            firstName: 'Zed',
            lastName: 'Wizard',
            profile: 'Chief Wizard',
            password: 'x',
          },
        ],
      }),
    );
    expect(error.code).toBe('INVALID_DATA');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'users[0].profile',
      'records.Widget',
      'records.Account[1].Colour',
      'records.Account[2].NumberOfEmployees',
    ]);
    expect(error.message).toContain(
      'users[0].profile: unknown profile "Chief Wizard" (known: System Administrator',
    );
    expect(error.message).toContain('records.Widget: unknown object "Widget"');
    expect(error.message).toContain('records.Account[1].Colour: no field "Colour" on Account');
    expect(error.message).toContain('records.Account[2].NumberOfEmployees: value not of required type: many');

    // References are checked once every record has been read.
    const reference = issuesOf(() =>
      createOrgFromData(
        withRecords({
          Account: [{ Id: '0018d0000000Zz1', Name: 'Fine' }],
          Contact: [
            { LastName: 'Fine', AccountId: '0018d0000000Zz1' },
            { LastName: 'Orphan', AccountId: '0018d0000000Zz9' },
            { LastName: 'Confused', AccountId: '0038d0000000Zz1' },
          ],
        }),
      ),
    );
    expect(reference.message).toMatch(
      /records\.Contact\[1\]\.AccountId: no Account with id 0018d0000000Zz9\w* in the data/,
    );
    expect(reference.message).toMatch(
      /records\.Contact\[2\]\.AccountId: expected an id of Account, got 0038d0000000Zz1/,
    );
  });

  it('refuses duplicate ids and usernames, users under records, and a bad settings value', () => {
    const error = issuesOf(() =>
      createOrgFromData({
        ...withRecords({
          Account: [
            { Id: '0018d0000000Zz1', Name: 'One' },
            { Id: '0018d0000000ZZ1', Name: 'Not the same (ids are case-sensitive)' },
            { Id: toId18('0018d0000000Zz1'), Name: 'The same id, 18 characters' },
          ],
          User: [{ Username: 'sneaky@globex.test' }],
        }),
      }),
    );
    expect(error.message).toContain(
      `records.Account[2].Id: duplicate id ${toId18('0018d0000000Zz1')} (also records.Account[0])`,
    );
    expect(error.message).toContain('records.User: users are defined under "users"');
    expect(error.issues).toHaveLength(2);

    const shapes = issuesOf(() =>
      createOrgFromData(withRecords({ Account: ['Acme', [1]], Lead: 'none' } as never)),
    );
    expect(shapes.message).toContain('records.Lead: expected an array of records');
    const records = issuesOf(() => createOrgFromData(withRecords({ Account: ['Acme', [1]] })));
    expect(records.issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'records.Account[0]: expected a record: an object of field names and values',
      'records.Account[1]: expected a record: an object of field names and values',
    ]);

    const settings = issuesOf(() =>
      createOrgFromData({ ...handWrittenOrg(), settings: { sessionTimeoutSeconds: -5 } }),
    );
    expect(settings.message).toMatch(/settings\.sessionTimeoutSeconds: /);
    const password = issuesOf(() =>
      createOrgFromData({
        ...handWrittenOrg(),
        users: [{ username: 'a@b.test', firstName: 'A', lastName: 'B', profile: 'Read Only' }],
      }),
    );
    expect(password.message).toMatch(/users\[0\]\.password: give exactly one of password and passwordHash/);
  });

  it('leaves a running org untouched when replacement data is bad', async () => {
    const emulator = await start({ seed: 'demo' });
    const alice = await client(emulator);
    const before = exportOrgData(emulator.org);
    const accountName = before.records.Account[0].Name as string;
    const bad = withRecords({
      Account: [{ Id: '0018d0000000Zz1', Name: 'Zyzzyva Widgets' }],
      Contact: [{ LastName: 'Orphan', AccountId: '0018d0000000Zz9' }],
    });
    expect(() => replaceOrgData(emulator.org, bad)).toThrow(/records\.Contact\[0\]\.AccountId/);
    expect(exportOrgData(emulator.org)).toEqual(before);
    expect(emulator.org.name).toBe('Acme Demo');
    const search = await alice.search(`FIND {${accountName}} IN NAME FIELDS RETURNING Account(Name)`);
    expect(search.body.searchRecords.map((record: StoredRecord) => record.Name)).toContain(accountName);
    expect((await alice.search('FIND {Zyzzyva} RETURNING Account(Name)')).body.searchRecords).toEqual([]);
  });
});

describe('replacing and resetting a running org', () => {
  it('keeps search consistent: finds the loaded records, not the old ones; reset brings the old ones back', async () => {
    const emulator = await start({ seed: 'demo' });
    const alice = await client(emulator);
    const oldName = exportOrgData(emulator.org).records.Account[0].Name as string;
    const bob = await client(emulator, 'bob@acme.demo');
    const names = async (sosl: string) =>
      (await alice.search(sosl)).body.searchRecords.map((record: StoredRecord) => record.Name);

    replaceOrgData(emulator.org, handWrittenOrg());
    expect(emulator.org.name).toBe('Globex Test');
    // alice kept her id, so her session lives on; bob is gone, and so is his session.
    expect(await names('FIND {Zyzzyva} RETURNING Account(Name), Opportunity(Name)')).toEqual([
      'Zyzzyva Widgets',
      'Zyzzyva renewal',
    ]);
    expect(await names(`FIND {${oldName}} IN NAME FIELDS RETURNING Account(Name)`)).toEqual([]);
    expect((await bob.query('SELECT Id FROM Account')).status).toBe(401);
    expect((await passwordLogin(emulator.url, 'erin@globex.test', 'pw-erin')).status).toBe(200);
    expect((await alice.query('SELECT COUNT() FROM Contact')).body.totalSize).toBe(1);

    resetOrgData(emulator.org);
    expect(emulator.org.name).toBe('Acme Demo');
    expect(await names(`FIND {${oldName}} IN NAME FIELDS RETURNING Account(Name)`)).toContain(oldName);
    expect(await names('FIND {Zyzzyva} RETURNING Account(Name)')).toEqual([]);
    expect((await passwordLogin(emulator.url, 'bob@acme.demo', 'demo1234')).status).toBe(200);
    expect((await passwordLogin(emulator.url, 'erin@globex.test', 'pw-erin')).status).toBe(400);
  });

  it('resets to the data file the emulator started with, handing out no id twice', async () => {
    const emulator = await start({ data: handWrittenOrg() });
    const alice = await client(emulator, 'alice@acme.demo', 'globex-secret');
    const first = (await alice.call('POST', '/sobjects/Account', { Name: 'Temporary' })).body.id;
    resetOrgData(emulator.org);
    expect(emulator.org.store.get('Account', first)).toBeUndefined();
    expect(
      (await alice.query('SELECT Name FROM Account')).body.records.map((r: StoredRecord) => r.Name),
    ).toEqual(['Zyzzyva Widgets']);
    const second = (await alice.call('POST', '/sobjects/Account', { Name: 'Temporary again' })).body.id;
    expect(second).not.toBe(first);
  });
});

describe('RecordStore.replaceAll and IdGenerator.observe', () => {
  it('replaces every record in place and tells listeners about each removal and insertion', () => {
    const org = new Org();
    const account = (id: string, name: string): StoredRecord => ({
      Id: id,
      ...org.systemFields(org.adminUserId),
      Name: name,
    });
    const [kept, dropped, added] = [org.ids.next('001'), org.ids.next('001'), org.ids.next('001')];
    org.store.insert('Account', account(kept, 'Kept'));
    org.store.insert('Account', account(dropped, 'Dropped'));
    const changes: string[] = [];
    org.store.subscribe((change) =>
      changes.push(
        `${change.objectName} ${change.after ? (change.before ? 'update' : 'insert') : 'remove'} ${change.after?.Name ?? change.before?.Name}`,
      ),
    );
    org.store.replaceAll(new Map([['Account', [account(kept, 'Kept, renamed'), account(added, 'Added')]]]));
    expect(changes.filter((change) => change.startsWith('Account'))).toEqual([
      'Account remove Dropped',
      'Account update Kept, renamed',
      'Account insert Added',
    ]);
    expect([...org.store.table('Account').lookup('Name', 'dropped')!]).toEqual([]);
    expect([...org.store.table('Account').lookup('Name', 'added')!]).toEqual([added]);
    // Objects left out end up empty: the demo users too.
    expect(changes.some((change) => change.startsWith('User remove'))).toBe(true);
    org.store.clear();
    expect(org.store.table('Account').records.size).toBe(0);
  });

  it('moves counters past ids of its own shape and ignores others', () => {
    const ids = new IdGenerator();
    ids.observe('0018d0000000Zz1');
    expect(ids.next('001')).toBe(toId18('0018d0000000Zz2'));
    ids.observe('0018d0000000001'); // behind the counter: no change
    expect(ids.next('001')).toBe(toId18('0018d0000000Zz3'));
    ids.observe('0015000000Gv7qJ'); // another instance: can never collide
    expect(ids.next('003')).toBe('0038d0000000001AAA');
  });
});

describe('saving to the data file', () => {
  it('saves on stop, atomically, without plain passwords; the saved file loads back', async () => {
    const directory = await temporaryDirectory();
    const file = path.join(directory, 'org.json');
    await writeFile(file, JSON.stringify(handWrittenOrg()));
    const emulator = await start({ dataFile: file, saveOnStop: true });
    const alice = await client(emulator, 'alice@acme.demo', 'globex-secret');
    const created = await alice.call('POST', '/sobjects/Contact', {
      LastName: 'Saved',
      AccountId: '0018d0000000Zz1',
    });
    expect(created.status).toBe(201);
    await stop(emulator);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('globex-secret');
    expect(text).not.toContain('pw-erin');
    expect(text).not.toMatch(/"password"/);
    expect(text).toMatch(/"passwordHash": "sha256\$/);
    expect(await readdir(directory)).toEqual(['org.json']);
    const saved = await readOrgDataFile(file);
    expect((saved.records.Contact as StoredRecord[]).map((record) => record.Id)).toContain(created.body.id);

    const reloaded = await start({ dataFile: file });
    expect(reloaded.org.store.get('Contact', created.body.id)).toMatchObject({
      LastName: 'Saved',
      Name: 'Saved',
    });
    expect((await passwordLogin(reloaded.url, 'erin@globex.test', 'pw-erin')).status).toBe(200);
  });

  it('creates the file from the seed when it does not exist yet', async () => {
    const directory = await temporaryDirectory();
    const file = path.join(directory, 'new-org.json');
    await expect(start({ dataFile: file })).rejects.toThrow(/new-org\.json: no such file/);
    const emulator = await start({ dataFile: file, saveOnStop: true, seed: 'none' });
    await stop(emulator);
    const saved = await readOrgDataFile(file);
    expect(saved.users?.map((user) => user.username)).toContain('alice@acme.demo');
    expect(saved.records).toEqual({});
    await expect(start({ dataFile: file, seed: 'demo' })).rejects.toThrow(/seed and org data are exclusive/);
  });
});

describe('seed option', () => {
  it('makes a large deterministic org from a record count', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
    const emulator = await start({ seed: 2000, seedValue: 5, clock });
    const counts = Object.fromEntries(
      ['Account', 'Contact', 'Lead', 'Opportunity'].map((name) => [
        name,
        emulator.org.store.table(name).records.size,
      ]),
    );
    expect(counts).toEqual({ Account: 400, Contact: 1200, Lead: 400, Opportunity: 0 });
    const alice = await client(emulator);
    expect((await alice.query('SELECT COUNT() FROM Contact')).body.totalSize).toBe(1200);
    const again = await start({ seed: 2000, seedValue: 5, clock });
    expect(exportOrgData(again.org).records).toEqual(exportOrgData(emulator.org).records);
  });

  it('validates the seed: demo, none, or a whole number of records up to 2,000,000', async () => {
    expect(checkSeed('demo')).toBe('demo');
    expect(checkSeed(100_000)).toBe(100_000);
    for (const bad of [0, -1, 1.5, 2_000_001, 'lots'])
      expect(() => checkSeed(bad)).toThrow(/seed must be demo, none, or a record count/);
    await expect(start({ seed: 0 })).rejects.toThrow(/seed must be/);
    expect(parseEmulatorArguments(['--seed', '100000'])).toMatchObject({ seed: 100_000 });
    expect(parseEmulatorArguments(['--data', 'org.json'])).toMatchObject({
      data: 'org.json',
      seed: undefined,
      sessionTimeout: undefined,
    });
    expect(parseEmulatorArguments(['--data', 'org.json', '--save'])).toMatchObject({ save: true });
    expect(() => parseEmulatorArguments(['--seed', '3000000'])).toThrow(
      /Invalid --seed: expected demo, none, or a record count/,
    );
    expect(() => parseEmulatorArguments(['--seed', '12abc'])).toThrow(/Invalid --seed/);
    expect(() => parseEmulatorArguments(['--save'])).toThrow(/Invalid --save: it needs --data/);
  });
});
