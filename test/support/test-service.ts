import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { RunningEmulator } from '../../emulator/index.ts';
import type { ExecutionProbe } from '../../src/agent/dispatch/run-approved-call.ts';
import type { ModelOverride } from '../../src/agent/models/language-model.ts';
import { type Config, parseConfig } from '../../src/core/config.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import {
  type BuiltService,
  buildService,
  type RunningService,
  type ServiceOptions,
  startService,
} from '../../src/main.ts';
import { OAUTH_CALLBACK_PATH, type SalesforceSettings } from '../../src/salesforce/salesforce-settings.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { logIn, type ServiceSession } from './connections.ts';
import type { Fetcher } from './oauth-browser.ts';
import { TEST_PASSWORD_HASH_COST } from './test-password-cost.ts';

/**
 * Where the in-process service pretends to live. A loopback origin, because the emulator's demo app
 * accepts any loopback callback; nothing listens there: requests to it never leave the process.
 */
export const IN_PROCESS_ORIGIN = 'http://localhost:4470';

/** A clock the test may move (the emulator's ManualClock fits); real time when none is given. */
export interface TestClock {
  now(): number;
}

export interface TestServiceOptions {
  clock?: TestClock;
  /** A store the test opened (and disposes): the service migrates it and leaves it open on stop. */
  store?: Store;
  /** Supplies agents' language models (test/agent's ModelBoard fits). */
  models?: { readonly override: ModelOverride };
  /** The Salesforce the service talks to, over HTTP. Without one, Salesforce is unreachable. */
  emulator?: RunningEmulator;
  /** Overrides of the Salesforce settings (e.g. `embedded: false` to skip the demo workspace). */
  salesforce?: Partial<SalesforceSettings>;
  /** Configuration as environment variables (FORCEFIELD_ADMIN_EMAIL, TRUST_PROXY, …). */
  environment?: Record<string, string>;
  /** Stops approved agent calls at a point of their execution (test/agent's crash tests). */
  executionProbe?: ExecutionProbe;
}

export interface TestService extends BuiltService {
  /** The service's pretend origin: URLs under it are answered in-process by `fetch`. */
  url: string;
  /** Like global fetch, but the service's URLs go to `app.request()` and others to the network. */
  fetch: Fetcher;
  /** Every log line the service wrote, for assertions (e.g. no secrets). */
  logs: string[];
  dataDir: string;
  /** A person logged in with a cookie-keeping browser that reaches the service in-process. */
  logIn(email: string, password?: string): Promise<ServiceSession>;
}

/** A fresh data directory (vault key file, SQLite file) for one service. */
export function temporaryDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'forcefield-test-'));
}

let migratedTemplate: Promise<string> | undefined;

/**
 * A SQLite file with every migration applied, made once per test worker. Migrating a SQLite file
 * takes a few hundred milliseconds (each migration is written to disk); copying a migrated one takes
 * none, and the service then finds nothing pending. The migrations themselves are tested in
 * test/store/ and by every PostgreSQL schema and in-memory test store.
 */
function migratedSqliteTemplate(): Promise<string> {
  migratedTemplate ??= (async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'forcefield-template-'));
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'forcefield.db');
    const store = openStore({ sqlitePath: file });
    try {
      await migrate(store);
    } finally {
      await store.close();
    }
    return file;
  })();
  return migratedTemplate;
}

/**
 * Gives a service that will open its own SQLite store in `config.DATA_DIR` (no store passed in, no
 * DATABASE_URL, migrating on start) an already migrated database file, unless one is there already
 * (a restarted service keeps its data).
 */
export async function provideMigratedDatabase(config: Config, store: Store | undefined): Promise<void> {
  if (store || config.DATABASE_URL || !config.MIGRATE_ON_START) return;
  const file = path.join(config.DATA_DIR, 'forcefield.db');
  if (!existsSync(config.DATA_DIR) || existsSync(file)) return;
  copyFileSync(await migratedSqliteTemplate(), file);
}

/** A debug-level logger whose every line lands in `logs`, not on the console. */
export function capturedLogger(): { logs: string[]; logger: Logger } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  return { logs, logger: createLogger('debug', sink) };
}

