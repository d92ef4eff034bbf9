import { EMULATOR_USAGE } from '../emulator/cli-usage.ts';
import { noAudit } from '../src/audit/audit-actions.ts';
import { type CliCommand, SERVICE_COMMANDS } from '../src/cli/commands.ts';

/**
 * Every `forcefield` command: the service's own, plus `start`, `demo` and `emulator`. Each loads
 * its modules when it runs (a cold start compiles only what the command uses).
 */
export const FORCEFIELD_COMMANDS: readonly CliCommand[] = [
  {
    name: 'start',
    summary: 'run Forcefield (with the built-in Salesforce emulator unless a connected app is configured)',
    audit: noAudit('starts the service; its endpoints declare their own audit'),
    run: async () => {
      await (await import('./start.ts')).runStart();
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
      const { resetDemo } = await import('./demo-org.ts');
      const { loadConfig } = await import('../src/core/config.ts');
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
    usage: EMULATOR_USAGE,
    run: async (argv) => {
      await (await import('../emulator/cli.ts')).runEmulatorCommand(argv);
      return 0;
    },
  },
];
