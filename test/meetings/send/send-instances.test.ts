/**
 * Exactly once across two service instances on one store, when Salesforce is slow: a create that
 * takes longer than the settle time must not let the other instance take the journal row over and
 * send a second record. The holder renews its lease while the write runs; a write aborted after
 * MEETING_SEND_WRITE_TIMEOUT_MS (or whose connection drops) leaves the outcome unknown, and the
 * marker lookup finds the one record. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 *
 * Nothing here races a timer: the emulator parks the create (a `hold` fault rule) until the test
 * releases it, and one manual clock — shared by the emulator and both instances — decides when a
 * lease has expired and when the settle time has passed. The test waits only for explicit signals
 * (the create parked, the lease renewed, the row unknown, the record committed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { openStore, type Store } from '../../../src/store/database.ts';
import { connect, logIn, type ServiceSession } from '../../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../../support/store.ts';
import { emulatorAdminCall, injectFault, newKey, orgReader, type SendBody, sendItem } from '../support.ts';

const SECRET_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
const SETTLE_MS = 1_000;
/** Each step moves the clock by less than the settle time, so only a missed renewal loses the lease. */
const CLOCK_STEP_MS = 600;

/** Two instances on one store (each its own pool on PostgreSQL), the emulator and one manual clock. */
function twoInstances(dialect: (typeof STORE_DIALECTS)[number], writeTimeoutMs: number) {
  const setup = {
    clock: new ManualClock(Date.now()),
    emulator: undefined as unknown as RunningEmulator,
    testStore: undefined as unknown as TestStore,
    sessions: [] as ServiceSession[],
    connectionId: '',
  };
  const services: TestService[] = [];
  let secondStore: Store | undefined;

  beforeAll(async () => {
    setup.emulator = await startEmulator({ port: 0, seed: 'demo', clock: setup.clock });
    setup.testStore = await openTestStore(dialect);
    secondStore = dialect === 'postgres' ? openStore(setup.testStore.options) : undefined;
    for (const store of [setup.testStore.store, secondStore ?? setup.testStore.store]) {
      services.push(
        await startTestService(
          emulatorSalesforce(setup.emulator.url),
          {
            FORCEFIELD_SECRET_KEY: SECRET_KEY,
            MEETING_SEND_SETTLE_MS: String(SETTLE_MS),
            MEETING_SEND_WRITE_TIMEOUT_MS: String(writeTimeoutMs),
          },
          store,
          () => setup.clock.now(),
        ),
      );
    }
    for (const test of services) setup.sessions.push(await logIn(test.service.url, 'alice@forcefield.demo'));
    setup.connectionId = await connect(setup.sessions[0], setup.emulator, {
      kind: 'personal',
      username: 'alice@acme.demo',
    });
  });

  afterAll(async () => {
    // Parked requests are let go first, so no server waits on them while stopping.
    if (setup.emulator) await emulatorAdminCall(setup.emulator, 'DELETE', '/faults');
    for (const test of services) await test.stop();
    await secondStore?.close();
    await setup.testStore?.dispose();
    await setup.emulator?.stop();
  });
  return setup;
}

type Setup = ReturnType<typeof twoInstances>;

/** Waits for a condition (an explicit signal), polling; fails after 15 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function epochOf(value: string | Date | null): number {
  return value === null ? 0 : value instanceof Date ? value.getTime() : Date.parse(value);
}

/** A fresh send of the Harborview meeting's first task item, on an account of Harborview. */
async function harborviewSend(setup: Setup, subject: string) {
  const meetingId: string = (await setup.sessions[0].call('GET', '/api/meetings')).body.meetings.find(
    (meeting: { title: string }) => meeting.title.startsWith('Harborview'),
  ).id;
  const [account] = await orgReader(setup.emulator).query(
    "SELECT Id FROM Account WHERE Name LIKE 'Harborview%' LIMIT 1",
  );
  const idempotencyKey = newKey();
  const body: SendBody = {
    connectionId: setup.connectionId,
    kind: 'task',
    values: { subject },
    records: [{ type: 'Account', id: account.Id }],
    idempotencyKey,
  };
  const rowOf = () =>
    setup.testStore.store.db
      .selectFrom('meeting_sends')
      .selectAll()
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
  const tasks = () => orgReader(setup.emulator).query(`SELECT Id FROM Task WHERE Subject = '${subject}'`);
  const send = (session: ServiceSession) => sendItem(session, meetingId, 'task-1', body);
  const parked = async () =>
    ((await emulatorAdminCall(setup.emulator, 'GET', '/faults')).held as unknown[]).length === 1;
  return { rowOf, tasks, send, parked };
}

