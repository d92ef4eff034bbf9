/**
 * The meeting suites' world: the demo emulator org, a service on it (SQLite, or PostgreSQL when
 * DATABASE_URL is set) whose clock the suite moves, alice, bob and carol logged in, alice's and
 * bob's personal connections, the demo meetings by first word of their title, and one record
 * alice can see of each linkable type.
 */
import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { connect, logIn, type ServiceSession } from '../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';
import { openTestStore, type TestStore } from '../support/store.ts';
import { emulatorAdminCall, orgReader, type SendBody } from './support.ts';

export const KINDS = ['task', 'event', 'note'] as const;
export const TYPES = ['Lead', 'Account', 'Contact', 'Opportunity', 'Case'] as const;

export interface MeetingServiceFixture {
  emulator: RunningEmulator;
  test: TestService;
  alice: ServiceSession;
  bob: ServiceSession;
  carol: ServiceSession;
  aliceConnection: string;
  bobConnection: string;
  org: ReturnType<typeof orgReader>;
  /** Meeting ids by the first word of their title. */
  meetings: Record<string, string>;
  records: Record<(typeof TYPES)[number], string>;
  aliceSalesforceId: string;
  bobSalesforceId: string;
  stop(): Promise<void>;
}

export async function startMeetingService(
  dialect: 'sqlite' | 'postgres',
  now: () => number,
): Promise<MeetingServiceFixture> {
  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const org = orgReader(emulator);
  let testStore: TestStore | undefined;
  let test: TestService | undefined;
  const stop = async () => {
    await test?.stop();
    await testStore?.dispose();
    await emulator.stop();
  };
  try {
    testStore = await openTestStore(dialect);
    test = await startTestService(
      emulatorSalesforce(emulator.url),
      { MEETING_SEND_SETTLE_MS: '300' },
      testStore.store,
      now,
    );
    const alice = await logIn(test.service.url, 'alice@forcefield.demo');
    const bob = await logIn(test.service.url, 'bob@forcefield.demo');
    const carol = await logIn(test.service.url, 'carol@forcefield.demo');
    const aliceConnection = await connect(alice, emulator, { kind: 'personal', username: 'alice@acme.demo' });
    const bobConnection = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const aliceSalesforceId = emulator.org.userIdByUsername('alice@acme.demo')!;
    const bobSalesforceId = emulator.org.userIdByUsername('bob@acme.demo')!;
    const listed = await alice.call('GET', '/api/meetings');
    const meetings: Record<string, string> = Object.fromEntries(
      listed.body.meetings.map((meeting: { id: string; title: string }) => [
        meeting.title.split(' ')[0],
        meeting.id,
      ]),
    );
    // Records alice owns (Opportunity sharing is private) or everyone sees, one of each type.
    const first = async (soql: string) => String((await org.query(soql))[0].Id);
    const records = {
      Lead: await first(
        `SELECT Id FROM Lead WHERE IsConverted = false AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
      ),
      Account: await first(`SELECT Id FROM Account WHERE OwnerId = '${aliceSalesforceId}' LIMIT 1`),
      Contact: await first(
        `SELECT Id FROM Contact WHERE AccountId != null AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
      ),
      Opportunity: await first(
        `SELECT Id FROM Opportunity WHERE IsClosed = false AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
      ),
      Case: await first(`SELECT Id FROM Case WHERE AccountId != null LIMIT 1`),
    };
    return {
      emulator,
      test,
      alice,
      bob,
      carol,
      aliceConnection,
      bobConnection,
      org,
      meetings,
      records,
      aliceSalesforceId,
      bobSalesforceId,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the meeting world before the suite's tests and stops it after them. The object returned is
 * filled in by the suite's `beforeAll`, so read its fields inside hooks and tests only.
 */
export function useMeetingService(
  dialect: 'sqlite' | 'postgres',
  now: () => number = Date.now,
): MeetingServiceFixture {
  const world = {} as MeetingServiceFixture;
  let started: MeetingServiceFixture | undefined;
  beforeAll(async () => {
    started = await startMeetingService(dialect, now);
    Object.assign(world, started);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return world;
}

/** A task from alice's connection on her Account, with `values`, sent under `key`. */
export function aliceAccountTask(
  world: MeetingServiceFixture,
  values: SendBody['values'],
  key: string,
): SendBody {
  return {
    connectionId: world.aliceConnection,
    kind: 'task',
    values,
    records: [{ type: 'Account', id: world.records.Account }],
    idempotencyKey: key,
  };
}

/** The org's tasks whose subject is `subject`. */
export function tasksWithSubject(world: MeetingServiceFixture, subject: string) {
  return world.org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`);
}

/** The statuses the emulator answered, oldest first, for requests whose path ends with `suffix`, since `since`. */
export async function answeredStatuses(
  emulator: RunningEmulator,
  suffix: string,
  since: string,
): Promise<number[]> {
  const log = (await emulatorAdminCall(emulator, 'GET', '/requests?limit=50')) as {
    requests: Array<{ time: string; path: string; status: number | null }>;
  };
  return log.requests
    .filter((request) => request.time >= since && request.path.endsWith(suffix))
    .map((request) => request.status ?? 0);
}
