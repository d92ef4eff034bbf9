import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startEmulator } from './index.ts';
import { DEMO_APP, DEMO_PASSWORD, DEMO_USERS } from './org/org.ts';

export const EMULATOR_USAGE = `Usage: forcefield emulator [options]

Starts a Salesforce org emulator (OAuth 2.0 login host and REST instance on one server).

Options:
  --port <n>              TCP port (default 4100; 0 picks a free port)
  --host <address>        address to listen on (default 127.0.0.1)
  --seed <demo|none>      load the Acme Demo data set, or start empty (default demo)
  --session-timeout <s>   access-token inactivity timeout in seconds (default 7200)
  -h, --help              show this help
`;

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4100),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.enum(['demo', 'none']).default('demo'),
  sessionTimeout: z.coerce.number().int().min(60).max(86_400).default(7200),
});

export type EmulatorCliOptions = z.infer<typeof optionsSchema>;

/** Parses `forcefield emulator` arguments; throws an Error whose message is fit for the user. */
export function parseEmulatorArguments(argv: string[]): EmulatorCliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'session-timeout': { type: 'string' },
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
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue.path[0] === 'sessionTimeout' ? 'session-timeout' : String(issue.path[0]);
    throw new Error(`Invalid --${option}: ${issue.message}`);
  }
  return parsed.data;
}

export function emulatorBanner(url: string, seed: string): string {
  const lines = [
    `Salesforce org emulator "Acme Demo" running at ${url}`,
    `  login host and instance URL: ${url}`,
    `  data: ${seed === 'demo' ? 'Acme Demo data set' : 'empty (users and connected app only)'}`,
    '',
    `Users (password ${DEMO_PASSWORD}):`,
    ...DEMO_USERS.map((user) => `  ${user.username.padEnd(18)} ${user.profile}`),
    '',
    'Connected app:',
    `  client_id      ${DEMO_APP.clientId}`,
    `  client_secret  ${DEMO_APP.clientSecret}`,
    '  redirect_uri   any http://localhost or http://127.0.0.1 URL',
    '',
    `OAuth: ${url}/services/oauth2/authorize   REST: ${url}/services/data/v66.0`,
    'Press Ctrl+C to stop.',
  ];
  return lines.join('\n');
}

export async function runEmulatorCommand(argv: string[]): Promise<void> {
  const options = parseEmulatorArguments(argv);
  if (options === 'help') {
    process.stdout.write(EMULATOR_USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    seed: options.seed,
    sessionTimeoutSeconds: options.sessionTimeout,
  });
  process.stdout.write(`${emulatorBanner(emulator.url, options.seed)}\n`);
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