describe.each(STORE_DIALECTS)('a slow Salesforce create across two instances (%s)', (dialect) => {
  // The write is never aborted while the test holds it: only the dropped connection ends it.
  const setup = twoInstances(dialect, 600_000);

  it('one key fired at both instances while the create hangs past the settle time: one record, both answers return it', async () => {
    const { rowOf, tasks, send, parked } = await harborviewSend(setup, `Slow create ${dialect}`);
    // The create is parked until released, then processed, and its answer is lost (connection dropped).
    await injectFault(setup.emulator, 'drop-after', { id: 'slow-create', hold: true });
    const first = send(setup.sessions[0]);
    await until(parked, 'the create to be parked');
    const taken = await rowOf();
    expect(taken?.status).toBe('pending');

    // The create runs longer than the settle time: step the clock past it, each step less than a
    // lease, waiting for the holder to renew its lease after each step.
    for (let moved = 0; moved <= SETTLE_MS; moved += CLOCK_STEP_MS) {
      setup.clock.advance(CLOCK_STEP_MS);
      await until(
        async () => epochOf((await rowOf())?.lease_until ?? null) >= setup.clock.now() + SETTLE_MS,
        'the holder to renew its lease',
      );
    }
    expect(setup.clock.now()).toBeGreaterThan(epochOf(taken!.lease_until));
    // The other instance finds the lease alive (renewed): it is told to wait, and sends nothing.
    const meanwhile = await send(setup.sessions[1]);
    expect(meanwhile.status, JSON.stringify(meanwhile.body)).toBe(409);
    expect(meanwhile.body.error.code).toBe('send_in_progress');
    expect(await rowOf()).toMatchObject({ status: 'pending', attempt_id: taken!.attempt_id });

    // Salesforce commits the create; its answer never arrives. The holder's lookup finds the record.
    await emulatorAdminCall(setup.emulator, 'POST', '/faults/slow-create/release');
    const holder = await first;
    expect(holder.status, JSON.stringify(holder.body)).toBe(201);

    // The other instance's retry answers the same record.
    const answers = [holder, await send(setup.sessions[1])];
    const created = await tasks();
    expect(created).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      expect(answer.body.send.salesforceId).toBe(created[0].Id);
    }
    // Once settled, a replay on either instance answers the same record.
    for (const session of setup.sessions) {
      const again = await send(session);
      expect(again.status).toBe(200);
      expect(again.body.send.salesforceId).toBe(created[0].Id);
    }
    expect(await tasks()).toHaveLength(1);
  }, 30_000);
});

describe.each(STORE_DIALECTS)(
  'a create aborted by the write timeout across two instances (%s)',
  (dialect) => {
    // Long enough for the create to reach the emulator (where it is parked) on a loaded machine.
    const setup = twoInstances(dialect, 2_000);

    it('committed after the abort but within the settle time: the lookup after the settle time finds the one record', async () => {
      const { rowOf, tasks, send, parked } = await harborviewSend(setup, `Aborted create ${dialect}`);
      await injectFault(setup.emulator, 'latency', { id: 'aborted-create', hold: true });
      const first = send(setup.sessions[0]);
      await until(parked, 'the create to be parked');
      // The holder gives up on the parked create after the write timeout: outcome unknown.
      const aborted = await first;
      expect(aborted.status, JSON.stringify(aborted.body)).toBe(503);
      expect(aborted.body.error.code).toBe('send_outcome_unknown');
      expect((await rowOf())?.status).toBe('unknown');

      // The other instance looks the record up: not there, and not settled, so it sends nothing.
      const early = await send(setup.sessions[1]);
      expect(early.status, JSON.stringify(early.body)).toBe(503);
      expect(early.body.error.code).toBe('send_outcome_unknown');
      expect(await tasks()).toEqual([]);

      // Salesforce finishes the create for nobody (before the settle time has passed on the clock).
      await emulatorAdminCall(setup.emulator, 'POST', '/faults/aborted-create/release');
      await until(async () => (await tasks()).length === 1, 'Salesforce to commit the create');
      setup.clock.advance(SETTLE_MS);

      const answers = [await send(setup.sessions[1]), await send(setup.sessions[0])];
      const created = await tasks();
      expect(created).toHaveLength(1);
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
        expect(answer.body.send.salesforceId).toBe(created[0].Id);
      }
      for (const session of setup.sessions) {
        const again = await send(session);
        expect(again.status).toBe(200);
        expect(again.body.send.salesforceId).toBe(created[0].Id);
      }
      expect(await tasks()).toHaveLength(1);
    }, 30_000);
  },
);
