import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { connect, logIn, type ServiceSession } from '../../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../../support/service.ts';
import { connectChromium, type LaunchedChromium, launchChromium } from './chromium.ts';

/** The demo workspace's logins (seeded in demo mode) and the demo org's Salesforce users. */
export const USERS = {
  alice: { email: 'alice@forcefield.demo', password: 'forcefield-demo', salesforce: 'alice@acme.demo' },
  bob: { email: 'bob@forcefield.demo', password: 'forcefield-demo', salesforce: 'bob@acme.demo' },
  carol: { email: 'carol@forcefield.demo', password: 'forcefield-demo', salesforce: 'carol@acme.demo' },
} as const;

export type WorkspaceUser = (typeof USERS)[keyof typeof USERS];

export const SALESFORCE_PASSWORD = 'demo1234';

export interface WebHarness {
  emulator: RunningEmulator;
  test: TestService;
  /** The service's URL: the SPA at `/`, the API under `/api`. */
  baseUrl: string;
  chromium: LaunchedChromium;
  /** The one page a test file drives (reused across its tests). */
  page: Page;
  /** Uncaught exceptions and console errors in the page since the last `takePageErrors()`. */
  takePageErrors(): string[];
  /** A SOQL query against the emulator over its REST API, as its admin: the records. */
  query<T = Record<string, unknown>>(soql: string): Promise<T[]>;
  /** Moves the service's clock (not the emulator's) forward, e.g. past the session lifetime. */
  advanceServiceClock(milliseconds: number): void;
  /** The JSON API as `user` (own cookie jar, not the browser's): to arrange data and to check it. */
  apiAs(user: WorkspaceUser): Promise<ServiceSession>;
  /** Connects `user` to Salesforce through the API (for flows that need a connection but are not about connecting). */
  connectSalesforce(user: WorkspaceUser, kind?: 'personal' | 'organization'): Promise<string>;
  stop(): Promise<void>;
}

/**
 * One place for the browser tests' setup: the emulator (demo org) and the service (demo mode:
 * the seeded workspace and meetings) on free ports, in this process, and one page in a fresh
 * context of the run's Chromium.
 */
export async function startWebHarness(
  options: { width?: number; height?: number; emulator?: EmulatorOptions } = {},
): Promise<WebHarness> {
  const emulator = await startEmulator({ port: 0, seed: 'demo', ...options.emulator });
  let test: TestService | undefined;
  let launched: LaunchedChromium | undefined;
  let clockOffset = 0;
  try {
    test = await startTestService(
      emulatorSalesforce(emulator.url),
      {},
      undefined,
      () => Date.now() + clockOffset,
    );
    // The run's shared Chromium (chromium-server.ts); without one (no Chromium installed),
    // launchChromium fails with the message saying so.
    const endpoint = inject('chromiumEndpoint');
    const size = { width: options.width, height: options.height };
    launched = endpoint ? await connectChromium(endpoint, size) : await launchChromium(size);
  } catch (error) {
    await test?.stop();
    await emulator.stop();
    throw error;
  }
  const service = test;
  const chromium = launched;
  const page = chromium.page;
  // Fail an action in a few seconds with Playwright's message, well before the test's own timeout.
  chromium.context.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused request (401 after expiry, 400 on a bad import) is logged by Chromium; the tests
    // assert what the app shows for those, so only the app's own errors count here.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      pageErrors.push(`console: ${message.text()}`);
  });
  const adminToken = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
    'api',
  ]).token;
  return {
    emulator,
    test: service,
    baseUrl: service.service.url,
    chromium,
    page,
    advanceServiceClock(milliseconds) {
      clockOffset += milliseconds;
    },
    takePageErrors() {
      return pageErrors.splice(0);
    },
    async query<T>(soql: string): Promise<T[]> {
      const response = await fetch(
        `${emulator.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`,
        { headers: { Authorization: `Bearer ${adminToken}` } },
      );
      const body = (await response.json()) as { records?: T[] };
      if (response.status !== 200)
        throw new Error(`query failed (${response.status}): ${JSON.stringify(body)}`);
      return body.records ?? [];
    },
    apiAs(user) {
      return logIn(service.service.url, user.email, user.password);
    },
    async connectSalesforce(user, kind = 'personal') {
      const session = await logIn(service.service.url, user.email, user.password);
      return connect(session, emulator, { kind, username: user.salesforce });
    },
    async stop() {
      await chromium.close();
      await service.stop();
      await emulator.stop();
    },
  };
}
