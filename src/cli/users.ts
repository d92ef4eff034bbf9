import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { newPasswordSchema } from '../accounts/passwords.ts';
import type { AccountDependencies } from '../accounts/types.ts';
import {
  createUser,
  emailSchema,
  findUserByEmail,
  listUsers,
  nameSchema,
  updateUser,
} from '../accounts/users.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { migrate } from '../store/database.ts';
import { type CliIo, processIo } from './cli-io.ts';

export const USERS_USAGE = `Usage: forcefield users <command> [options]

Commands:
  create --email <email> --name <name> [--admin] [--password-env <VAR>]
                 create a member (or an admin with --admin)
  set-password --email <email> [--password-env <VAR>]
                 set a user's password (ends their sessions)
  list [--json]  list every user

The password is read from standard input: typed without echo on a terminal, or piped
(\`printf '%s' "$PASSWORD" | forcefield users create …\`). --password-env names an environment
variable to read it from instead. There is no --password option: command lines show up in
process lists and shell history.
`;

const CLI_ACTOR = { userId: null, surface: 'cli' } as const;

class UsageError extends Error {}

/** `forcefield users …`: manages workspace users directly in the configured database. */
export async function runUsersCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'create':
        return await createCommand(rest, io);
      case 'set-password':
        return await setPasswordCommand(rest, io);
      case 'list':
        return await listCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USERS_USAGE);
        return 0;
      default:
        throw new UsageError(`unknown users command '${command}'`);
    }
  } catch (error) {
    // parseArgs reports unknown or malformed options as TypeErrors.
    if (error instanceof UsageError || error instanceof TypeError) {
      io.stderr.write(`forcefield users: ${error.message}\n\n${USERS_USAGE}`);
      return 2;
    }
    throw error;
  }
}

function refusePasswordOption(args: string[]): void {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      'passwords are not accepted on the command line (they leak into process lists and shell history); pipe it on standard input or use --password-env',
    );
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

async function withAccounts<T>(
  io: CliIo,
  work: (dependencies: AccountDependencies) => Promise<T>,
): Promise<T> {
  const config = io.loadConfig();
  const store = io.openStore(config);
  try {
    await migrate(store);
    return await work({ store, audit: new AuditLog(store), now: Date.now, config });
  } finally {
    await store.close();
  }
}

async function createCommand(args: string[], io: CliIo): Promise<number> {
  refusePasswordOption(args);
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      'password-env': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.email) throw new UsageError('--email is required');
  if (!values.name) throw new UsageError('--name is required');
  const email = parse(emailSchema, values.email, '--email');
  const name = parse(nameSchema, values.name, '--name');
  const password = parse(newPasswordSchema, await readPassword(io, values['password-env']), 'password');
  const role = values.admin ? 'admin' : 'member';
  const user = await withAccounts(io, (dependencies) =>
    createUser(dependencies, { email, name, role, password }, CLI_ACTOR),
  );
  io.stdout.write(`Created ${role} ${user.email} (id ${user.id}).\n`);
  return 0;
}

async function setPasswordCommand(args: string[], io: CliIo): Promise<number> {
  refusePasswordOption(args);
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, 'password-env': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.email) throw new UsageError('--email is required');
  const email = parse(emailSchema, values.email, '--email');
  const password = parse(newPasswordSchema, await readPassword(io, values['password-env']), 'password');
  await withAccounts(io, async (dependencies) => {
    const user = await findUserByEmail(dependencies.store, email);
    if (!user) throw new Error(`no user has the email ${email}`);
    await updateUser(dependencies, user.id, { password }, CLI_ACTOR);
  });
  io.stdout.write(`Set the password of ${email}; their sessions have ended.\n`);
  return 0;
}

async function listCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  const users = await withAccounts(io, (dependencies) => listUsers(dependencies.store));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
    return 0;
  }
  if (users.length === 0) {
    io.stdout.write('No users yet. Create the first admin with: forcefield users create --admin …\n');
    return 0;
  }
  const rows = [
    ['EMAIL', 'NAME', 'ROLE', 'STATUS', 'ID'],
    ...users.map((user) => [
      user.email,
      user.name,
      user.role,
      user.disabledAt ? 'disabled' : 'active',
      user.id,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    io.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  return 0;
}

/** From the named environment variable, a no-echo prompt on a terminal, or all of piped stdin. */
async function readPassword(io: CliIo, environmentVariable: string | undefined): Promise<string> {
  if (environmentVariable !== undefined) {
    const value = io.env[environmentVariable];
    if (value === undefined || value === '')
      throw new UsageError(`the environment variable ${environmentVariable} is not set`);
    return value;
  }
  const input = io.stdin;
  if (input.isTTY) {
    const first = await promptHidden(input, io, 'Password: ');
    const second = await promptHidden(input, io, 'Repeat the password: ');
    if (first !== second) throw new UsageError('the two passwords differ');
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  // `echo secret | …` adds one newline that is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(input: NodeJS.ReadStream, io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (character === '\u0003') {
          finish();
          reject(new UsageError('cancelled'));
          return;
        }
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    input.on('data', onData);
  });
}
