#!/usr/bin/env node
import { EMULATOR_USAGE, runEmulatorCommand } from '../emulator/cli.ts';
// The `forcefield` command. Runs on Node 24 (from the project's `node` dependency), which
// executes TypeScript directly by stripping types.
import { noAudit } from '../src/audit/audit-actions.ts';
import { type CliCommand, SERVICE_COMMANDS } from '../src/cli/commands.ts';
import { loadConfig } from '../src/core/config.ts';
import { resetDemo } from './demo-org.ts';
import { runStart } from './start.ts';

const COMMANDS: readonly CliCommand[] = [
  {
    name: 'start',
    summary: 'run Forcefield (with the built-in Salesforce emulator unless a connected app is configured)',
    audit: noAudit('starts the service; its endpoints declare their own audit'),
    run: async () => {
      await runStart();
      return 0;
    },
  },
  {
    name: 'demo',
    summary: 'demo mode: `forcefield demo reset` forgets the built-in org and the SQLite workspace',
    audit: noAudit('deletes demo files on this machine while the service is stopped; no workspace user acts'),
    run: async (argv) => {
      if (argv.length !== 1 || argv[0] !== 'reset') {
        process.stderr.write('Usage: forcefield demo reset   (stop Forcefield first)\n');
        return 2;
      }
      const removed = await resetDemo(loadConfig());
      process.stdout.write(
        `Demo reset: removed ${removed.join(', ')} (where present). The next start seeds it again.\n`,
      );
      return 0;
    },
  },
  ...SERVICE_COMMANDS,
  {
    name: 'emulator',
    summary: 'run the Salesforce org emulator alone (see: forcefield emulator --help)',
    audit: noAudit('the emulator is a separate Salesforce org, not part of the workspace'),
    run: async (argv) => {
      await runEmulatorCommand(argv);
      return 0;
    },
  },
];

const USAGE = `Usage: forcefield <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`).join('\n')}
  help       show this help
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`forcefield: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  return command.run(rest);
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
