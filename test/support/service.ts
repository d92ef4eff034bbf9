import { rmSync } from 'node:fs';
import { parseConfig } from '../../src/core/config.ts';
import { type RunningService, type SalesforceSettings, startService } from '../../src/main.ts';
import type { Store } from '../../src/store/database.ts';
import {
  capturedLogger,
  provideMigratedDatabase,
  TEST_PASSWORD_HASH_COST,
  temporaryDataDir,
} from './test-service.ts';

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
  const dataDir = temporaryDataDir();
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST,
    ...environment,
  });
  const { logs, logger } = capturedLogger();
  await provideMigratedDatabase(config, store);
  const service = await startService({ config, salesforce, logger, store, now });
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
