import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.ts';
import { emulatorSalesforce, startTestService } from '../support/service.ts';

/** The system's Chromium (Debian's `chromium` package; CI installs it). We never download one. */
const CHROMIUM = '/usr/bin/chromium';

/** Where the end-to-end run leaves its screenshots, for a look by eye. */
const SCREENSHOT_PATH = path.join(tmpdir(), 'forcefield-web-connections.png');
const LOGIN_SCREENSHOT_PATH = path.join(tmpdir(), 'forcefield-web-login.png');

describe('the web front in a real browser', () => {
  it('logs in, connects Salesforce through the emulator and lists the connection', async (context) => {
    context.skip(
      !existsSync(CHROMIUM),
      `needs Chromium at ${CHROMIUM} (apt-get install chromium); .ci/run installs it`,
    );
    const emulator = await startEmulator({ port: 0, seed: 'demo' });
    const test = await startTestService(emulatorSalesforce(emulator.url));
    const userDataDirectory = mkdtempSync(path.join(tmpdir(), 'forcefield-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDirectory, {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      viewport: { width: 1100, height: 800 },
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // CSP violations show up as console errors: the pages must need no inline script or style.
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });

      await page.goto(`${test.service.url}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await expect.poll(() => page.locator('text=Demo mode').count()).toBe(1);

      // A wrong password reads as the API's message.
      await page.fill('#email', 'bob@forcefield.demo');
      await page.fill('#password', 'wrong password');
      await page.click('button[type="submit"]');
      await page.waitForSelector('#login-error:not([hidden])');
      expect(await page.textContent('#login-error')).toContain('The email or password is incorrect.');
      // The browser logs the refused login's 401 as a console error: expected, so forgotten.
      pageErrors.length = 0;

      await page.screenshot({ path: LOGIN_SCREENSHOT_PATH, fullPage: true });
      await page.fill('#password', 'forcefield-demo');
      await Promise.all([page.waitForURL('**/connections'), page.click('button[type="submit"]')]);
      expect(await page.textContent('.who')).toContain('bob@forcefield.demo');

      // On to the emulator's login and consent pages, and back.
      await Promise.all([
        page.waitForURL(`${emulator.url}/**`),
        page.click('button[data-action="connect"][data-kind="personal"]'),
      ]);
      await page.fill('input[name="username"]', 'bob@acme.demo');
      await page.fill('input[name="pw"]', 'demo1234');
      await Promise.all([page.waitForLoadState(), page.click('button[value="login"]')]);
      await Promise.all([
        page.waitForURL(`${test.service.url}/connections**`),
        page.click('button[value="allow"]'),
      ]);
      await page.waitForSelector('.banner.success');
      expect(await page.textContent('.banner.success')).toContain('Connected as bob@acme.demo');
      expect(await page.locator('article.connection').count()).toBe(1);
      expect(await page.textContent('article.connection')).toContain('bob@acme.demo');
      // The banner's query string is dropped, so a reload does not repeat it.
      expect(new URL(page.url()).search).toBe('');

      // Check works with the CSRF token from /api/me.
      await page.click('button[data-action="check"]');
      await page.waitForSelector('[data-check-result] li');
      expect(await page.textContent('[data-check-result]')).toContain('Connected as bob@acme.demo');

      await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

      // Disconnect asks first, then reports Salesforce's answer.
      page.once('dialog', (dialog) => dialog.accept());
      await page.click('button[data-action="disconnect"]');
      await page.waitForSelector('#action-message.success');
      expect(await page.textContent('#action-message')).toContain('Disconnected');
      expect(await page.locator('article.connection').count()).toBe(0);

      await Promise.all([page.waitForURL('**/login'), page.click('button[data-action="logout"]')]);
      await page.goto(`${test.service.url}/connections`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(userDataDirectory, { recursive: true, force: true });
      await test.stop();
      await emulator.stop();
    }
  }, 60_000);
});
