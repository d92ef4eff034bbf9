import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/logger.ts';
import { type RunningService, type SalesforceSettings, startService } from '../../src/main.ts';
import type { Store } from '../../src/store/database.ts';

export { emulatorSalesforce } from './test-service.ts';

export interface TestService {
  service: RunningService;
  /** Every log line the service wrote, for assertions (e.g. no secrets). */
  logs: string[];
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the service on a free port with a temp data dir; logs are captured, not printed. Only for
 * tests about the network (browser, restart, several instances); others use createTestService.
 */
export async function startTestService(
  salesforce: SalesforceSettings,
  environment: Record<string, string> = {},
  store?: Store,
  /** A controllable clock (e.g. to let a login lockout expire). */
  now?: () => number,
): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-test-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    ...environment,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const service = await startService({ config, salesforce, logger: createLogger('debug', sink), store, now });
  return {
    service,
    logs,
    dataDir,
    async stop() {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