/** The Salesforce settings for the emulator's demo connected app. */
export function emulatorSalesforce(loginUrl: string): SalesforceSettings {
  return {
    loginUrl,
    clientId: 'forcefield-demo',
    clientSecret: 'forcefield-demo-secret',
    callbackUrl: '',
    apiVersion: '66.0',
    scopes: ['id', 'profile', 'email', 'api', 'refresh_token', 'offline_access', 'openid'],
    embedded: true,
  };
}

interface PreparedService {
  dataDir: string;
  logs: string[];
  options: ServiceOptions;
}

/**
 * What both ways of running the harness share: a temp data dir, captured debug logs, the test
 * password cost, the Salesforce settings (the emulator's demo app, or an unreachable Salesforce),
 * the clock, the store, the scripted models, and a migrated SQLite file when the service opens its own.
 */
async function prepareService(
  options: TestServiceOptions,
  listening: { environment: Record<string, string>; callbackUrl: string },
): Promise<PreparedService> {
  const dataDir = temporaryDataDir();
  const config = parseConfig({
    ...listening.environment,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST,
    ...options.environment,
  });
  const { logs, logger } = capturedLogger();
  const salesforce: SalesforceSettings = {
    // Port 9 (discard) refuses connections: a Salesforce that cannot be reached.
    ...emulatorSalesforce(options.emulator?.url ?? 'http://127.0.0.1:9'),
    callbackUrl: listening.callbackUrl,
    ...options.salesforce,
  };
  const { clock } = options;
  await provideMigratedDatabase(config, options.store);
  return {
    dataDir,
    logs,
    options: {
      config,
      salesforce,
      logger,
      ...(options.store ? { store: options.store } : {}),
      ...(clock ? { now: () => clock.now() } : {}),
      ...(options.models ? { agentModelOverride: options.models.override } : {}),
      ...(options.executionProbe ? { agentExecutionProbe: options.executionProbe } : {}),
    },
  };
}

/**
 * The one test harness: the whole service (store, vault, sessions, audit, runtimes, HTTP app) built
 * as main.ts builds it, with a temp data dir and captured logs, called in-process. Nothing listens.
 */
export async function createTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const prepared = await prepareService(options, {
    environment: {},
    callbackUrl: `${IN_PROCESS_ORIGIN}${OAUTH_CALLBACK_PATH}`,
  });
  const built = await buildService(prepared.options);
  const inProcessFetch: Fetcher = async (url, init) =>
    new URL(url).origin === IN_PROCESS_ORIGIN ? built.app.request(url, init) : fetch(url, init);
  const target = { url: IN_PROCESS_ORIGIN, fetch: inProcessFetch };
  return {
    ...built,
    url: IN_PROCESS_ORIGIN,
    fetch: inProcessFetch,
    logs: prepared.logs,
    dataDir: prepared.dataDir,
    logIn: (email, password) => logIn(target, email, password),
    async stop() {
      await built.stop();
      rmSync(prepared.dataDir, { recursive: true, force: true });
    },
  };
}

/** The same harness, listening on a free loopback port (`service.url`). */
export interface ListeningTestService {
  service: RunningService;
  /** Every log line the service wrote, for assertions (e.g. no secrets). */
  logs: string[];
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The harness for tests about the network itself (a real browser, a restart, several instances, a
 * child process sharing the data directory): the same options and the same service as
 * `createTestService`, but started as `forcefield start` starts it, on a free port of 127.0.0.1.
 */
export async function listenTestService(options: TestServiceOptions = {}): Promise<ListeningTestService> {
  // An empty callback URL: the service completes it with the port it listens on.
  const prepared = await prepareService(options, {
    environment: { PORT: '0', HOST: '127.0.0.1' },
    callbackUrl: '',
  });
  const service = await startService(prepared.options);
  return {
    service,
    logs: prepared.logs,
    dataDir: prepared.dataDir,
    async stop() {
      await service.stop();
      rmSync(prepared.dataDir, { recursive: true, force: true });
    },
  };
}
