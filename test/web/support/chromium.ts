import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system's Chromium (Debian's `chromium` package; CI installs it). We never download one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

const LAUNCH_OPTIONS = {
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

/** A missing Chromium is a failure, never a skip: a browser suite that silently skips in CI is a browser suite that does not exist. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it). ` +
        'They fail rather than skip without it.',
    );
  }
}

async function openPage(browser: Browser, options: { width?: number; height?: number }) {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return { context, page: await context.newPage() };
}

/** Launches a Chromium of its own with a fresh context (for scripts); close() ends the browser. */
export async function launchChromium(
  options: { width?: number; height?: number } = {},
): Promise<LaunchedChromium> {
  requireChromium();
  const browser = await chromium.launch(LAUNCH_OPTIONS);
  const { context, page } = await openPage(browser, options);
  return { context, page, close: () => browser.close() };
}

/**
 * One Chromium per test worker: the browser test files run one after another in the same worker
 * (the `processes` project does not isolate files), and launching Chromium was a good part of each
 * file's setup. Playwright ends the browser when the worker exits.
 */
let workerBrowser: Promise<Browser> | undefined;

function sharedBrowser(): Promise<Browser> {
  if (!workerBrowser) {
    const launching = chromium.launch(LAUNCH_OPTIONS);
    workerBrowser = launching;
    // A crashed or failed browser is launched again by the next file instead of failing every file after it.
    launching.then(
      (browser) => browser.on('disconnected', () => (workerBrowser = undefined)),
      () => (workerBrowser = undefined),
    );
  }
  return workerBrowser;
}

/**
 * A fresh browser context (its own cookies, storage and cache: nothing is shared with other files)
 * and its page, in the worker's Chromium; close() ends the context, not the browser.
 */
export async function openChromiumPage(
  options: { width?: number; height?: number } = {},
): Promise<LaunchedChromium> {
  requireChromium();
  const { context, page } = await openPage(await sharedBrowser(), options);
  return { context, page, close: () => context.close() };
}
