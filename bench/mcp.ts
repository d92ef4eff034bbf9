/**
 * The MCP benchmark. Two figures:
 *
 * 1. tools/call overhead: a get_record call through the remote MCP server (the SDK's client over
 *    Streamable HTTP to the listening service, 2026-07-28 and 2025 sessions) against the same call
 *    through the agent's dispatcher directly (dispatchToolCall, as the chat runs it). Both reach the
 *    emulator over HTTP, so Salesforce's time is in both; the difference of the p50s is what the
 *    MCP surface adds (authentication, agent check, the step's conversation message, the SDK).
 * 2. tools/list bytes: the JSON of the tool list for an agent with every tool enabled (target ≤ 8 KB).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startEmulator } from '../emulator/index.ts';
import { agentForCaller, callToolDirectly } from '../src/agent/direct/call-tool-directly.ts';
import { directDispatchContext } from '../src/agent/direct/direct-call-context.ts';
import { dispatchToolCall } from '../src/agent/dispatch/dispatch-tool-call.ts';
import { parseConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/logger.ts';
import { startService } from '../src/main.ts';
import { authenticateMcp } from '../src/mcp/mcp-routes.ts';
import { connect, logIn } from '../test/support/connections.ts';
import { emulatorSalesforce } from '../test/support/test-service.ts';

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** Wall-clock and CPU milliseconds of each call, each list sorted. */
interface Timings {
  wall: number[];
  cpu: number[];
}

/**
 * Each call of `calls` once per round, in turn (not one block after another), so a change in the
 * machine's load during the run weighs on every path alike. CPU time (this process: client,
 * service and emulator all run in it) is taken too: on a shared, loaded machine wall-clock p50s
 * swing by several milliseconds between runs, CPU time much less. It leaves out waiting for the
 * disk (SQLite's commits), which the wall-clock figures include.
 */
async function interleaved(
  iterations: number,
  warmup: number,
  calls: Array<() => Promise<unknown>>,
): Promise<Timings[]> {
  const timings = calls.map((): Timings => ({ wall: [], cpu: [] }));
  for (let round = 0; round < warmup + iterations; round++) {
    for (const [index, call] of calls.entries()) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await call();
      const wall = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      if (round >= warmup) {
        timings[index].wall.push(wall);
        timings[index].cpu.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  for (const timing of timings) {
    timing.wall.sort((left, right) => left - right);
    timing.cpu.sort((left, right) => left - right);
  }
  return timings;
}

export async function runMcpBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { iterations: { type: 'string', default: '300' }, warmup: { type: 'string', default: '300' } },
  });
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  for (const [name, value] of [
    ['iterations', iterations],
    ['warmup', warmup],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`Invalid --${name}: a whole number`);
  }

  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-mcp-bench-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const service = await startService({
    config,
    logger: createLogger('silent'),
    salesforce: emulatorSalesforce(emulator.url),
  });
  const clients: Client[] = [];
  try {
    const alice = await logIn(service.url, 'alice@forcefield.demo');
    const bob = await logIn(service.url, 'bob@forcefield.demo');
    await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const created = await alice.call('POST', '/api/agents', {
      name: 'Bench',
      instructions: 'Bench.',
      model: { provider: 'openai', modelId: 'none' },
      connector: {
        permissions: {
          delete_record: 'needs_approval',
          create_record: 'needs_approval',
          update_record: 'needs_approval',
        },
      },
    });
    const agentId: string = created.body.agent.id;
    const apiKey: string = (await bob.call('POST', '/api/api-keys', { name: 'bench' })).body.key;

    const user = await authenticateMcp(service.services, `Bearer ${apiKey}`);
    if (!user) throw new Error('the bench API key did not resolve');
    const caller = { service: service.context, runtime: service.services.agent, user, clientName: 'bench' };
    const agent = await agentForCaller(caller, agentId);

    const open = async (mode: 'legacy' | { pin: string }) => {
      const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode } });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${service.url}/mcp/agents/${agentId}`), {
          requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
        }),
      );
      clients.push(client);
      return client;
    };
    const modern = await open({ pin: '2026-07-28' });
    const legacy = await open('legacy');

    const listed = await modern.listTools();
    const listBytes = Buffer.byteLength(JSON.stringify(listed));
    const search = await modern.callTool({
      name: 'query_records',
      arguments: { soql: 'SELECT Id FROM Contact LIMIT 1' },
    });
    const contactId = String((search.structuredContent as { rows?: string[][] }).rows?.[0]?.[0] ?? '');
    const input = { objectType: 'Contact', id: contactId };

    // The chat's path: the dispatcher with a context built once (its client cached), as a turn has.
    const conversation = await service.services.agent.createConversation(user, { agentId });
    const context = directDispatchContext(caller, {
      agent,
      connectionId: (await service.store.db.selectFrom('connections').select('id').executeTakeFirstOrThrow())
        .id,
      conversationId: conversation.id,
      messageId: 'bench-message',
    });
    let counter = 0;
    // The paths take turns call by call (not one block after another), so a change in the
    // machine's load during the run weighs on every path alike.
    const [direct, bookkept, overModern, overLegacy, httpFloor] = await interleaved(iterations, warmup, [
      () => dispatchToolCall(context, { toolCallId: `bench_${counter++}`, toolName: 'get_record', input }),
      () => callToolDirectly(caller, { agent, toolName: 'get_record', input }),
      () => modern.callTool({ name: 'get_record', arguments: input }),
      () => legacy.callTool({ name: 'get_record', arguments: input }),
      // The floor any remote server pays and the in-process dispatcher does not: one HTTP round
      // trip to this service (the health endpoint, no work behind it), with the same fetch.
      async () => {
        const response = await fetch(`${service.url}/healthz`);
        await response.arrayBuffer();
      },
    ]);

    console.log(
      `get_record, ${iterations} calls each after ${warmup} warm-up (emulator over HTTP in every row)\n`,
    );
    console.log(
      '| path | p50 ms | p99 ms | overhead p50 ms (vs direct) | CPU p50 ms | CPU overhead p50 ms |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    const p50 = (sorted: number[]) => percentile(sorted, 0.5);
    const row = (label: string, timing: Timings) =>
      console.log(
        `| ${label} | ${p50(timing.wall).toFixed(2)} | ${percentile(timing.wall, 0.99).toFixed(2)} | ${(p50(timing.wall) - p50(direct.wall)).toFixed(2)} | ${p50(timing.cpu).toFixed(2)} | ${(p50(timing.cpu) - p50(direct.cpu)).toFixed(2)} |`,
      );
    row('direct dispatch (dispatchToolCall)', direct);
    row('callToolDirectly (no MCP: + step message, client per call)', bookkept);
    row('MCP tools/call, 2026-07-28 (stateless)', overModern);
    row('MCP tools/call, 2025 (session)', overLegacy);
    row('HTTP round trip floor (GET /healthz)', httpFloor);
    const beyond = (timing: Timings) =>
      (p50(timing.wall) - p50(direct.wall) - p50(httpFloor.wall)).toFixed(2);
    console.log(
      `\nMCP overhead beyond the HTTP round trip (wall p50): 2026-07-28 ${beyond(overModern)} ms, 2025 ${beyond(overLegacy)} ms; load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `\ntools/list for every tool enabled: ${listed.tools.length} tools, ${listBytes} bytes (target ≤ 8192)`,
    );
  } finally {
    for (const client of clients) await client.close().catch(() => {});
    await service.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
