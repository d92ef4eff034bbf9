import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type DemoLogin, ensureInitialAdmin, seedDemoWorkspace } from './accounts/workspace-setup.ts';
import type { ExecutionProbe } from './agent/dispatch/run-approved-call.ts';
import type { ModelOverride } from './agent/models/language-model.ts';
import { AgentRuntime } from './agent/turns/agent-runtime.ts';
import { AuditLog } from './audit/audit-log.ts';
import type { Config } from './core/config.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { createServiceApp } from './http/app.ts';
import { seedDemoMeetings } from './meetings/demo-meetings.ts';
import { createMeetingRuntime, stopMeetingRuntime } from './meetings/meeting-runtime.ts';
import { resolveUnfinishedSends } from './meetings/send/send-resolution.ts';
import type { ServiceContext } from './platform/service-context.ts';
import { OAUTH_CALLBACK_PATH, type SalesforceSettings } from './salesforce/salesforce-settings.ts';
import { SalesforceSessions } from './salesforce/sessions.ts';
import type { Services } from './services.ts';
import { migrate, openStore, type Store } from './store/database.ts';
import { loadKeyring } from './vault/keyring.ts';
import { TokenVault } from './vault/token-vault.ts';

export type { SalesforceSettings };

export interface ServiceOptions {
  config: Config;
  salesforce: SalesforceSettings;
  logger?: Logger;
  /** Use this store instead of opening one from the config (tests). */
  store?: Store;
  now?: () => number;
  /** Supplies agents' language models instead of the configured providers (tests script one). */
  agentModelOverride?: ModelOverride;
  /** Stops approved agent calls at a point of their execution (the crash tests); production: none. */
  agentExecutionProbe?: ExecutionProbe;
}

/** Everything the service is, before it listens: what in-process callers (tests) drive with app.request(). */
export interface BuiltService {
  app: Hono;
  store: Store;
  logger: Logger;
  /** Demo mode: the workspace logins anyone may use (empty otherwise). */
  demoLogins: DemoLogin[];
  /** The services' dependencies (tests and in-process callers use the services directly). */
  context: ServiceContext;
  /** Everything the composition root built (what the surfaces were handed). */
  services: Services;
  /** The instance's own copy of the Salesforce settings (startService completes the callback URL). */
  salesforce: SalesforceSettings;
  /** Stops background work and closes the store when this service opened it. */
  stop(): Promise<void>;
}

export interface RunningService extends BuiltService {
  url: string;
  /** PUBLIC_URL, or the listening URL. */
  publicUrl: string;
}

export function openConfiguredStore(config: Config): Store {
  return config.DATABASE_URL
    ? openStore({ databaseUrl: config.DATABASE_URL })
    : openStore({ sqlitePath: path.resolve(config.DATA_DIR, 'forcefield.db') });
}

/**
 * The composition root: opens the store, applies migrations, builds every service once — vault,
 * Salesforce sessions, audit log, the agent runtime — seeds what the mode needs and builds the HTTP
 * app, without listening: startService serves it, tests call it in-process.
 */
export async function buildService(options: ServiceOptions): Promise<BuiltService> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const store = options.store ?? openConfiguredStore(config);
  const applied = await migrate(store);
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
  const now = options.now ?? Date.now;
  const salesforce: SalesforceSettings = { ...options.salesforce, scopes: [...options.salesforce.scopes] };
  const audit = new AuditLog(store, now);
  const vault = new TokenVault(
    loadKeyring({ secretKey: config.FORCEFIELD_SECRET_KEY, dataDir: config.DATA_DIR }),
  );
  const salesforceSessions = new SalesforceSessions({
    store,
    vault,
    settings: salesforce,
    audit,
    logger,
    now,
  });
  const context: ServiceContext = {
    config,
    store,
    logger,
    audit,
    salesforce,
    vault,
    salesforceSessions,
    now,
  };
  const services: Services = {
    context,
    agent: new AgentRuntime(context, {
      modelOverride: options.agentModelOverride,
      ...(options.agentExecutionProbe ? { executionProbe: options.agentExecutionProbe } : {}),
    }),
    meetings: createMeetingRuntime({
      now,
      settleMs: config.MEETING_SEND_SETTLE_MS,
      writeTimeoutMs: config.MEETING_SEND_WRITE_TIMEOUT_MS,
    }),
  };
  await ensureInitialAdmin(context);
  const demoLogins = salesforce.embedded ? await seedDemoWorkspace(context) : [];
  if (salesforce.embedded) await seedDemoMeetings(context);
  // Meeting sends a previous run left with an unknown outcome: looked up (never re-sent) in the background.
  const unfinishedSends = await resolveUnfinishedSends({ ...context, meetings: services.meetings });
  if (unfinishedSends > 0) logger.info({ sends: unfinishedSends }, 'resolving unfinished meeting sends');
  // Approved agent calls an instance left unfinished: expired or looked up (never re-sent), then periodically.
  services.agent.startResolver();
  const app = createServiceApp(services, { demoLogins });
  let stopped = false;
  return {
    app,
    store,
    logger,
    demoLogins,
    context,
    services,
    salesforce,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopMeetingRuntime(services.meetings);
      await services.agent.stop();
      if (!options.store) await store.close();
    },
  };
}

/** Builds the service and serves its HTTP API until stop(). */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const built = await buildService(options);
  const { app, store, logger, salesforce } = built;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const publicUrl = (config.PUBLIC_URL ?? url).replace(/\/$/, '');
  // Known only once listening (PORT=0 picks a port); no request can have arrived before this line.
  if (!salesforce.callbackUrl) salesforce.callbackUrl = `${publicUrl}${OAUTH_CALLBACK_PATH}`;
  logger.info({ url, database: store.dialect, salesforce: salesforce.loginUrl }, 'forcefield started');
  let stopped = false;
  return {
    ...built,
    url,
    publicUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop accepting connections, let in-flight requests finish, then close the store.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await built.stop();
      logger.info('forcefield stopped');
    },
  };
}
