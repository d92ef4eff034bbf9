import { parseArgs } from 'node:util';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { OAuthFailure } from '../accounts/mcp-oauth.ts';
import { preregisterClient } from '../accounts/mcp-oauth-audit.ts';
import { agentForCaller } from '../agent/direct/call-tool-directly.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { type Config, loadConfig, usesEmbeddedSalesforce } from '../core/config.ts';
import { ServiceError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { buildService, openConfiguredStore, type SalesforceSettings } from '../main.ts';
import { createAgentMcpServer } from '../mcp/agent-mcp-server.ts';
import { authenticateMcp } from '../mcp/mcp-routes.ts';
import { migrate } from '../store/database.ts';

export const MCP_USAGE = `Usage: forcefield mcp --agent <agentId> [--api-key ff_…]
       forcefield mcp register-client --name <name> --redirect-uri <uri> [--redirect-uri <uri>…]

Serves one agent's Salesforce tools over MCP on stdin/stdout, for local MCP clients (Claude
Desktop, Claude Code, Cursor, VS Code). It uses the configured database and keys (DATA_DIR or
DATABASE_URL, as \`forcefield start\`), with the same permissions, approvals and audit as the
remote server at /mcp/agents/<agentId>.

register-client pre-registers an OAuth client (for clients that do not register themselves) and
prints its client_id.

Options:
  --agent <id>        the agent whose tools to serve (required)
  --api-key <key>     your personal API key; default: the FORCEFIELD_API_KEY environment variable
`;

/**
 * `forcefield mcp`: the MCP server over stdio. The API key says who the person is; everything
 * after that is the remote server's code (createAgentMcpServer). Logs go to stderr: stdout is
 * the protocol.
 */
export async function runMcpCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'register-client') return registerClientCommand(argv.slice(1));
  const { values } = parseArgs({
    args: argv,
    options: {
      agent: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(MCP_USAGE);
    return 0;
  }
  const apiKey = values['api-key'] ?? process.env.FORCEFIELD_API_KEY;
  if (!values.agent || !apiKey) {
    process.stderr.write(
      `forcefield mcp: give --agent and an API key (--api-key or FORCEFIELD_API_KEY)\n\n${MCP_USAGE}`,
    );
    return 2;
  }
  const config = loadConfig();
  const built = await buildService({
    config,
    salesforce: configuredSalesforce(config),
    logger: createLogger(config.LOG_LEVEL, process.stderr),
  });
  const user = await authenticateMcp(built.services, `Bearer ${apiKey}`);
  if (!user) {
    await built.stop();
    process.stderr.write('forcefield mcp: the API key is not valid (revoked, expired or mistyped)\n');
    return 1;
  }
  let agent: Awaited<ReturnType<typeof agentForCaller>>;
  try {
    agent = await agentForCaller(
      { service: built.context, runtime: built.services.agent, user, clientName: 'stdio' },
      values.agent,
    );
  } catch (error) {
    await built.stop();
    if (!(error instanceof ServiceError)) throw error;
    process.stderr.write(`forcefield mcp: ${error.message}\n`);
    return 1;
  }
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const handle = serveStdio(() => createAgentMcpServer({ services: built.services, user, agent, publicUrl }));
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  await built.stop();
  return 0;
}

/** `forcefield mcp register-client`: an operator's pre-registration of an OAuth client. */
async function registerClientCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true } },
  });
  if (!values.name || !values['redirect-uri']?.length) {
    process.stderr.write(`forcefield mcp: register-client needs --name and --redirect-uri\n\n${MCP_USAGE}`);
    return 2;
  }
  const store = openConfiguredStore(loadConfig());
  try {
    await migrate(store);
    const client = await preregisterClient(
      { store, audit: new AuditLog(store), now: Date.now },
      { name: values.name, redirectUris: values['redirect-uri'] },
    );
    process.stdout.write(`${client.id}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof OAuthFailure)) throw error;
    process.stderr.write(`forcefield mcp: ${error.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

/**
 * The Salesforce settings token refresh needs: the configured connected app, or in demo mode the
 * embedded emulator that `forcefield start` runs on EMULATOR_PORT (its demo app's public id).
 */
function configuredSalesforce(config: Config): SalesforceSettings {
  const embedded = usesEmbeddedSalesforce(config);
  return {
    loginUrl: embedded ? `http://127.0.0.1:${config.EMULATOR_PORT}` : config.SALESFORCE_LOGIN_URL,
    clientId: embedded ? 'forcefield-demo' : (config.SALESFORCE_CLIENT_ID ?? ''),
    clientSecret: embedded ? 'forcefield-demo-secret' : (config.SALESFORCE_CLIENT_SECRET ?? ''),
    callbackUrl: config.SALESFORCE_CALLBACK_URL ?? '',
    apiVersion: config.SALESFORCE_API_VERSION,
    scopes: config.SALESFORCE_SCOPES.split(/\s+/).filter(Boolean),
    embedded,
  };
}
