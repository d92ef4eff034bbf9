import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ADMIN_SECRET_ENVIRONMENT_VARIABLE } from './admin/admin-secret.ts';
import { EMULATOR_USAGE } from './cli-usage.ts';
import { MAX_SEED_RECORDS, type SeedChoice } from './data/starting-org.ts';
import { loadFaultFile } from './faults/fault-file.ts';
import type { FaultConfiguration } from './faults/fault-rule.ts';
import { startEmulator } from './index.ts';
import { DEMO_APP, DEMO_PASSWORD, DEMO_USERS } from './org/org.ts';
import {
  certificateFingerprint,
  generateSelfSignedCertificate,
  type TlsCertificate,
} from './tls/tls-certificate.ts';

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4100),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z
    .string()
    .transform((text, context): SeedChoice => {
      if (text === 'demo' || text === 'none') return text;
      const count = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (count >= 1 && count <= MAX_SEED_RECORDS) return count;
      context.addIssue({
        code: 'custom',
        message: `expected demo, none, or a record count from 1 to ${MAX_SEED_RECORDS}, got '${text}'`,
      });
      return z.NEVER;
    })
    .optional(),
  // Defaults for seed and session timeout are applied after parsing: a --data file has its own.
  sessionTimeout: z.coerce.number().int().min(60).max(86_400).optional(),
  data: z.string().min(1).optional(),
  save: z.boolean().optional(),
  apiLimit: z.coerce.number().int().min(0).optional(),
  adminSecret: z.string().min(16, 'must be at least 16 characters').optional(),
  tls: z.boolean().optional(),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
});

// Flag names for the schema's keys, so errors name the option the user typed.
const OPTION_NAMES: Record<string, string> = {
  sessionTimeout: 'session-timeout',
  apiLimit: 'api-limit',
  adminSecret: 'admin-secret',
  tlsCert: 'tls-cert',
  tlsKey: 'tls-key',
};

export type EmulatorCliOptions = z.infer<typeof optionsSchema> & { faults?: FaultConfiguration };

/** Parses `forcefield emulator` arguments; throws an Error whose message is fit for the user. */
export function parseEmulatorArguments(
  argv: string[],
  environment: NodeJS.ProcessEnv = process.env,
): EmulatorCliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'session-timeout': { type: 'string' },
      'api-limit': { type: 'string' },
      faults: { type: 'string' },
      'admin-secret': { type: 'string' },
      data: { type: 'string' },
      save: { type: 'boolean' },
      tls: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const parsed = optionsSchema.safeParse({
    port: values.port,
    host: values.host,
    seed: values.seed,
    sessionTimeout: values['session-timeout'],
    apiLimit: values['api-limit'],
    adminSecret: values['admin-secret'] ?? (environment[ADMIN_SECRET_ENVIRONMENT_VARIABLE] || undefined),
    data: values.data,
    save: values.save,
    tls: values.tls,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = OPTION_NAMES[String(issue.path[0])] ?? String(issue.path[0]);
    throw new Error(`Invalid --${option}: ${issue.message}`);
  }
  if (parsed.data.save && parsed.data.data === undefined)
    throw new Error('Invalid --save: it needs --data <file>');
  if ((parsed.data.tlsCert === undefined) !== (parsed.data.tlsKey === undefined))
    throw new Error('Invalid --tls-cert: --tls-cert and --tls-key go together');
  if (parsed.data.tls && parsed.data.tlsCert !== undefined)
    throw new Error('Invalid --tls: use either --tls (a generated certificate) or --tls-cert/--tls-key');
  if (parsed.data.data === undefined) {
    parsed.data.seed ??= 'demo';
    parsed.data.sessionTimeout ??= 7200;
  }
  return values.faults === undefined ? parsed.data : { ...parsed.data, faults: loadFaultFile(values.faults) };
}

/** How the banner shows the admin secret: a generated one must be printed to be usable; a chosen one never is. */
export interface AdminSecretDisplay {
  secret: string;
  generated: boolean;
}

