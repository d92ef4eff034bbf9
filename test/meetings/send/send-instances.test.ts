/**
 * Exactly once across two service instances on one store, when Salesforce is slow: a create that
 * takes longer than the settle time must not let the other instance take the journal row over and
 * send a second record. The holder renews its lease while the write runs and aborts the write after
 * MEETING_SEND_WRITE_TIMEOUT_MS; the outcome is then unknown, and the marker lookup after the settle
 * time (counted from the abort) finds the one record. Runs on SQLite, and on PostgreSQL when
 * DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { openStore, type Store } from '../../../src/store/database.ts';
import { connect, logIn, type ServiceSession } from '../../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../../support/store.ts';
import { injectFault, newKey, orgReader, type SendBody, sendItem } from '../support.ts';

const SECRET_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
const SETTLE_MS = 1_000;
const WRITE_TIMEOUT_MS = 500;
/** Longer than the settle time (and so than a lease that is not renewed), shorter than abort + settle. */
const LATENCY_MS = 1_250;

describe.each(STORE_DIALECTS)('a slow Salesforce create across two instances (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let testStore: TestStore;
  let secondStore: Store | undefined;
  const services: TestService[] = [];
  const sessions: ServiceSession[] = [];
  let connectionId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    // Each instance has its own store handle (its own pool on PostgreSQL), as separate processes.
    secondStore = dialect === 'postgres' ? openStore(testStore.options) : undefined;
    for (const store of [testStore.store, secondStore ?? testStore.store]) {
      services.push(
        await startTestService(
          emulatorSalesforce(emulator.url),
          {
            FORCEFIELD_SECRET_KEY: SECRET_KEY,
            MEETING_SEND_SETTLE_MS: String(SETTLE_MS),
            MEETING_SEND_WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS),
          },
          store,
        ),
      );
    }
    for (const test of services) sessions.push(await logIn(test.service.url, 'alice@forcefield.demo'));
    connectionId = await connect(sessions[0], emulator, { kind: 'personal', username: 'alice@acme.demo' });
  });

  afterAll(async () => {
    for (const test of services) await test.stop();
    await secondStore?.close();
    await testStore?.dispose();
    await emulator?.stop();
  });

  /** Sends as a client does: on 503 (outcome unknown) or 409 (in progress), retries after the hint. */
  async function sendUntilAnswered(session: ServiceSession, meetingId: string, body: SendBody) {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      const answer = await sendItem(session, meetingId, 'task-1', body);
      statuses.push(answer.status);
      if (answer.status !== 503 && answer.status !== 409) return { answer, statuses };
      const seconds = Number(answer.body.error.details?.retryAfterSeconds ?? 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(seconds * 1000, 500)));
    }
    throw new Error(`no answer after retries: ${statuses.join(', ')}`);
  }

  it('one key fired at both instances while the create hangs past the settle time: one record, both answers return it', async () => {
    const org = orgReader(emulator);
    const meetingId = (await sessions[0].call('GET', '/api/meetings')).body.meetings.find(
      (meeting: { title: string }) => meeting.title.startsWith('Harborview'),
    ).id;
    const [account] = await org.query("SELECT Id FROM Account WHERE Name LIKE 'Harborview%' LIMIT 1");
    const subject = `Slow create ${dialect}`;
    const body: SendBody = {
      connectionId,
      kind: 'task',
      values: { subject },
      records: [{ type: 'Account', id: account.Id }],
      idempotencyKey: newKey(),
    };
    // Only the first create is slow; a second one would go straight through.
    await injectFault(emulator, 'latency', { latencyMs: LATENCY_MS });
    const [first, second] = await Promise.all([
      sendUntilAnswered(sessions[0], meetingId, body),
      sendUntilAnswered(sessions[1], meetingId, body),
    ]);
    expect(first.answer.status, JSON.stringify(first.answer.body)).toBeLessThan(300);
    expect(second.answer.status, JSON.stringify(second.answer.body)).toBeLessThan(300);
    const tasks = await org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`);
    expect(tasks).toHaveLength(1);
    expect(first.answer.body.send.salesforceId).toBe(tasks[0].Id);
    expect(second.answer.body.send.salesforceId).toBe(tasks[0].Id);
    // The slow create was aborted: somebody was told the outcome was unknown before it resolved.
    expect([...first.statuses, ...second.statuses]).toContain(503);
    // Once settled, a replay on either instance answers the same record.
    for (const session of sessions) {
      const again = await sendItem(session, meetingId, 'task-1', body);
      expect(again.status).toBe(200);
      expect(again.body.send.salesforceId).toBe(tasks[0].Id);
    }
    expect(await org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
  }, 30_000);
});
