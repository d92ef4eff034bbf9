/**
 * A process killed in the middle of a send: `forcefield start` runs as a child process, its
 * Salesforce create is parked at the emulator (a `hold` fault rule) while the child is killed with
 * SIGKILL, and once the test releases it the emulator commits the create (or drops it unprocessed)
 * for a client that no longer exists. Explicit signals order it all, no latency races the kill. The
 * restarted service resolves the journal entry at startup by the record's marker: no duplicate,
 * and the item shows the true outcome. Also: `forcefield meetings import`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { createUser } from '../../../src/accounts/users.ts';
import { AuditLog } from '../../../src/audit/audit-log.ts';
import { connect, emulatorAdmin, logIn } from '../../support/connections.ts';
import { emulatorSalesforce, startTestService } from '../../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../../support/store.ts';
import { TEST_PASSWORD_HASH_COST } from '../../support/test-password-cost.ts';
import { injectFault, newKey, orgReader, type SendBody, sendItem } from '../support.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const PASSWORD = 'restart test passphrase';
const SETTLE_MS = 2_000;

describe.each(STORE_DIALECTS)('a send interrupted by a killed process (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let workDir: string;
  let environment: Record<string, string>;
  let storage: TestStore | undefined;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-restart-'));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name, value]) =>
          value !== undefined && !/^(DATABASE_URL|PG|FORCEFIELD_|DATA_DIR|SALESFORCE_)/.test(name),
      ),
    ) as Record<string, string>;
    environment = {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(workDir, 'data'),
      LOG_LEVEL: 'silent',
      // A connected app is configured, so the service talks to this test's emulator (not its own).
      SALESFORCE_CLIENT_ID: 'forcefield-demo',
      SALESFORCE_CLIENT_SECRET: 'forcefield-demo-secret',
      SALESFORCE_LOGIN_URL: emulator.url,
      MEETING_SEND_SETTLE_MS: String(SETTLE_MS),
      // The child is killed as soon as its create is parked; this only has to outlast that on a
      // loaded machine (the restarted service has its own, short ones: see startChild).
      MEETING_SEND_WRITE_TIMEOUT_MS: '6000',
      FORCEFIELD_SECRET_KEY: randomBytes(32).toString('base64'),
    };
    if (dialect === 'postgres') {
      storage = await openTestStore('postgres');
      environment.DATABASE_URL = storage.options.databaseUrl!;
      environment.PGOPTIONS = `-c search_path=${storage.options.postgresSchema}`;
    }
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await storage?.dispose();
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), ...args], {
        cwd: workDir,
        env: environment,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /**
   * Starts `forcefield start`; answers its URL once it listens. `restarted`: the service that takes
   * over after the kill. It looks the send up once its own write timeout plus settle time have
   * passed since the attempt began; by the time it starts, the test has already seen the emulator
   * commit or drop the parked create, so it is given short ones instead of waiting out the first
   * child's generous write timeout (the lookup's answer is the same, only sooner).
   */
  function startChild(restarted = false): Promise<{ child: ChildProcess; url: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'start'], {
        cwd: workDir,
        env: restarted
          ? { ...environment, MEETING_SEND_WRITE_TIMEOUT_MS: '500', MEETING_SEND_SETTLE_MS: '500' }
          : environment,
      });
      children.add(child);
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /Forcefield is running at (\S+)/.exec(output);
        if (match) resolve({ child, url: match[1] });
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('exit', (code) => reject(new Error(`forcefield start exited (${code}): ${output}`)));
    });
  }

  async function openChildStore(): Promise<TestStore> {
    if (storage) return { ...storage, dispose: async () => {} };
    return openTestStore('sqlite', path.join(workDir, 'data', 'forcefield.db'));
  }

  it('imports meetings with `forcefield meetings import`, refusing an invalid file as a whole', async () => {
    const setup = await openChildStore();
    await createUser(
      {
        store: setup.store,
        audit: new AuditLog(setup.store),
        now: Date.now,
        config: { PASSWORD_HASH_COST: Number(TEST_PASSWORD_HASH_COST) },
      },
      { email: 'rep@example.com', name: 'Rep', role: 'member', password: PASSWORD },
      { userId: null, surface: 'cli' },
    );
    await setup.dispose();
    const good = path.join(workDir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        meetings: [
          {
            title: 'Renewal call with Pinecrest',
            startTime: '2027-02-01T17:00:00Z',
            endTime: '2027-02-01T17:30:00Z',
            participants: [
              { name: 'Rep', email: 'REP@example.com', internal: true },
              { name: 'Daniel Patel', email: 'daniel.patel@pinecrest.example', internal: false },
            ],
            items: [
              { id: 'n1', kind: 'next_step', text: 'Send the renewal quote.', dueDate: '2027-02-08' },
              { id: 'n2', kind: 'task', text: 'Book the onboarding workshop.' },
            ],
          },
        ],
      }),
    );
    const bad = path.join(workDir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        meetings: [
          {
            title: 'x',
            startTime: 'yesterday',
            endTime: '2027-02-01T17:30:00Z',
            participants: [],
            items: [{ kind: 'chat', text: 'x' }],
          },
        ],
      }),
    );
    const refused = await run(['meetings', 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('meetings[0].startTime');
    expect(refused.stderr).toContain('meetings[0].items[0].kind');
    expect(refused.stderr).toContain('nothing imported');
    const imported = await run(['meetings', 'import', good, '--as', 'rep@example.com']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^imported \w+ {2}Renewal call with Pinecrest\n$/);
    expect((await run(['meetings', 'import', good, '--as', 'nobody@example.com'])).code).toBe(1);
  }, 60_000); // two CLI child processes, each a cold Node start

  let connected: string | undefined;
  /** Connecting needs demo mode (the emulator's instance URL is http): an in-process service on the
   * same store and key connects once; the child processes then use that connection. */
  async function connectionOfRep(): Promise<string> {
    if (connected) return connected;
    const setup = await openChildStore();
    const inProcess = await startTestService(
      emulatorSalesforce(emulator.url),
      { FORCEFIELD_SECRET_KEY: environment.FORCEFIELD_SECRET_KEY },
      setup.store,
    );
    const connectionId = await connect(
      await logIn(inProcess.service.url, 'rep@example.com', PASSWORD),
      emulator,
      {
        kind: 'personal',
        username: 'alice@acme.demo',
      },
    );
    await inProcess.stop();
    await setup.dispose();
    connected = connectionId;
    return connectionId;
  }

  /** The item's sends as the service shows them, once `done` says the resolution is over. */
  async function sendsOnceResolved(
    url: string,
    meetingId: string,
    itemId: string,
    done: (status: string | undefined) => boolean,
  ): Promise<Array<{ status: string; salesforceId: string | null }>> {
    const deadline = Date.now() + 30_000;
    let sends: Array<{ status: string; salesforceId: string | null }> = [];
    const session = await logIn(url, 'rep@example.com', PASSWORD);
    while (Date.now() < deadline) {
      const view = (await session.call('GET', `/api/meetings/${meetingId}`)).body.meeting;
      sends = view.items.find((item: { id: string }) => item.id === itemId).sends;
      if (done(sends[0]?.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return sends;
  }

  /** Whether the emulator has parked a request under the fault rule `ruleId`. */
  async function parkedBy(ruleId: string): Promise<boolean> {
    const faults = await emulatorAdmin(emulator, 'GET', '/faults');
    return (faults.held as Array<{ ruleId: string }>).some((held) => held.ruleId === ruleId);
  }

  /** Whether the emulator has logged a Task create it dropped unprocessed (its `drop-before` fault). */
  async function createDropped(): Promise<boolean> {
    const log = await emulatorAdmin(emulator, 'GET', '/requests?limit=1000');
    return (log.requests as Array<{ method: string; path: string; fault?: string }>).some(
      (request) =>
        request.method === 'POST' &&
        /\/sobjects\/Task$/.test(request.path) &&
        request.fault === 'drop-before',
    );
  }

  /** Waits for a condition (an explicit signal), polling; fails after 15 s. */
  async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The org's tasks whose subject is `subject`. */
  function tasksNamed(subject: string) {
    return orgReader(emulator).query(`SELECT Id FROM Task WHERE Subject = '${subject}'`);
  }

  /** The rep, logged in afresh on the service at `url`, sends `body` for the item again. */
  async function repSendsAgain(url: string, meetingId: string, itemId: string, body: SendBody) {
    return sendItem(await logIn(url, 'rep@example.com', PASSWORD), meetingId, itemId, body);
  }

  /**
   * Sends item `itemId` of the first meeting as a task on Pinecrest Software from a child process,
   * with the emulator parking the create under a `hold` rule of kind `fault`, and kills the child
   * with SIGKILL while it waits: the send is left pending in the journal. Then the create is
   * released: `latency` lets the emulator commit it, `drop-before` drops it unprocessed.
   */
  async function killMidSend(itemId: string, subject: string, fault: 'latency' | 'drop-before') {
    const connectionId = await connectionOfRep();
    const first = await startChild();
    const session = await logIn(first.url, 'rep@example.com', PASSWORD);
    const meetingId = (await session.call('GET', '/api/meetings')).body.meetings[0].id;
    const [account] = await orgReader(emulator).query(
      "SELECT Id FROM Account WHERE Name = 'Pinecrest Software'",
    );
    const body = {
      connectionId,
      kind: 'task' as const,
      values: { subject },
      records: [{ type: 'Account', id: account.Id }],
      idempotencyKey: newKey(),
    };
    const ruleId = `park-${itemId}-${dialect}`;
    await injectFault(emulator, fault, { id: ruleId, hold: true });
    const pending = sendItem(session, meetingId, itemId, body).catch((error: unknown) => error);
    // The signal: the emulator has parked the create; only then is the child killed.
    await until(() => parkedBy(ruleId), 'the create to be parked at the emulator');
    first.child.kill('SIGKILL');
    expect(await pending).toBeInstanceOf(Error);
    const store = await openChildStore();
    const row = await store.store.db
      .selectFrom('meeting_sends')
      .selectAll()
      .where('idempotency_key', '=', body.idempotencyKey)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    await store.dispose();
    // The child is gone; Salesforce now finishes the create for nobody.
    await emulatorAdmin(emulator, 'POST', `/faults/${ruleId}/release`);
    if (fault === 'latency') await until(async () => (await tasksNamed(subject)).length === 1, 'the commit');
    else await until(createDropped, 'the create to be dropped');
    return { meetingId: meetingId as string, body };
  }

  it('after a restart, the send is resolved to its true outcome without a duplicate', async () => {
    const subject = `Killed mid-send ${dialect}`;
    // The emulator commits the parked create once released, although its client is dead.
    const { meetingId, body } = await killMidSend('n1', subject, 'latency');

    const second = await startChild(true);
    try {
      // The emulator commits the create for the dead client; the restarted service looks it up
      // once the settle time has passed, and records what really happened.
      const sends = await sendsOnceResolved(second.url, meetingId, 'n1', (status) => status === 'succeeded');
      expect(sends).toHaveLength(1);
      expect(sends[0].status).toBe('succeeded');
      const tasks = await tasksNamed(subject);
      expect(tasks.map((task) => task.Id)).toEqual([sends[0].salesforceId]);
      // The person's retry answers the same record.
      const retried = await repSendsAgain(second.url, meetingId, 'n1', body);
      expect(retried.status).toBe(200);
      expect(retried.body.send.salesforceId).toBe(sends[0].salesforceId);
      expect(await tasksNamed(subject)).toHaveLength(1);
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 60_000);

  it('killed before Salesforce committed: after a restart the item shows it was not sent, and a retry creates one record', async () => {
    const subject = `Killed before commit ${dialect}`;
    // The emulator drops the parked create unprocessed once released: Salesforce never commits
    // it. The child is killed while it is parked.
    const { meetingId, body } = await killMidSend('n2', subject, 'drop-before');

    const second = await startChild(true);
    try {
      // Once the settle time has passed, the restarted service looks the record up, finds nothing,
      // and records that nothing was sent (it never sends by itself).
      // The item shows the true outcome: pending until resolved, then failed (`not_sent`).
      const sends = await sendsOnceResolved(second.url, meetingId, 'n2', (status) => status === 'failed');
      expect(sends).toEqual([
        expect.objectContaining({ status: 'failed', errorCode: 'not_sent', salesforceId: null, url: null }),
      ]);
      const resolvedStore = await openChildStore();
      const resolved = await resolvedStore.store.db
        .selectFrom('meeting_sends')
        .select(['status', 'error_code', 'salesforce_id'])
        .where('idempotency_key', '=', body.idempotencyKey)
        .executeTakeFirstOrThrow();
      await resolvedStore.dispose();
      expect(resolved).toEqual({ status: 'failed', error_code: 'not_sent', salesforce_id: null });
      expect(await tasksNamed(subject)).toEqual([]);
      // The person's retry with the same key sends it, once.
      const retried = await repSendsAgain(second.url, meetingId, 'n2', body);
      expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      const tasks = await tasksNamed(subject);
      expect(tasks.map((task) => task.Id)).toEqual([retried.body.send.salesforceId]);
      const again = await repSendsAgain(second.url, meetingId, 'n2', body);
      expect(again.status).toBe(200);
      expect(again.body.send.salesforceId).toBe(retried.body.send.salesforceId);
      expect(await tasksNamed(subject)).toHaveLength(1);
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 60_000);
});