/** What the org was made from: a seed, or (when given) an org data file, which defines its own users. */
export interface BannerData {
  seed?: SeedChoice;
  dataFile?: string;
  /** The file did not exist: the org came from the seed and is saved to the file on shutdown. */
  savedOnly?: boolean;
}

function describeData({ seed, dataFile, savedOnly }: BannerData): string {
  const seeded =
    seed === 'none'
      ? 'empty (users and connected app only)'
      : typeof seed === 'number'
        ? `${seed.toLocaleString('en-US')} generated Accounts, Contacts and Leads`
        : 'Acme Demo data set';
  if (dataFile === undefined) return seeded;
  return savedOnly ? `${seeded}, saved to ${dataFile} on shutdown` : `org data file ${dataFile}`;
}

export function emulatorBanner(
  url: string,
  data: SeedChoice | BannerData,
  admin?: AdminSecretDisplay,
  tlsFingerprint?: string,
): string {
  const source = typeof data === 'object' ? data : { seed: data };
  const fromFile = source.dataFile !== undefined && !source.savedOnly;
  const lines = [
    `Salesforce org emulator "Acme Demo" running at ${url}`,
    `  login host and instance URL: ${url}`,
    `  data: ${describeData(source)}`,
    '',
    ...(fromFile
      ? [`Users and connected apps: as defined in ${source.dataFile}`]
      : [
          `Users (password ${DEMO_PASSWORD}):`,
          ...DEMO_USERS.map((user) => `  ${user.username.padEnd(18)} ${user.profile}`),
          '',
          'Connected app:',
          `  client_id      ${DEMO_APP.clientId}`,
          `  client_secret  ${DEMO_APP.clientSecret}`,
          '  redirect_uri   any http://localhost or http://127.0.0.1 URL',
        ]),
    '',
    `OAuth: ${url}/services/oauth2/authorize   REST: ${url}/services/data/v66.0`,
    ...(admin
      ? [
          `Admin API: ${url}/__emulator   Authorization: Bearer ${admin.generated ? admin.secret : '<your --admin-secret>'}`,
        ]
      : []),
    ...(tlsFingerprint ? [`TLS certificate SHA-256 fingerprint: ${tlsFingerprint}`] : []),
    'Press Ctrl+C to stop.',
  ];
  return lines.join('\n');
}

/** The certificate to serve HTTPS with: read from --tls-cert/--tls-key, generated for --tls, or none. */
async function tlsCertificateOf(options: EmulatorCliOptions): Promise<TlsCertificate | undefined> {
  if (options.tlsCert !== undefined && options.tlsKey !== undefined) {
    return { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') };
  }
  return options.tls ? generateSelfSignedCertificate(options.host) : undefined;
}

export async function runEmulatorCommand(argv: string[]): Promise<void> {
  const options = parseEmulatorArguments(argv);
  if (options === 'help') {
    process.stdout.write(EMULATOR_USAGE);
    return;
  }
  const savedOnly = options.data !== undefined && options.save === true && !existsSync(options.data);
  const tls = await tlsCertificateOf(options);
  const emulator = await startEmulator({
    tls,
    port: options.port,
    host: options.host,
    seed: options.seed,
    dataFile: options.data,
    saveOnStop: options.save,
    sessionTimeoutSeconds: options.sessionTimeout,
    // Absent, the org's default applies (or a --data file's own limit).
    dailyApiRequestLimit: options.apiLimit,
    faults: options.faults?.rules,
    faultSeed: options.faults?.seed,
    adminSecret: options.adminSecret,
  });
  const admin = { secret: emulator.adminSecret, generated: options.adminSecret === undefined };
  const banner = emulatorBanner(
    emulator.url,
    { seed: options.seed, dataFile: options.data, savedOnly },
    admin,
    tls ? certificateFingerprint(tls.cert) : undefined,
  );
  process.stdout.write(`${banner}\n`);
  const shutdown = () => {
    emulator.stop().then(
      () => {
        if (options.save) process.stdout.write(`Saved the org to ${options.data}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        // With --save this is the user's data: say why it was not written.
        process.stderr.write(
          `forcefield: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
