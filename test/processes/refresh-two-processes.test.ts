/**
 * One token refresh per expiry across processes: two `forcefield start` child processes on one
 * SQLite file (and on one PostgreSQL database when DATABASE_URL is set), many concurrent callers
 * on one expired connection through both, and the emulator counts the token requests. The
 * emulator runs in the test process with a manual clock: moving it past the session timeout
 * expires the access token at Salesforce, with nothing waiting for real time.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP, ManualClock, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { emulatorAdmin, logIn, TOKEN_ROUTE } from '../support/connections.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import {
  connectPersonal,
  neutralEnvironment,
  type ServiceProcess,
  startServiceProcess,
  stopChildren,
} from './support/service-process.ts';

const ADMIN = { email: 'ops@example.com', password: 'one refresh across processes' };
/** Concurrent callers per process. */
const CALLERS = 25;

describe.each(STORE_DIALECTS)('token refresh across two processes (%s)', (dialect) => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-refresh-processes-'));
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const clock = new ManualClock();
  let emulator: RunningEmulator;
  let databaseName: string | undefined;
  let instances: ServiceProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      seed: 'demo',
      sessionTimeoutSeconds: 60,
      clock,
      apps: [{ ...DEMO_APP, refreshTokenPolicy: { kind: 'rotate' } }],
    });
    const environment: Record<string, string> = {
      ...neutralEnvironment(),
      PORT: '0',
      HOST: '127.0.0.1',
      // One data directory: with SQLite, both processes open the same database file.
      DATA_DIR: path.join(workDir, 'data'),
      LOG_LEVEL: 'warn',
      FORCEFIELD_SECRET_KEY: randomBytes(32).toString('base64'),
      FORCEFIELD_ADMIN_EMAIL: ADMIN.email,
      FORCEFIELD_ADMIN_PASSWORD: ADMIN.password,
      SALESFORCE_CLIENT_ID: 'forcefield-demo',
      SALESFORCE_CLIENT_SECRET: 'forcefield-demo-secret',
      SALESFORCE_LOGIN_URL: emulator.url,
    };
    if (dialect === 'postgres') {
      const server = new URL(process.env.DATABASE_URL!);
      databaseName = `forcefield_refresh_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${databaseName}`);
      await admin.end();
      server.pathname = `/${databaseName}`;
      environment.DATABASE_URL = server.toString();
    }
    const start = (name: string) =>
      startServiceProcess({ name, cwd: workDir, environment, output, children });
    instances = [await start('first'), await start('second')];
  }, 60_000);

  afterAll(async () => {
    await stopChildren(children);
    await emulator?.stop();
    if (databaseName) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it('concurrent callers on one expired connection through both processes cause one refresh per expiry', {
    timeout: 90_000,
  }, async () => {
    const sessions = await Promise.all(
      instances.map((instance) => logIn(instance.url, ADMIN.email, ADMIN.password)),
    );
    const connectionId = await connectPersonal(sessions[0], emulator.url);
    /** Every caller checks the connection (identity, API versions, limits: Salesforce calls). */
    const checkEverywhere = () =>
      Promise.all(
        Array.from({ length: CALLERS * 2 }, (_, index) =>
          sessions[index % 2].call('POST', `/api/connections/${connectionId}/check`),
        ),
      );

    for (const expiry of [1, 2]) {
      await emulatorAdmin(emulator, 'POST', '/counters/reset');
      // Past the 60-second session: every access token issued so far is refused by Salesforce.
      clock.advance(61_000);
      const checks = await checkEverywhere();
      for (const check of checks) {
        expect(check.status, `${JSON.stringify(check.body)}\n${output.join('')}`).toBe(200);
        expect(check.body.identity.ok, JSON.stringify(check.body)).toBe(true);
      }
      const counters = await emulatorAdmin(emulator, 'GET', '/counters');
      expect(counters.routes[TOKEN_ROUTE], `token requests after expiry ${expiry}`).toBe(1);
    }
    const refreshed = await sessions[1].call(
      'GET',
      `/api/audit?action=connection.refreshed&connectionId=${connectionId}`,
    );
    expect(refreshed.body.events).toHaveLength(2);
    expect((await sessions[1].call('GET', `/api/connections/${connectionId}`)).body.connection.status).toBe(
      'active',
    );
  });
});
