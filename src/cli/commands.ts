import { type AuditPolicy, audited, noAudit } from '../audit/audit-actions.ts';
import type { CliIo } from './cli-io.ts';

/** One `forcefield` command: what it does, how it is audited, and how it runs. */
export interface CliCommand {
  name: string;
  summary: string;
  audit: AuditPolicy;
  /** What follows the error of a mistaken argument (TypeError or `Invalid --…`), if anything. */
  usage?: string;
  /** Resolves to the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * Runs `forcefield <command> …` with `io`: resolves to the exit code (2 for an unknown command or a
 * failure, whose reason goes to stderr).
 */
export async function runCli(commands: readonly CliCommand[], argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const usage = `Usage: forcefield <command> [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`).join('\n')}
  help       show this help
`;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(usage);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`forcefield: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Argument mistakes get the command's usage; other failures (configuration, a port in use) just the reason.
    const usageError = error instanceof TypeError || /^Invalid --/.test(message);
    io.stderr.write(`forcefield: ${message}\n${usageError && command.usage ? `\n${command.usage}` : ''}`);
    return 2;
  }
}

/**
 * The service's own commands (bin/forcefield.ts adds `start` and `emulator`). Each loads its
 * module when it runs: `forcefield --help` or `users` need not compile the agent, MCP and AI SDK.
 */
export const SERVICE_COMMANDS: readonly CliCommand[] = [
  {
    name: 'migrate',
    summary: 'apply database migrations and exit',
    audit: noAudit('schema changes are logged by the migrator, not audited per user'),
    run: async () => {
      await (await import('./migrate.ts')).runMigrate();
      return 0;
    },
  },
  {
    name: 'users',
    summary: 'create and list workspace users (see: forcefield users --help)',
    audit: audited('user.created'),
    run: async (argv, io) => (await import('./users.ts')).runUsersCommand(argv, io),
  },
  {
    name: 'meetings',
    summary: 'import meetings from a JSON file (see: forcefield meetings --help)',
    audit: audited('meeting.imported'),
    run: async (argv) => (await import('./meetings.ts')).runMeetingsCommand(argv),
  },
  {
    name: 'keys',
    summary: 'rotate the keys that encrypt Salesforce tokens (see: forcefield keys --help)',
    audit: audited('vault.keys_rotated'),
    run: async (argv) => (await import('./keys.ts')).runKeysCommand(argv),
  },
  {
    name: 'mcp',
    summary: "serve an agent's tools over MCP on stdio (see: forcefield mcp --help)",
    audit: noAudit('serves the MCP server; each tool call is audited by the dispatcher'),
    run: async (argv) => (await import('./mcp.ts')).runMcpCommand(argv),
  },
];
