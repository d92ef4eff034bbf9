import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_SECRET_ENVIRONMENT_VARIABLE } from '../emulator/admin/admin-secret.ts';
import { exportOrgData, type RunningEmulator, startEmulator, writeOrgDataFile } from '../emulator/index.ts';
import type { Config } from '../src/core/config.ts';

/** Where demo mode keeps its built-in org between runs. */
export function demoOrgFile(config: Config): string {
  return path.resolve(config.DATA_DIR, 'demo-org.json');
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
  const save = () => {
    saving = saving.catch(() => {}).then(() => writeOrgDataFile(dataFile, exportOrgData(emulator.org)));
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
      // Saves the org once more, after its server closed.
      await emulator.stop();
    },
  };
}

/**
 * `forcefield demo reset`: forgets the demo org and, on SQLite, the demo workspace (people,
 * connections, meetings, sends), so the next start begins from the seeded data. The encryption key
 * stays. With DATABASE_URL the workspace is left alone (its connections then need reconnecting).
 */
export async function resetDemo(config: Config): Promise<string[]> {
  const removed = [demoOrgFile(config)];
  if (!config.DATABASE_URL) {
    const database = path.resolve(config.DATA_DIR, 'forcefield.db');
    removed.push(database, `${database}-wal`, `${database}-shm`);
  }
  for (const file of removed) await rm(file, { force: true });
  return removed;
}
