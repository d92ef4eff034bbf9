import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Clock } from './core/clock.ts';
import { type ConnectedApp, Org, type UserSpec } from './org/org.ts';
import { seedDemoData } from './seed/demo.ts';
import { searchIndexFor } from './sosl/search-index.ts';

export type { Clock } from './core/clock.ts';
export { ManualClock, systemClock } from './core/clock.ts';
export { normalizeId, toId18 } from './core/ids.ts';
export type { ConnectedApp, ProfileName, UserSpec } from './org/org.ts';
export { DEMO_APP, DEMO_PASSWORD, DEMO_USERS, Org } from './org/org.ts';

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 4100. */
  port?: number;
  host?: string;
  /** `demo` loads the Acme Demo data set; `none` starts with users and the app only. */
  seed?: 'demo' | 'none';
  /** The demo data's random seed: the same number gives the same records. */
  seedValue?: number;
  sessionTimeoutSeconds?: number;
  dailyApiRequestLimit?: number;
  clock?: Clock;
  users?: UserSpec[];
  apps?: ConnectedApp[];
}

export interface RunningEmulator {
  /** Base URL: login host and instance URL at once, e.g. `http://127.0.0.1:4100`. */
  url: string;
  org: Org;
  stop(): Promise<void>;
}

/** Starts an emulated org on an HTTP server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const org = new Org({
    clock: options.clock,
    sessionTimeoutSeconds: options.sessionTimeoutSeconds,
    dailyApiRequestLimit: options.dailyApiRequestLimit,
    users: options.users,
    apps: options.apps,
  });
  // The search index follows every write from the start, so no search ever pays for building it.
  searchIndexFor(org);
  if ((options.seed ?? 'demo') === 'demo') seedDemoData(org, { seed: options.seedValue });
  const app = createApp(org);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 4100, hostname: host }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  org.baseUrl = `http://${urlHost}:${address.port}`;
  return {
    url: org.baseUrl,
    org,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
