import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const DEFAULT_SCOPES = 'id profile email address phone api full refresh_token offline_access openid';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * Every setting, read from the environment (and a `.env` file in the working directory when one
 * exists). Each is documented in the README.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The URL people reach the service at (for OAuth callbacks and links). Default http://localhost:PORT. */
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  DATABASE_URL: optionalText,
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * SQLite only: FULL syncs the disk at every commit (no committed send journal row is lost on a
   * power loss); NORMAL syncs at checkpoints only (faster; a power loss may lose the last commits).
   */
  SQLITE_SYNCHRONOUS: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(['FULL', 'NORMAL'], { error: 'must be FULL (the default) or NORMAL' }))
    .default('FULL'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** base64 of 32 random bytes; encrypts Salesforce tokens at rest. Generated into DATA_DIR when unset. */
  FORCEFIELD_SECRET_KEY: optionalText,
  SALESFORCE_CLIENT_ID: optionalText,
  SALESFORCE_CLIENT_SECRET: optionalText,
  SALESFORCE_CALLBACK_URL: optionalText.pipe(z.url().optional()),
  SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 66.0')
    .default('66.0'),
  SALESFORCE_SCOPES: z.string().default(DEFAULT_SCOPES),
  /** Port of the embedded Salesforce emulator when no connected app is configured (0 = any free port). */
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  // Agent connector: model providers from the environment (admins can also add providers through
  // the API, keys encrypted in the store), how long tool results stay in memory, approval lifetime.
  OPENAI_API_KEY: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  GOOGLE_GENERATIVE_AI_API_KEY: optionalText,
  /** Any server that speaks OpenAI's chat-completions protocol, e.g. http://127.0.0.1:11434/v1. */
  OPENAI_COMPATIBLE_BASE_URL: optionalText.pipe(z.url().optional()),
  OPENAI_COMPATIBLE_API_KEY: optionalText,
  AGENT_RESULT_RETENTION_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
  AGENT_APPROVAL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /**
   * MCP OAuth clients described by a Client ID Metadata Document are fetched from the internet
   * only: loopback and private addresses are refused (SSRF). `true` allows them — for tests and
   * local development with a metadata server on this machine, never in production.
   */
  MCP_CLIENT_METADATA_ALLOW_PRIVATE_HOSTS: z.stringbool().default(false),
  /** A PEM file of extra CA certificates trusted when fetching client metadata documents. */
  MCP_CLIENT_METADATA_CA_FILE: optionalText,
  /** How long an instance holds an approved call it executes before resolvers may take it over. */
  AGENT_EXECUTION_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /**
   * How long an agent turn holds its conversation without renewing the lease (a running turn renews
   * it every quarter of this): after an instance dies mid-turn, the conversation takes new messages
   * again (on any instance) once this has passed.
   */
  AGENT_TURN_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** How often each instance resolves approved calls whose instance died; 0 = only at start. */
  AGENT_RESOLVER_PERIOD_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /**
   * true when the service runs behind a reverse proxy that appends the client's address to
   * X-Forwarded-For: login throttling then uses the last address in that header. Leave it off
   * when clients reach the service directly, or they could claim any address.
   */
  TRUST_PROXY: z.stringbool().default(false),
  /**
   * How long a Salesforce request we stopped waiting for (dropped connection, process killed) may
   * still be running at Salesforce. A meeting send whose outcome is unknown is only declared "not
   * sent" (and may then be sent again) once this much time has passed since we stopped waiting for
   * its write: its attempt's start plus MEETING_SEND_WRITE_TIMEOUT_MS.
   */
  MEETING_SEND_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * How long a meeting send waits for its Salesforce write before aborting it (its outcome is then
   * unknown, and resolved by the marker lookup). Keep it well under MEETING_SEND_SETTLE_MS.
   */
  MEETING_SEND_WRITE_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(15_000),
  /**
   * How often every instance's resolver looks for meeting sends to finish: those whose holder died
   * (lease expired) or whose outcome is unknown and settled. Concurrent resolvers are safe.
   */
  MEETING_SEND_RESOLVER_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(10_000),
  // Operations (README, "Deploying"): migrations, drain, metrics, database pool, Salesforce call limits.
  /** false: the service refuses to start while migrations are pending (run `forcefield migrate` first). */
  MIGRATE_ON_START: z.stringbool().default(true),
  /** After SIGTERM: how long /readyz answers 503 while new requests are still served (load balancer catch-up). */
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** After SIGTERM: when requests still under way are cut off and the process exits. */
  SHUTDOWN_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** `Authorization: Bearer …` for GET /metrics (Prometheus); /metrics answers 404 while unset. */
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'use at least 16 characters').optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long a query waits for a free pool connection before failing (0 = no limit). */
  DATABASE_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** Salesforce calls one connection may have under way at once on this instance; more wait in line. */
  SALESFORCE_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1).max(1000).default(25),
  /** Calls that may wait in line per connection; beyond that a call is refused with 429. */
  SALESFORCE_MAX_QUEUED_CALLS: z.coerce.number().int().min(0).max(100_000).default(1000),
  /** Salesforce calls per connection per minute on this instance (0 = no limit). */
  SALESFORCE_CALLS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Share of an org's daily API limit left to others: calls are refused once usage reaches the rest. */
  SALESFORCE_API_RESERVE_PERCENT: z.coerce.number().min(0).max(100).default(10),
  /**
   * scrypt's cost for new password hashes: N = 2^PASSWORD_HASH_COST (32 MiB at 15, the interactive
   * login setting). Hashes keep their own cost, so changing it affects only new ones. Lower it only
   * for test suites, which hash and verify thousands of passwords.
   */
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
  FORCEFIELD_ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
  FORCEFIELD_ADMIN_PASSWORD: optionalText,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses settings; a bad value is a ConfigError naming the variable. */
export function parseConfig(environment: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const partial = [config.SALESFORCE_CLIENT_ID, config.SALESFORCE_CLIENT_SECRET].filter(Boolean).length;
  if (partial === 1) {
    throw new ConfigError(
      'Set both SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, or neither (embedded emulator).',
    );
  }
  return config;
}

/** Reads `.env` from the working directory (if any) into process.env, then parses. */
export function loadConfig(directory = process.cwd()): Config {
  const file = path.join(directory, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
  return parseConfig(process.env);
}

/** Whether the service should start the embedded emulator instead of talking to real Salesforce. */
export function usesEmbeddedSalesforce(config: Config): boolean {
  return !config.SALESFORCE_CLIENT_ID;
}
