import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { orgCreate } from '../agent/org-calls.ts';
import { apiKeyOf } from '../mcp/mcp-harness.ts';
import { createAgent, logInAliceAndBob } from '../support/agents.ts';
import type { ServiceSession } from '../support/connections.ts';
import { collectOutput } from '../support/process-output.ts';
import { type ListeningTestService, listenTestService } from '../support/test-service.ts';

/** `forcefield mcp --agent <id>`: the MCP server over stdio, run as a child process by the SDK's client. */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Each test boots Node children (the stdio server, the CLI): more than the default timeout on a
// loaded 2-core machine.
describe('forcefield mcp (stdio)', { timeout: 90_000 }, () => {
  let emulator: RunningEmulator;
  let test: ListeningTestService;
  let bob: ServiceSession;
  let agentId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    // No store given: the service keeps SQLite in its data directory, which the child opens too.
    test = await listenTestService({ emulator });
    const people = await logInAliceAndBob(test.service.url, emulator);
    bob = people.bob;
    agentId = await createAgent(people.alice, {});
  });

  afterAll(async () => {
    await test?.stop();
    await emulator?.stop();
  });

  function childEnvironment(apiKey: string): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      DATA_DIR: test.dataDir,
      LOG_LEVEL: 'warn',
      SALESFORCE_LOGIN_URL: emulator.url,
      SALESFORCE_CLIENT_ID: 'forcefield-demo',
      SALESFORCE_CLIENT_SECRET: 'forcefield-demo-secret',
      FORCEFIELD_API_KEY: apiKey,
    };
  }

  it("serves the agent's tools to an MCP client over stdio, audited with surface mcp", async () => {
    const name = 'Quillfeather Stdio Works';
    await orgCreate(emulator, 'Account', { Name: name });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(root, 'bin/forcefield.ts'), 'mcp', '--agent', agentId],
      env: childEnvironment(await apiKeyOf(bob)),
      cwd: root,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test-client', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('search_records');
      expect(tools.map((tool) => tool.name)).not.toContain('delete_record');
      const result = await client.callTool({
        name: 'search_records',
        arguments: { term: name, objects: ['Account'] },
      });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain(name);
    } finally {
      await client.close();
    }
    const events = (await test.service.context.audit.query({ action: 'agent.tool_call', limit: 50 })).events;
    expect(
      events.some((event) => event.surface === 'mcp' && event.detail?.client === 'stdio-test-client'),
    ).toBe(true);
  });

  it('pre-registers an OAuth client and prints its id; refuses a redirect URI that is not https or loopback', async () => {
    const run = (args: string[]) =>
      collectOutput(
        spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'mcp', 'register-client', ...args], {
          cwd: root,
          env: childEnvironment('unused'),
        }),
        { input: '' },
      );
    const registered = await run(['--name', 'Team Desktop', '--redirect-uri', 'https://desktop.example/cb']);
    expect(registered.code).toBe(0);
    const clientId = registered.stdout.trim();
    const row = await test.service.store.db
      .selectFrom('mcp_oauth_clients')
      .selectAll()
      .where('id', '=', clientId)
      .executeTakeFirst();
    expect(row).toMatchObject({ name: 'Team Desktop', registration: 'preregistered' });
    const audited = (
      await test.service.context.audit.query({ action: 'mcp.client.registered', limit: 50 })
    ).events.filter((event) => event.detail.clientId === clientId);
    expect(audited).toEqual([
      expect.objectContaining({
        surface: 'cli',
        detail: expect.objectContaining({ client: 'Team Desktop', registration: 'preregistered' }),
      }),
    ]);
    const refused = await run(['--name', 'Bad', '--redirect-uri', 'http://evil.example/cb']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('redirect_uris');
  });

  it('refuses to start without a valid API key', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'mcp', '--agent', agentId], {
      cwd: root,
      env: childEnvironment('ff_not_a_real_key_0000000000000000'),
    });
    const output = await collectOutput(child, { input: '' });
    expect(output.code).toBe(1);
    expect(output.stderr).toContain('API key is not valid');
    expect(output.stdout).toBe('');
  });
});
