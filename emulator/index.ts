import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { generateAdminSecret } from './admin/admin-secret.ts';
import { createApp } from './app.ts';
import type { Clock } from './core/clock.ts';
import { createStartingOrg, type SeedChoice, saveOrgDataFile } from './data/starting-org.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import { type FaultRule, faultRuleSchema } from './faults/fault-rule.ts';
import { connectedAppsSchema } from './oauth/app-definition.ts';
import type { ConnectedApp, Org, UserSpec } from './org/org.ts';
import type { ProfileDefinition } from './security/profiles.ts';
import type { SharingModels } from './security/sharing.ts';
import { searchIndexFor } from './sosl/search-index.ts';
import type { TlsCertificate } from './tls/tls-certificate.ts';

export type { Clock } from './core/clock.ts';
export { ManualClock, systemClock } from './core/clock.ts';
export { normalizeId, toId18 } from './core/ids.ts';
export { type ExportedOrgData, exportOrgData } from './data/export-org-data.ts';
export { createOrgFromData } from './data/load-org-data.ts';
export { readOrgDataFile, writeOrgDataFile } from './data/org-data-file.ts';
export {
  ORG_DATA_FORMAT,
  ORG_DATA_VERSION,
  OrgDataError,
  type OrgDataInput,
} from './data/org-data-format.ts';
export { replaceOrgData, resetOrgData } from './data/replace-org-data.ts';
export type { FaultInjector } from './faults/fault-injector.ts';
export type { FaultKind, FaultRule } from './faults/fault-rule.ts';
export { FAULT_KINDS } from './faults/fault-rule.ts';
export { connectedAppSchema } from './oauth/app-definition.ts';
export type { ConnectedApp, ProfileName, UserSpec } from './org/org.ts';
export { DEFAULT_DAILY_API_REQUEST_LIMIT, DEMO_APP, DEMO_PASSWORD, DEMO_USERS, Org } from './org/org.ts';
export type { RefreshTokenPolicy, SavedRefreshGrant } from './org/tokens.ts';
export type { ProfileDefinition } from './security/profiles.ts';
export type { SharingModel, SharingModels } from './security/sharing.ts';
export {
  certificateFingerprint,
  generateSelfSignedCertificate,
  type TlsCertificate,
} from './tls/tls-certificate.ts';

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 4100. */
  port?: number;
  host?: string;
  /**
   * `demo` loads the Acme Demo data set; `none` starts with users and the app only; a number (up to
   * 2,000,000) makes that many Accounts, Contacts and Leads (20/60/20), the same for the same seedValue.
   */
  seed?: SeedChoice;
  /** The demo or bulk data's random seed: the same number gives the same records. */
  seedValue?: number;
  /** An org data file to load instead of a seed (see README, "Org data files"). */
  dataFile?: string;
  /** An org data document to load instead of a seed; with dataFile, the file is only where saves go. */
  data?: unknown;
  /** stop() saves the org to dataFile, atomically; a dataFile that does not exist yet starts from `seed`. */
  saveOnStop?: boolean;
  sessionTimeoutSeconds?: number;
  /** The org's daily API request limit; default DEFAULT_DAILY_API_REQUEST_LIMIT (a small Enterprise org). */
  dailyApiRequestLimit?: number;
  clock?: Clock;
  users?: UserSpec[];
  apps?: ConnectedApp[];
  /** Custom profiles (object permissions, field-level security), beside the built-ins and Sales Contractor. */
  profiles?: ProfileDefinition[];
  /** Organization-wide defaults of Account, Contact, Lead, Opportunity, Case (default: Opportunity Private). */
  sharingModels?: SharingModels;
  /** Fault rules in force from the start (see README, "Fault injection"). */
  faults?: FaultRule[];
  /** Seeds the faults' chances (`probability`, `jitterMs`): the same seed gives the same faults. */
  faultSeed?: number;
  /** The admin API's secret (`Authorization: Bearer …` on /__emulator); default: a random one. */
  adminSecret?: string;
  /** Serve HTTPS with this certificate and key (PEM); the URLs become https. */
  tls?: TlsCertificate;
}

export interface RunningEmulator {
  /** Base URL: login host and instance URL at once, e.g. `http://127.0.0.1:4100`. */
  url: string;
  org: Org;
  /** The admin API's secret, for `Authorization: Bearer …` on /__emulator. */
  adminSecret: string;
  /** The fault rules in force; the admin API's /__emulator/faults changes the same object. */
  faults: FaultInjector;
  stop(): Promise<void>;
}

/** Starts an emulated org on an HTTP server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const org = await createStartingOrg({
    ...options,
    // Validated here too, so a test's misspelt policy fails loudly instead of being ignored.
    apps: options.apps ? connectedAppsSchema.parse(options.apps) : undefined,
  });
  // From here on the search index follows every write, so no search ever pays for building it.
  searchIndexFor(org);
  const faults = new FaultInjector({
    seed: options.faultSeed,
    rules: (options.faults ?? []).map((rule) => faultRuleSchema.parse(rule)),
  });
  const adminSecret = options.adminSecret ?? generateAdminSecret();
  const app = createApp(org, { faults, adminSecret });
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const tls = options.tls;
    const started = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 4100,
        hostname: host,
        ...(tls ? { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } } : {}),
      },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  org.baseUrl = `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`;
  return {
    url: org.baseUrl,
    org,
    adminSecret,
    faults,
    stop: async () => {
      await new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      // After the server closed, so no request can change the org after it was saved.
      if (options.saveOnStop && options.dataFile) await saveOrgDataFile(org, options.dataFile);
    },
  };
}
