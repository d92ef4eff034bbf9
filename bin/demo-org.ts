import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ADMIN_SECRET_ENVIRONMENT_VARIABLE } from '../emulator/admin/admin-secret.ts';
import {
  exportOrgData,
  type RunningEmulator,
  type SavedRefreshGrant,
  startEmulator,
  writeOrgDataFile,
} from '../emulator/index.ts';
import type { Config } from '../src/core/config.ts';

/** Where demo mode keeps its built-in org between runs. */
export function demoOrgFile(config: Config): string {
  return path.resolve(config.DATA_DIR, 'demo-org.json');
}

/**
 * Where demo mode keeps the org's refresh grants between runs, beside the org (owner-only: they are
 * the built-in org's live refresh tokens), so connections keep working after a restart.
 */
export function demoSessionsFile(config: Config): string {
  return path.resolve(config.DATA_DIR, 'demo-org-sessions.json');
}

const savedGrantsSchema = z.array(
  z.object({
    token: z.string().min(1),
    userId: z.string().min(1),
    clientId: z.string().min(1),
    scopes: z.array(z.string()),
    issuedAt: z.number(),
    lastUsedAt: z.number(),
  }),
);

/** The saved grants, or none when there is no file or it cannot be read (the demo then starts without). */
async function readSavedGrants(file: string): Promise<SavedRefreshGrant[]> {
  if (!existsSync(file)) return [];
  try {
    return savedGrantsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    process.stderr.write(
      `forcefield: ignoring ${file} (${error instanceof Error ? error.message : error})\n`,
    );
    return [];
  }
}

/** Writes the grants atomically, owner-only. */
async function writeSavedGrants(file: string, grants: SavedRefreshGrant[]): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(grants), { mode: 0o600 });
  await rename(temporary, file);
}

/** How often a running demo saves its org, so a crash loses at most this much. */
const SAVE_INTERVAL_MS = 30_000;

export interface DemoEmulator {
  emulator: RunningEmulator;
  /** True when the admin secret was generated (then the banner prints it). */
  adminSecretGenerated: boolean;
  stop(): Promise<void>;
}

/**
 * The built-in org of demo mode: loaded from DATA_DIR (seeded with Acme Demo on the first run),
 * saved there every SAVE_INTERVAL_MS and on stop, so records sent to it survive a restart.
 * `forcefield demo reset` starts over. The admin API takes FORCEFIELD_EMULATOR_ADMIN_SECRET.
 */
export async function startDemoEmulator(config: Config): Promise<DemoEmulator> {
  const dataFile = demoOrgFile(config);
  const chosenSecret = process.env[ADMIN_SECRET_ENVIRONMENT_VARIABLE] || undefined;
  const emulator = await startEmulator({
    port: config.EMULATOR_PORT,
    // The saved org when there is one; Acme Demo on the first run (seed and data are exclusive).
    ...(existsSync(dataFile) ? {} : { seed: 'demo' as const }),
    dataFile,
    saveOnStop: true,
    ...(chosenSecret ? { adminSecret: chosenSecret } : {}),
  });
  let saving: Promise<void> = Promise.resolve();
  // One save at a time, so an older snapshot never lands after a newer one.
  const sessionsFile = demoSessionsFile(config);
  emulator.org.tokens.restoreRefreshGrants(await readSavedGrants(sessionsFile));
  const save = () => {
    saving = saving
      .catch(() => {})
      .then(async () => {
        await writeOrgDataFile(dataFile, exportOrgData(emulator.org));
        await writeSavedGrants(sessionsFile, emulator.org.tokens.exportRefreshGrants());
      });
    return saving;
  };
  // The first save makes the seeded org the one a restart loads, even if this run is killed.
  await save();
  const timer = setInterval(() => {
    save().catch((error: unknown) =>
      process.stderr.write(`forcefield: could not save the demo org: ${error}\n`),
    );
  }, SAVE_INTERVAL_MS);
  timer.unref();
  return {
    emulator,
    adminSecretGenerated: chosenSecret === undefined,
    async stop() {
      clearInterval(timer);
      await saving.catch(() => {});
      // Saves the org once more, after its server closed; then its sessions.
      await emulator.stop();
      await writeSavedGrants(sessionsFile, emulator.org.tokens.exportRefreshGrants());
    },
  };
}

/**
 * `forcefield demo reset`: forgets the demo org and, on SQLite, the demo workspace (people,
 * connections, meetings, sends), so the next start begins from the seeded data. The encryption key
 * stays. With DATABASE_URL the workspace is left alone (its connections then need reconnecting).
 */
export async function resetDemo(config: Config): Promise<string[]> {
  const removed = [demoOrgFile(config), demoSessionsFile(config)];
  if (!config.DATABASE_URL) {
    const database = path.resolve(config.DATA_DIR, 'forcefield.db');
    removed.push(database, `${database}-wal`, `${database}-shm`);
  }
  for (const file of removed) await rm(file, { force: true });
  return removed;
}
