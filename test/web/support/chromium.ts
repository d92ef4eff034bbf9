import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system's Chromium (Debian's `chromium` package; CI installs it). We never download one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

const CONTEXT_OPTIONS = { locale: 'en-US', timezoneId: 'UTC' } as const;

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile. A missing Chromium is a failure, never a skip: a browser
 * suite that silently skips in CI is a browser suite that does not exist.
 */
export async function launchChromium(
  options: { width?: number; height?: number } = {},
): Promise<LaunchedChromium> {
  requireChromium();
  const userDataDirectory = mkdtempSync(path.join(tmpdir(), 'forcefield-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDirectory, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    ...CONTEXT_OPTIONS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh context (its own cookies and storage, like a fresh profile) and page on the Chromium the
 * test run shares (`chromium-server.ts` launches it once): starting Chromium per file was a second
 * or more of every browser file.
 */
export async function connectChromium(
  endpoint: string,
  options: { width?: number; height?: number } = {},
): Promise<LaunchedChromium> {
  requireChromium();
  const browser = await chromium.connectOverCDP(endpoint);
  try {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      ...CONTEXT_OPTIONS,
    });
    const page = await context.newPage();
    return {
      context,
      page,
      async close() {
        await context.close();
        // Only disconnects: the run's Chromium stays up for the next file.
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** A missing Chromium is a failure, never a skip. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it). ` +
        'They fail rather than skip without it.',
    );
  }
}
