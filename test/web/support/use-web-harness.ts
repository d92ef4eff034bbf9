import { afterAll, beforeAll } from 'vitest';
import { startWebHarness, type WebHarness, type WorkspaceUser } from './web-harness.ts';

type HarnessOptions = NonNullable<Parameters<typeof startWebHarness>[0]>;

/**
 * Starts a web harness before the file's tests (and connects `connectAs` to Salesforce through
 * the API, for flows that need a connection but are not about connecting) and stops it after.
 * The returned object is filled in by the `beforeAll`: read it inside hooks and tests only.
 */
export function useWebHarness({
  connectAs,
  ...options
}: HarnessOptions & { connectAs?: WorkspaceUser } = {}): WebHarness {
  const harness = {} as WebHarness;
  beforeAll(async () => {
    Object.assign(harness, await startWebHarness(options));
    if (connectAs) await harness.connectSalesforce(connectAs);
  });
  afterAll(async () => {
    await harness.stop?.();
  });
  return harness;
}
