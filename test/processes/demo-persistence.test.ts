/**
 * Demo mode (`forcefield start` with no connected app) as a child process: the built-in org is kept
 * in DATA_DIR across restarts, `forcefield demo reset` starts over, and the emulator's admin API
 * takes FORCEFIELD_EMULATOR_ADMIN_SECRET (never printed) and is announced in the banner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_VERSION, passwordGrant } from '../support/emulator.ts';
import { collectOutput } from '../support/process-output.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ADMIN_SECRET = 'demo-admin-secret-for-the-test';
const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-demo-'));
const environment = {
  PATH: process.env.PATH,
  PORT: '0',
  EMULATOR_PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  FORCEFIELD_EMULATOR_ADMIN_SECRET: ADMIN_SECRET,
};
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts demo mode; resolves with its banner and a stop() that sends SIGTERM and waits for exit 0. */
async function startDemo(): Promise<{ banner: string; emulatorUrl: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'start'], {
    cwd: dataDir,
    env: environment,
  });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let banner = '';
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      banner += chunk;
      if (banner.includes('Press Ctrl+C')) resolve();
    });
    exited.then((code) => reject(new Error(`demo exited with ${code}: ${banner}${errors}`)));
  });
  const emulatorUrl = /built-in emulator at (http:\/\/\S+)/.exec(banner)?.[1] ?? '';
  return {
    banner,
    emulatorUrl,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function accountNamed(emulatorUrl: string, name: string): Promise<number> {
  const token = (await (await passwordGrant(emulatorUrl, 'alice@acme.demo', 'demo1234')).json()) as {
    access_token: string;
  };
  const soql = `SELECT Id FROM Account WHERE Name = '${name}'`;
  const response = await fetch(
    `${emulatorUrl}/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`,
    {
      headers: { Authorization: `Bearer ${token.access_token}` },
    },
  );
  return ((await response.json()) as { totalSize: number }).totalSize;
}

describe('demo mode', () => {
  it('keeps its org across restarts until `forcefield demo reset`', { timeout: 180_000 }, async () => {
    const first = await startDemo();
    expect(first.banner).toContain(`Emulator admin API: ${first.emulatorUrl}/__emulator`);
    expect(first.banner).toContain('Bearer $FORCEFIELD_EMULATOR_ADMIN_SECRET');
    expect(first.banner).not.toContain(ADMIN_SECRET);
    expect(first.banner).toContain(path.join(dataDir, 'demo-org.json'));
    const health = await fetch(`${first.emulatorUrl}/__emulator/health`, {
      headers: { Authorization: `Bearer ${ADMIN_SECRET}` },
    });
    expect(health.status).toBe(200);

    const token = (await (await passwordGrant(first.emulatorUrl, 'alice@acme.demo', 'demo1234')).json()) as {
      access_token: string;
    };
    const created = await fetch(`${first.emulatorUrl}/services/data/v${API_VERSION}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Kept Across Restarts' }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);

    const second = await startDemo();
    expect(await accountNamed(second.emulatorUrl, 'Kept Across Restarts')).toBe(1);
    expect(await second.stop()).toBe(0);

    const reset = await collectOutput(
      spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'demo', 'reset'], {
        cwd: dataDir,
        env: environment,
      }),
    );
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^Demo reset: removed /);
    expect(existsSync(path.join(dataDir, 'demo-org.json'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'forcefield.db'))).toBe(false);

    const third = await startDemo();
    expect(await accountNamed(third.emulatorUrl, 'Kept Across Restarts')).toBe(0);
    expect(await third.stop()).toBe(0);
  });
});
