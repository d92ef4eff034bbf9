import { type AuditPolicy, audited, noAudit } from '../audit/audit-actions.ts';
import { runKeysCommand } from './keys.ts';
import { runMcpCommand } from './mcp.ts';
import { runMeetingsCommand } from './meetings.ts';
import { runMigrate } from './migrate.ts';
import { runUsersCommand } from './users.ts';

/** One `forcefield` command: what it does, how it is audited, and how it runs. */
export interface CliCommand {
  name: string;
  summary: string;
  audit: AuditPolicy;
  /** Resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** The service's own commands (bin/forcefield.ts adds `start` and `emulator`). */
export const SERVICE_COMMANDS: readonly CliCommand[] = [
  {
    name: 'migrate',
    summary: 'apply database migrations and exit',
    audit: noAudit('schema changes are logged by the migrator, not audited per user'),
    run: async () => {
      await runMigrate();
      return 0;
    },
  },
  {
    name: 'users',
    summary: 'create and list workspace users (see: forcefield users --help)',
    audit: audited('user.created'),
    run: runUsersCommand,
  },
  {
    name: 'meetings',
    summary: 'import meetings from a JSON file (see: forcefield meetings --help)',
    audit: audited('meeting.imported'),
    run: runMeetingsCommand,
  },
  {
    name: 'keys',
    summary: 'rotate the keys that encrypt Salesforce tokens (see: forcefield keys --help)',
    audit: audited('vault.keys_rotated'),
    run: runKeysCommand,
  },
  {
    name: 'mcp',
    summary: "serve an agent's tools over MCP on stdio (see: forcefield mcp --help)",
    audit: noAudit('serves the MCP server; each tool call is audited by the dispatcher'),
    run: runMcpCommand,
  },
];
