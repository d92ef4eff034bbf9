import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system's Chromium (Debian's `chromium` package; CI installs it). We never download one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

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
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it). ` +
        'They fail rather than skip without it.',
    );
  }
  const userDataDirectory = mkdtempSync(path.join(tmpdir(), 'forcefield-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDirectory, {
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
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
