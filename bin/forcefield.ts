#!/usr/bin/env node
// The `forcefield` command. Runs on Node 24 (from the project's `node` dependency), which
// executes TypeScript directly by stripping types.
import { EMULATOR_USAGE, runEmulatorCommand } from '../emulator/cli.ts';

const USAGE = `Usage: forcefield <command> [options]

Commands:
  emulator   run the Salesforce org emulator (see: forcefield emulator --help)
  start      run Forcefield (today: the emulator with demo data; the service joins in a later release)
  help       show this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'emulator':
    case 'start':
      await runEmulatorCommand(rest);
      return 0;
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

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`forcefield: ${message}\n\n${EMULATOR_USAGE}`);
    process.exitCode = 2;
  },
);
