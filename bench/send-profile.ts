/**
 * A send-only loop for profiling: `npx node bench/send-profile.ts [count]` — the path
 * `npm run bench -- send` drives (HTTP API → SQLite journal → emulator over HTTP), everything in
 * this process. Prints process CPU per send. Environment: `SQLITE_SYNCHRONOUS` (FULL | NORMAL),
 * `PROFILE=<file>.cpuprofile` (a CPU profile of the measured loop only, no start-up), `COUNT_SQL=1`
 * (the SQL statements per send).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../emulator/index.ts';
import { parseConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/logger.ts';
import { startService } from '../src/main.ts';
import { NodeSqliteDatabase } from '../src/store/sqlite-adapter.ts';
import { connect, logIn } from '../test/support/connections.ts';
import { emulatorSalesforce } from '../test/support/test-service.ts';

const count = Number(process.argv[2] ?? '2000');
const statements = new Map<string, number>();
if (process.env.COUNT_SQL) {
  const prepare = NodeSqliteDatabase.prototype.prepare;
  NodeSqliteDatabase.prototype.prepare = function (this: NodeSqliteDatabase, text: string) {
    statements.set(text, (statements.get(text) ?? 0) + 1);
    return prepare.call(this, text);
  };
}
const emulator = await startEmulator({ port: 0, seed: 'demo' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-profile-'));
const config = parseConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  ...(process.env.SQLITE_SYNCHRONOUS ? { SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS } : {}),
});
const service = await startService({
  config,
  logger: createLogger('silent'),
  salesforce: emulatorSalesforce(emulator.url),
});
try {
  const alice = await logIn(service.url, 'alice@forcefield.demo');
  const connectionId = await connect(alice, emulator, { kind: 'personal', username: 'alice@acme.demo' });
  const meetings = (await alice.call('GET', '/api/meetings')).body.meetings as Array<{
    id: string;
    title: string;
  }>;
  const meetingId = meetings.find((meeting) => meeting.title.startsWith('Harborview'))!.id;
  const search = await alice.call(
    'GET',
    `/api/meetings/${meetingId}/record-search?connectionId=${connectionId}&q=Harborview`,
  );
  const account = (search.body.records ?? search.body.results).find(
    (r: { type: string }) => r.type === 'Account',
  );
  const record = { type: 'Account', id: account.id };
  const send = () =>
    alice.call('POST', `/api/meetings/${meetingId}/items/next-step-1/sends`, {
      connectionId,
      kind: 'task',
      values: { subject: 'profile', status: 'Not Started' },
      records: [record],
      idempotencyKey: randomUUID(),
    });
  for (let index = 0; index < 100; index++) await send();
  statements.clear();
  // PROFILE=<file>: a CPU profile of the measured loop only (no start-up, login or seeding).
  const inspector = process.env.PROFILE ? new Session() : undefined;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  const before = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const answer = await send();
    if (answer.status !== 201)
      throw new Error(`send failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const used = process.cpuUsage(before);
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
    inspector.disconnect();
  }
  console.log(
    `${count} sends: process CPU ${((used.user + used.system) / 1000 / count).toFixed(2)} ms/send (user ${(used.user / 1000 / count).toFixed(2)}, system ${(used.system / 1000 / count).toFixed(2)}), wall ${((performance.now() - started) / count).toFixed(2)} ms/send`,
  );
  for (const [text, times] of statements)
    console.log(`${(times / count).toFixed(2)} × ${text.slice(0, 300)}`);
} finally {
  await service.stop();
  await emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
