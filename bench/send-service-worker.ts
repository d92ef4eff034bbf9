/**
 * Part of `npm run bench -- send`: the service under test, in a worker thread of its own, so its
 * CPU is read from its own thread (process.threadCpuUsage) apart from the emulator's and the
 * benchmark client's, which share the main thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/logger.ts';
import { startService } from '../src/main.ts';

interface ServiceWorkerData {
  synchronous: 'FULL' | 'NORMAL';
  emulatorUrl: string;
  clientId: string;
  clientSecret: string;
}

type CommandBody = { type: 'cpu' | 'stop' } | { type: 'advance'; milliseconds: number };
type Command = CommandBody & { id: number };

export interface ServiceWorker {
  url: string;
  /** CPU time (ms, user + system) the service's thread has used so far. */
  threadCpuMs(): Promise<number>;
  /** Moves the service's clock forward (or back). */
  advanceClock(milliseconds: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startServiceWorker(data: ServiceWorkerData): Promise<ServiceWorker> {
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const waiting = new Map<number, (value: number) => void>();
  let failure: unknown;
  worker.on('error', (error) => {
    failure = error;
  });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { url: string }) => resolve(message.url));
  });
  worker.on('message', (message: { id: number; value: number }) => {
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
  });
  let next = 0;
  const ask = (command: CommandBody) => {
    if (failure) throw failure;
    const id = ++next;
    return new Promise<number>((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ ...command, id });
    });
  };
  return {
    url,
    threadCpuMs: () => ask({ type: 'cpu' }),
    advanceClock: async (milliseconds) => {
      await ask({ type: 'advance', milliseconds });
    },
    stop: async () => {
      await ask({ type: 'stop' });
      await worker.terminate();
    },
  };
}

async function serve(data: ServiceWorkerData): Promise<void> {
  const port = parentPort!;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-bench-'));
  let clockOffset = 0;
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: data.synchronous,
  });
  const service = await startService({
    config,
    logger: createLogger('silent'),
    now: () => Date.now() + clockOffset,
    salesforce: {
      loginUrl: data.emulatorUrl,
      clientId: data.clientId,
      clientSecret: data.clientSecret,
      callbackUrl: '',
      apiVersion: config.SALESFORCE_API_VERSION,
      scopes: ['api', 'refresh_token', 'offline_access', 'id', 'openid'],
      embedded: true,
    },
  });
  port.postMessage({ url: service.url });
  const profiler = serviceProfiler(data.synchronous);
  port.on('message', async (command: Command) => {
    if (command.type === 'cpu') {
      await profiler?.toggle();
      const used = process.threadCpuUsage();
      port.postMessage({ id: command.id, value: (used.user + used.system) / 1000 });
    } else if (command.type === 'advance') {
      clockOffset += command.milliseconds;
      port.postMessage({ id: command.id, value: clockOffset });
    } else {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
      port.postMessage({ id: command.id, value: 0 });
    }
  });
}

/**
 * PROFILE_SERVICE=<prefix>: a CPU profile of the service thread between the first two CPU readings
 * (the measured sends at 0 ms), written to `<prefix>.<synchronous>.cpuprofile`.
 */
function serviceProfiler(synchronous: string) {
  const prefix = process.env.PROFILE_SERVICE;
  if (!prefix) return undefined;
  const session = new Session();
  session.connect();
  let readings = 0;
  return {
    async toggle() {
      readings++;
      if (readings === 1) {
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else if (readings === 2) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(`${prefix}.${synchronous}.cpuprofile`, JSON.stringify(profile));
      }
    },
  };
}

if (!isMainThread && parentPort) await serve(workerData as ServiceWorkerData);
