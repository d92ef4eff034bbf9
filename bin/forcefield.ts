#!/usr/bin/env node
// The `forcefield` command. Runs on Node 24 (from the project's `node` dependency), which
// executes TypeScript directly by stripping types.
import { EMULATOR_USAGE, runEmulatorCommand } from '../emulator/cli.ts';
import { runKeysCommand } from '../src/cli/keys.ts';
import { runMeetingsCommand } from '../src/cli/meetings.ts';
import { runMigrate } from '../src/cli/migrate.ts';
import { runUsersCommand } from '../src/cli/users.ts';
import { runStart } from './start.ts';

const USAGE = `Usage: forcefield <command> [options]

Commands:
  start      run Forcefield (with the built-in Salesforce emulator unless a connected app is configured)
  migrate    apply database migrations and exit
  users      create and list workspace users (see: forcefield users --help)
  meetings   import meetings from a JSON file (see: forcefield meetings --help)
  keys       rotate the keys that encrypt Salesforce tokens (see: forcefield keys --help)
  emulator   run the Salesforce org emulator alone (see: forcefield emulator --help)
  help       show this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'emulator':
      await runEmulatorCommand(rest);
      return 0;
    case 'start':
      await runStart();
      return 0;
    case 'migrate':
      await runMigrate();
      return 0;
    case 'users':
      return runUsersCommand(rest);
    case 'keys':
      return runKeysCommand(rest);
    case 'meetings':
      return runMeetingsCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`forcefield: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // Argument mistakes get the usage; other failures (configuration, a port in use) just the reason.
    const usageError = error instanceof TypeError || /^Invalid --/.test(message);
    const usage = argv[0] === 'emulator' && usageError ? `\n${EMULATOR_USAGE}` : '';
    process.stderr.write(`forcefield: ${message}\n${usage}`);
    process.exitCode = 2;
  },
);
