/**
 * The org an emulator starts with: a data file or document, the Acme Demo data set, a large
 * synthetic data set (a record count), or users and apps alone. Whatever it is becomes the state
 * the admin API's reset returns to.
 */
import { stat } from 'node:fs/promises';
import type { Clock } from '../core/clock.ts';
import { type ConnectedApp, Org, type OrgOptions, type UserSpec } from '../org/org.ts';
import { seedBulk } from '../seed/bulk.ts';
import { seedDemoData } from '../seed/demo.ts';
import { exportOrgData } from './export-org-data.ts';
import { createOrgFromData } from './load-org-data.ts';
import { readOrgDataFile, writeOrgDataFile } from './org-data-file.ts';
import { OrgDataError } from './org-data-format.ts';
import { rememberInitialState } from './replace-org-data.ts';

/** The largest `seed` record count: about 2 GB of heap, near what one Node process holds comfortably. */
export const MAX_SEED_RECORDS = 2_000_000;

export type SeedChoice = 'demo' | 'none' | number;

export interface StartingOrgOptions {
  /** `demo` (default), `none`, or a record count for a large deterministic org (seedBulk). */
  seed?: SeedChoice;
  seedValue?: number;
  /** An org data file to load (see README, "Org data files"). */
  dataFile?: string;
  /** An org data document to load; wins over reading dataFile (which is then only where saves go). */
  data?: unknown;
  /** Save to dataFile on stop. A dataFile that does not exist yet then starts from `seed`. */
  saveOnStop?: boolean;
  clock?: Clock;
  sessionTimeoutSeconds?: number;
  dailyApiRequestLimit?: number;
  users?: UserSpec[];
  apps?: ConnectedApp[];
  profiles?: OrgOptions['profiles'];
  sharingModels?: OrgOptions['sharingModels'];
}

/** Checks a `seed` option: demo, none, or a whole number of records from 1 to MAX_SEED_RECORDS. */
export function checkSeed(seed: unknown): SeedChoice {
  if (seed === 'demo' || seed === 'none') return seed;
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 1 && seed <= MAX_SEED_RECORDS)
    return seed;
  throw new Error(
    `seed must be demo, none, or a record count from 1 to ${MAX_SEED_RECORDS.toLocaleString('en-US')}, got ${JSON.stringify(seed)}`,
  );
}

/** Splits a record count as the benchmark does: 20% Accounts, 60% Contacts, 20% Leads. */
export function bulkSeedCounts(records: number): { accounts: number; contacts: number; leads: number } {
  const accounts = Math.max(1, Math.round(records * 0.2));
  const leads = Math.min(records - accounts, Math.round(records * 0.2));
  return { accounts, contacts: records - accounts - leads, leads };
}

async function documentToLoad(options: StartingOrgOptions): Promise<unknown> {
  if (options.data !== undefined) return options.data;
  if (options.dataFile === undefined) return undefined;
  // With saveOnStop, a file that does not exist yet is where the seeded org will be saved.
  if (options.saveOnStop && !(await exists(options.dataFile))) return undefined;
  return await readOrgDataFile(options.dataFile);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
}

/** Builds the starting org and remembers it as the state to reset to. */
export async function createStartingOrg(options: StartingOrgOptions): Promise<Org> {
  if (options.saveOnStop && options.dataFile === undefined)
    throw new Error('saveOnStop needs a dataFile to save to');
  const seed = options.seed === undefined ? undefined : checkSeed(options.seed);
  const document = await documentToLoad(options);
  let org: Org;
  if (document !== undefined) {
    if (seed !== undefined) throw new Error('seed and org data are exclusive: the data holds the records');
    if (options.users || options.apps)
      throw new Error('users and apps come from the org data: give them there');
    try {
      org = createOrgFromData(document, {
        clock: options.clock,
        sessionTimeoutSeconds: options.sessionTimeoutSeconds,
        dailyApiRequestLimit: options.dailyApiRequestLimit,
      });
    } catch (error) {
      throw error instanceof OrgDataError && options.data === undefined && options.dataFile
        ? error.withSource(options.dataFile)
        : error;
    }
  } else {
    org = new Org({
      clock: options.clock,
      sessionTimeoutSeconds: options.sessionTimeoutSeconds,
      dailyApiRequestLimit: options.dailyApiRequestLimit,
      users: options.users,
      apps: options.apps,
      profiles: options.profiles,
      sharingModels: options.sharingModels,
    });
    const choice = seed ?? 'demo';
    if (choice === 'demo') seedDemoData(org, { seed: options.seedValue });
    else if (typeof choice === 'number')
      seedBulk(org, { ...bulkSeedCounts(choice), seed: options.seedValue });
  }
  rememberInitialState(org);
  return org;
}

/** Saves the org to an org data file, atomically, without plain passwords. */
export async function saveOrgDataFile(org: Org, file: string): Promise<void> {
  await writeOrgDataFile(file, exportOrgData(org));
}
