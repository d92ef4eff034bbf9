import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { GracefulShutdown } from './http/graceful-shutdown.ts';
import { seedDemoMeetings } from './meetings/demo-meetings.ts';
import { createMeetingRuntime, stopMeetingRuntime } from './meetings/meeting-runtime.ts';
import { resolveUnfinishedSends, startSendResolver } from './meetings/send/send-resolution.ts';
import { PrometheusMetrics } from './platform/metrics/prometheus-metrics.ts';
import { prepareSchema } from './platform/prepare-schema.ts';
import type { ServiceContext } from './platform/service-context.ts';
import { ServiceLifecycle } from './platform/service-lifecycle.ts';
import { type CallLimitSettings, SalesforceCallLimits } from './salesforce/call-limits.ts';
import { OAUTH_CALLBACK_PATH, type SalesforceSettings } from './salesforce/salesforce-settings.ts';
import { SalesforceSessions } from './salesforce/sessions.ts';
import type { Services } from './services.ts';
import { openConfiguredStore } from './store/configured-store.ts';
import type { Store } from './store/database.ts';
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
  /** Drains (README, "Stopping gracefully") and closes the store; the same promise on every call. */
  stop(): Promise<void>;
  /** A second signal: skip the readiness delay, or cut off the requests still under way. */
  hurry(): void;
}

/** The configured database (kept in its own module so CLI commands open it without the service). */
export { openConfiguredStore };

/** The per-connection Salesforce call limits of the configuration (README, "Salesforce call limits"). */
function callLimitSettings(config: Config): CallLimitSettings {
  return {
    maxConcurrent: config.SALESFORCE_MAX_CONCURRENT_CALLS,
    maxQueued: config.SALESFORCE_MAX_QUEUED_CALLS,
    perMinute: config.SALESFORCE_CALLS_PER_MINUTE,
    reservePercent: config.SALESFORCE_API_RESERVE_PERCENT,
  };
}

/** The given or configured store, its schema brought to this version (or checked: MIGRATE_ON_START). */
async function openPreparedStore(options: ServiceOptions, logger: Logger): Promise<Store> {
  const store = options.store ?? openConfiguredStore(options.config);
  try {
    await prepareSchema({ store, migrateOnStart: options.config.MIGRATE_ON_START, logger });
  } catch (error) {
    // A refused start must not leave the pool holding the process open.
    if (!options.store) await store.close();
    throw error;
  }
  return store;
}

/**
 * The composition root: opens the store, applies migrations, builds every service once — vault,
 * Salesforce sessions, audit log, the agent runtime — seeds what the mode needs and builds the HTTP
 * app, without listening: startService serves it, tests call it in-process.
 */
export async function buildService(options: ServiceOptions): Promise<BuiltService> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const store = await openPreparedStore(options, logger);
  const now = options.now ?? Date.now;
  const salesforce: SalesforceSettings = { ...options.salesforce, scopes: [...options.salesforce.scopes] };
  const metrics = new PrometheusMetrics(store);
  const audit = new AuditLog(store, now, (action, outcome) => metrics.auditRecorded(action, outcome));
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
    metrics,
    callLimits: new SalesforceCallLimits({ settings: callLimitSettings(config), metrics, now }),
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
    metrics,
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
      resolverIntervalMs: config.MEETING_SEND_RESOLVER_INTERVAL_MS,
    }),
    lifecycle: new ServiceLifecycle(),
    metrics,
  };
  await ensureInitialAdmin(context);
  const demoLogins = salesforce.embedded ? await seedDemoWorkspace(context) : [];
  if (salesforce.embedded) await seedDemoMeetings(context);
  // Meeting sends a previous run left with an unknown outcome: looked up (never re-sent) in the background.
  const unfinishedSends = await resolveUnfinishedSends({ ...context, meetings: services.meetings });
  if (unfinishedSends > 0) logger.info({ sends: unfinishedSends }, 'resolving unfinished meeting sends');
  startSendResolver({ ...context, meetings: services.meetings });
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
  built.services.metrics.collectProcessMetrics();
  const shutdown = new GracefulShutdown({
    server: server as Server,
    lifecycle: built.services.lifecycle,
    logger,
    readinessDelayMs: config.SHUTDOWN_READINESS_DELAY_MS,
    drainTimeoutMs: config.SHUTDOWN_DRAIN_TIMEOUT_MS,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      // Readiness false, stop accepting, let requests under way finish (to the deadline), then close the store.
      await shutdown.drain();
      await built.stop();
      logger.info('forcefield stopped');
    })();
    return stopped;
  };
  return { ...built, url, publicUrl, stop, hurry: () => shutdown.hurry() };
}
