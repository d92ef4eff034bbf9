/**
 * Benchmark entry point: `npm run bench -- <name> [options]`. Each benchmark lives in its own
 * module, loaded only when asked for, so one benchmark's imports never slow another's start.
 */

type Benchmark = (args: string[]) => Promise<void>;

const BENCHMARKS: Record<string, { description: string; run: Benchmark }> = {
  agent: {
    description:
      'agent tool dispatch overhead (permission check + audit + step log) p50/p99, context bytes vs raw JSON, time to first token vs the model [--iterations=N --warmup=N --answers=N]',
    run: async (args) => (await import('./agent.ts')).runAgentBenchmark(args),
  },
  emulator: {
    description:
      'seed 100,000 records, then time REST round trips over HTTP [--records=N --iterations=N --warmup=N]',
    run: async (args) => (await import('./emulator.ts')).runEmulatorBenchmark(args),
  },
  mcp: {
    description:
      'MCP server: tools/call overhead over direct agent dispatch p50/p99 (both eras), tools/list bytes [--iterations=N --warmup=N]',
    run: async (args) => (await import('./mcp.ts')).runMcpBenchmark(args),
  },
  refresh: {
    description:
      'a refresh storm: concurrent calls on an expired session; token refreshes, errors, p50/p99 [--calls=N --rounds=N]',
    run: async (args) => (await import('./refresh.ts')).runRefreshBenchmark(args),
  },
  send: {
    description:
      'meeting sends: API calls per action, service CPU per send and overhead p50/p95 vs direct jsforce (0 and 100 ms) with SQLite FULL and NORMAL, lookup calls per unknown outcome, 50 senders for 20 s [--iterations=N --slow-iterations=N --senders=N --seconds=N]',
    run: async (args) => (await import('./send.ts')).runSendBenchmark(args),
  },
  transcripts: {
    description:
      'transcripts: parse + normalise MB/s of WebVTT (target ≥ 50), summariser overhead without model time [--iterations=N]',
    run: async (args) => (await import('./transcripts.ts')).runTranscriptsBenchmark(args),
  },
  web: {
    description:
      'web app in Chromium: meeting page JS+CSS (gzip, budget 150 KB), page load → interactive, Create task → interactive form p50/p95 [--runs=N --warmup=N]',
    run: async (args) => (await import('./web.ts')).runWebBenchmark(args),
  },
};

function usage(): string {
  const lines = Object.entries(BENCHMARKS).map(
    ([name, { description }]) => `  ${name.padEnd(10)} ${description}`,
  );
  return ['usage: npm run bench -- <name> [options]', '', 'benchmarks:', ...lines].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !Object.hasOwn(BENCHMARKS, name)) {
  if (name !== undefined) console.error(`unknown benchmark: ${name}\n`);
  console.error(usage());
  process.exit(1);
}
await BENCHMARKS[name].run(rest);
