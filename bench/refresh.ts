/**
 * The refresh-storm benchmark: a connection whose Salesforce session has just expired gets many
 * concurrent calls at once. Exactly one token request should reach the emulator per expiry, every
 * call should succeed, and the figures show what the storm costs the callers (p50/p99 of a whole
 * call: client creation, the 401, waiting for the one refresh, the retry). The emulator rotates
 * refresh tokens, so a second refresh with a spent token would show up as errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_APP, ManualClock, startEmulator } from '../emulator/index.ts';
import { salesforceClientFor } from '../src/connections/connection-client.ts';
import { parseConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/logger.ts';
import { startService } from '../src/main.ts';
import { connectionTokenContext } from '../src/vault/token-vault.ts';

const SCOPES = ['api', 'refresh_token', 'offline_access', 'id'];

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export async function runRefreshBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { calls: { type: 'string', default: '200' }, rounds: { type: 'string', default: '5' } },
  });
  const calls = Number(values.calls);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(calls) || calls < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new TypeError('Invalid --calls or --rounds: positive integers');
  }

  const clock = new ManualClock();
  const emulator = await startEmulator({
    port: 0,
    seed: 'demo',
    sessionTimeoutSeconds: 60,
    clock,
    apps: [{ ...DEMO_APP, refreshTokenPolicy: { kind: 'rotate' } }],
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-bench-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const service = await startService({
    config,
    logger: createLogger('silent'),
    salesforce: {
      loginUrl: emulator.url,
      clientId: DEMO_APP.clientId,
      clientSecret: DEMO_APP.clientSecret,
      callbackUrl: '',
      apiVersion: config.SALESFORCE_API_VERSION,
      scopes: SCOPES,
      embedded: true,
    },
  });
  const admin = (method: string, route: string) =>
    fetch(`${emulator.url}/__emulator${route}`, {
      method,
      headers: { Authorization: `Bearer ${emulator.adminSecret}` },
    }).then((response) => response.json() as Promise<{ routes: Record<string, number> }>);

  try {
    const { context } = service;
    const userRow = await context.store.db
      .selectFrom('users')
      .selectAll()
      .where('role', '=', 'member')
      .executeTakeFirstOrThrow();
    const user = { ...userRow, surface: 'web' as const, sessionId: null };
    // A personal connection made directly from emulator-issued tokens: the OAuth flow is not what is measured.
    const salesforceUserId = emulator.org.userIdByUsername('bob@acme.demo')!;
    const refresh = emulator.org.tokens.issueRefreshToken(salesforceUserId, DEMO_APP.clientId, SCOPES);
    const access = emulator.org.tokens.issueAccessToken(
      salesforceUserId,
      DEMO_APP.clientId,
      SCOPES,
      refresh.token,
    );
    const id = 'bench-connection';
    const now = new Date().toISOString();
    await context.store.db
      .insertInto('connections')
      .values({
        id,
        kind: 'personal',
        name: 'bench',
        created_by: user.id,
        created_at: now,
        salesforce_org_id: emulator.org.id,
        salesforce_user_id: salesforceUserId,
        username: 'bob@acme.demo',
        display_name: 'Bob',
        email: null,
        instance_url: emulator.url,
        login_host: emulator.url,
        identity_url: emulator.org.identityUrl(salesforceUserId),
        scopes: JSON.stringify(SCOPES),
        status: 'active',
        access_token: context.vault.encrypt(access.token, connectionTokenContext(id, 'access_token')),
        refresh_token: context.vault.encrypt(refresh.token, connectionTokenContext(id, 'refresh_token')),
        token_version: 1,
        token_refreshed_at: null,
        last_used_at: null,
        api_usage_used: null,
        api_usage_max: null,
        api_usage_at: null,
      })
      .execute();

    console.log(
      `refresh storm: ${calls} concurrent calls per expiry, ${rounds} rounds, ${service.store.dialect}`,
    );
    console.log('| round | calls | token refreshes at the emulator | errors | p50 ms | p99 ms |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const all: number[] = [];
    let totalRefreshes = 0;
    let totalErrors = 0;
    for (let round = 1; round <= rounds; round++) {
      await admin('POST', '/counters/reset');
      clock.advance(61_000);
      const durations: number[] = [];
      let errors = 0;
      await Promise.all(
        Array.from({ length: calls }, async () => {
          const started = performance.now();
          try {
            const client = await salesforceClientFor(context, user, id);
            await client.query('SELECT Id FROM Account LIMIT 1');
          } catch {
            errors++;
          }
          durations.push(performance.now() - started);
        }),
      );
      const counters = await admin('GET', '/counters');
      const refreshes = counters.routes['POST /services/oauth2/token'] ?? 0;
      durations.sort((left, right) => left - right);
      all.push(...durations);
      totalRefreshes += refreshes;
      totalErrors += errors;
      console.log(
        `| ${round} | ${calls} | ${refreshes} | ${errors} | ${percentile(durations, 0.5).toFixed(1)} | ${percentile(durations, 0.99).toFixed(1)} |`,
      );
    }
    all.sort((left, right) => left - right);
    console.log(
      `| all | ${calls * rounds} | ${totalRefreshes} | ${totalErrors} | ${percentile(all, 0.5).toFixed(1)} | ${percentile(all, 0.99).toFixed(1)} |`,
    );
    if (totalRefreshes !== rounds)
      console.log(`WARNING: expected ${rounds} refreshes (one per expiry), saw ${totalRefreshes}`);
  } finally {
    await service.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
