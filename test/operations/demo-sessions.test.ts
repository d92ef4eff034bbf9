import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSessionsFile, resetDemo, startDemoEmulator } from '../../bin/demo-org.ts';
import { DEMO_APP } from '../../emulator/index.ts';
import { parseConfig } from '../../src/core/config.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-demo-sessions-'));
const config = parseConfig({ DATA_DIR: dataDir, EMULATOR_PORT: '0' });

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function refresh(url: string, refreshToken: string): Promise<Response> {
  return fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
    }),
  });
}

describe('the demo org keeps its sessions across restarts', () => {
  it('restores refresh grants, so connections refresh instead of reconnecting, until demo reset', async () => {
    const first = await startDemoEmulator(config);
    const alice = [...first.emulator.org.store.table('User').records.values()].find(
      (user) => user.Username === 'alice@acme.demo',
    );
    const grant = first.emulator.org.tokens.issueRefreshToken(alice?.Id as string, DEMO_APP.clientId, [
      'api',
      'refresh_token',
    ]);
    await first.stop();
    // Live refresh tokens: owner-only.
    expect(statSync(demoSessionsFile(config)).mode & 0o777).toBe(0o600);

    const second = await startDemoEmulator(config);
    try {
      const refreshed = await refresh(second.emulator.url, grant.token);
      expect(refreshed.status).toBe(200);
      expect(((await refreshed.json()) as { access_token: string }).access_token).toMatch(/^00D\w+!/);
    } finally {
      await second.stop();
    }

    await resetDemo(config);
    const third = await startDemoEmulator(config);
    try {
      const refused = await refresh(third.emulator.url, grant.token);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
    } finally {
      await third.stop();
    }
  });
});
