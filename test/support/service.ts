import type { SalesforceSettings } from '../../src/main.ts';
import type { Store } from '../../src/store/database.ts';
import { type ListeningTestService, listenTestService } from './test-service.ts';

export { emulatorSalesforce } from './test-service.ts';

export type TestService = ListeningTestService;

/**
 * `listenTestService` (the one harness, listening on a free port) in its older positional form,
 * kept for the files that call it so. Only for tests about the network (browser, restart, several
 * instances); others use createTestService.
 */
export function startTestService(
  salesforce: SalesforceSettings,
  environment: Record<string, string> = {},
  store?: Store,
  /** A controllable clock (e.g. to let a login lockout expire). */
  now?: () => number,
): Promise<TestService> {
  return listenTestService({
    salesforce,
    environment,
    ...(store ? { store } : {}),
    ...(now ? { clock: { now } } : {}),
  });
}
