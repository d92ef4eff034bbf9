/**
 * Part of `npm run bench -- send`: send-task latency and CPU through our HTTP API against a direct
 * jsforce create on the same emulator in the same process — at 0 ms emulator latency (our overhead)
 * and at 100 ms (a latency fault, like a real Salesforce round trip).
 */

export interface LatencyInput {
  /** One send through our HTTP API (throws unless it created the record). */
  ours: () => Promise<void>;
  /** One direct jsforce create of the same task. */
  theirs: () => Promise<void>;
  /** CPU time (ms) the service's thread has used so far. */
  serviceCpuMs: () => Promise<number>;
  iterations: number;
  slowIterations: number;
  /** Sets (or with null clears) a latency fault on the emulator's data API. */
  setLatency: (milliseconds: number | null) => Promise<void>;
}

export interface LatencyFigures {
  /** Sorted milliseconds. */
  fast: { ours: number[]; direct: number[] };
  slow: { ours: number[]; direct: number[] };
  /** Process CPU per call (ms): the process runs the client, the service and the emulator. */
  oursCpuMs: number;
  directCpuMs: number;
  /** The service thread's CPU per send through our API (ms). */
  serviceThreadCpuMs: number;
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function timed(count: number, action: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await action();
    times.push(performance.now() - started);
  }
  return times.sort((left, right) => left - right);
}

async function withCpu(count: number, action: () => Promise<void>) {
  const before = process.cpuUsage();
  const times = await timed(count, action);
  const used = process.cpuUsage(before);
  return { times, cpuMsPerCall: (used.user + used.system) / 1000 / count };
}

/** Sends before measuring: a running service is warm (V8 has optimised its hot paths by then). */
const WARM_UP_SENDS = 300;

/** Sequential sends; warm-up first; then CPU and latency at 0 ms, then latency at 100 ms. */
export async function measureLatency(input: LatencyInput): Promise<LatencyFigures> {
  await timed(WARM_UP_SENDS, input.ours);
  await timed(WARM_UP_SENDS, input.theirs);
  const serviceBefore = await input.serviceCpuMs();
  const ours = await withCpu(input.iterations, input.ours);
  const serviceThreadCpuMs = ((await input.serviceCpuMs()) - serviceBefore) / input.iterations;
  const direct = await withCpu(input.iterations, input.theirs);
  await input.setLatency(100);
  try {
    const slow = {
      ours: await timed(input.slowIterations, input.ours),
      direct: await timed(input.slowIterations, input.theirs),
    };
    return {
      fast: { ours: ours.times, direct: direct.times },
      slow,
      oursCpuMs: ours.cpuMsPerCall,
      directCpuMs: direct.cpuMsPerCall,
      serviceThreadCpuMs,
    };
  } finally {
    await input.setLatency(null);
  }
}

/** The figures the targets are about. */
export function summaryOf(figures: LatencyFigures) {
  return {
    // The process runs the emulator and the client too: our path's CPU less a direct create's is
    // the service's plus the client's HTTP request to it (which a direct create does not make).
    processCpuLessDirectMs: figures.oursCpuMs - figures.directCpuMs,
    overheadP50: percentile(figures.fast.ours, 0.5) - percentile(figures.fast.direct, 0.5),
    overheadP95: percentile(figures.fast.ours, 0.95) - percentile(figures.fast.direct, 0.95),
    ratioAt100: percentile(figures.slow.ours, 0.5) / percentile(figures.slow.direct, 0.5),
  };
}
