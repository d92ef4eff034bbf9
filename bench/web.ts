/**
 * The web app benchmark (`npm run bench -- web`), in Chromium against the built SPA served by the
 * service, with the emulator as Salesforce:
 *  1. initial JavaScript and CSS of the meeting page: every script and stylesheet a first visit
 *     loads until the page is interactive, in bytes on the wire and gzipped (target ≤ 150 KB gzip);
 *  2. page load → interactive meeting page (every item's Send to Salesforce button in the DOM),
 *     measured in the page from navigation start, over N reloads (HTTP cache warm, as on a revisit);
 *  3. click on Create task in Salesforce → interactive form (Create enabled, Subject prefilled),
 *     measured in the page from the click event, with the schema (describe) cache warm
 *     (target p50 ≤ 100 ms).
 */

import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startEmulator } from '../emulator/index.ts';
import { connect, logIn } from '../test/support/connections.ts';
import { emulatorSalesforce, startTestService } from '../test/support/service.ts';
import buildWebApp from '../test/web/support/build-web-app.ts';
import { launchChromium } from '../test/web/support/chromium.ts';
import { logInAs } from '../test/web/support/log-in.ts';
import {
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  MENU_ITEMS,
  meetingItem,
} from '../test/web/support/send-form.ts';

const BUNDLE_BUDGET_BYTES = 150 * 1024;
const FORM_P50_TARGET_MS = 100;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/**
 * Runs in the page before its scripts: records, from navigation start, when the meeting page
 * first has its Insights heading and a Send to Salesforce button (it is then usable).
 */
function watchMeetingReady(): void {
  // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the project has no DOM types
  const scope = globalThis as any;
  const ready = () => {
    const buttons = [...scope.document.querySelectorAll('button')];
    const headings = [...scope.document.querySelectorAll('h2')];
    return (
      // biome-ignore lint/suspicious/noExplicitAny: DOM element in the page
      buttons.some((button: any) =>
        `${button.getAttribute('aria-label') ?? ''} ${button.textContent}`.includes('Send to Salesforce'),
      ) &&
      // biome-ignore lint/suspicious/noExplicitAny: DOM element in the page
      headings.some((heading: any) => heading.textContent?.trim() === 'Insights')
    );
  };
  const observer = new scope.MutationObserver(() => {
    if (scope.__meetingReadyAt === undefined && ready()) {
      scope.__meetingReadyAt = scope.performance.now();
      observer.disconnect();
    }
  });
  observer.observe(scope.document, { childList: true, subtree: true });
}

/**
 * Runs in the page: resolves with the milliseconds from the click on the menu item to a form
 * whose Create button is enabled and whose Subject is filled (the form is usable).
 */
function timeFormAfterClick(menuItemName: string): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the project has no DOM types
  const document = (globalThis as any).document;
  return new Promise((resolve) => {
    let startedAt: number | undefined;
    const usable = () => {
      for (const dialog of document.querySelectorAll('[role="dialog"]')) {
        const create = [...dialog.querySelectorAll('button')].find(
          // biome-ignore lint/suspicious/noExplicitAny: DOM element in the page
          (button: any) => button.textContent.trim() === 'Create' && !button.disabled,
        );
        // biome-ignore lint/suspicious/noExplicitAny: DOM element in the page
        const subject = [...dialog.querySelectorAll('input')].find((input: any) =>
          input.labels?.[0]?.textContent?.includes('Subject'),
        );
        if (create && subject && subject.value !== '') return true;
      }
      return false;
    };
    // biome-ignore lint/suspicious/noExplicitAny: DOM constructor in the page
    const observer = new (globalThis as any).MutationObserver(() => {
      if (startedAt !== undefined && usable()) {
        observer.disconnect();
        resolve(performance.now() - startedAt);
      }
    });
    document.addEventListener(
      'click',
      // biome-ignore lint/suspicious/noExplicitAny: DOM event in the page
      (event: any) => {
        if (event.target.closest?.('[role="menuitem"]')?.textContent.includes(menuItemName)) {
          startedAt = event.timeStamp;
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        }
      },
      { capture: true, once: false },
    );
  });
}

async function openTaskForm(page: Page): Promise<number> {
  const measured = page.evaluate(timeFormAfterClick, MENU_ITEMS.task);
  const item = meetingItem(page, HARBORVIEW_INSIGHT);
  await item.hover();
  await item.getByRole('button', { name: 'Send to Salesforce' }).click();
  await page.getByRole('menuitem', { name: MENU_ITEMS.task }).click();
  const milliseconds = await measured;
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  return milliseconds;
}

export async function runWebBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' } },
  });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  for (const [name, value] of Object.entries({ runs, warmup })) {
    if (!Number.isInteger(value) || value < 0 || (name === 'runs' && value < 1))
      throw new TypeError(`Invalid --${name}`);
  }
  await buildWebApp();
  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const test = await startTestService(emulatorSalesforce(emulator.url));
  const baseUrl = test.service.url;
  const chromium = await launchChromium({ width: 1280, height: 800 });
  try {
    await connect(await logIn(baseUrl, 'alice@forcefield.demo'), emulator, {
      kind: 'personal',
      username: 'alice@acme.demo',
    });
    const { page } = chromium;
    await logInAs(page, baseUrl, { email: 'alice@forcefield.demo', password: 'forcefield-demo' });
    await page.getByRole('link', { name: HARBORVIEW_MEETING }).first().waitFor();
    const meetingPath = new URL(
      (await page.getByRole('link', { name: HARBORVIEW_MEETING }).first().getAttribute('href')) ?? '',
      baseUrl,
    ).pathname;

    // 1. A first visit's scripts and styles: a fresh page with the HTTP cache cleared.
    const session = await chromium.context.newCDPSession(page);
    await session.send('Network.clearBrowserCache');
    const assets: Array<{ url: string; wire: number; gzip: number }> = [];
    const pending: Array<Promise<void>> = [];
    const onResponse = (response: import('playwright-core').Response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      pending.push(
        (async () => {
          const body = await response.body();
          const sizes = await response.request().sizes();
          assets.push({
            url: new URL(response.url()).pathname,
            wire: sizes.responseBodySize,
            gzip: gzipSync(body).length,
          });
        })(),
      );
    };
    page.on('response', onResponse);
    await page.addInitScript(watchMeetingReady);
    await page.goto(`${baseUrl}${meetingPath}`);
    await page.waitForFunction(
      () => (globalThis as { __meetingReadyAt?: number }).__meetingReadyAt !== undefined,
    );
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    page.off('response', onResponse);
    const totalWire = assets.reduce((sum, asset) => sum + asset.wire, 0);
    const totalGzip = assets.reduce((sum, asset) => sum + asset.gzip, 0);

    // 2. Page load → interactive meeting page, over reloads.
    const loads: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      await page.goto(`${baseUrl}${meetingPath}`);
      const readyAt = await page.waitForFunction(
        () => (globalThis as { __meetingReadyAt?: number }).__meetingReadyAt,
      );
      if (run >= warmup) loads.push(Number(await readyAt.jsonValue()));
    }

    // 3. Create task in Salesforce → interactive form; the first opening warms the schema cache.
    const forms: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      const milliseconds = await openTaskForm(page);
      if (run >= warmup) forms.push(milliseconds);
    }

    loads.sort((left, right) => left - right);
    forms.sort((left, right) => left - right);
    console.log('\nMeeting page: initial JavaScript and CSS (first visit, empty cache)\n');
    console.log('| file | on the wire | gzip |\n| --- | --- | --- |');
    for (const asset of assets.sort((left, right) => right.gzip - left.gzip)) {
      console.log(`| ${asset.url} | ${kilobytes(asset.wire)} | ${kilobytes(asset.gzip)} |`);
    }
    console.log(`| **total** (${assets.length} files) | ${kilobytes(totalWire)} | ${kilobytes(totalGzip)} |`);
    console.log(
      `\ngzip total ${kilobytes(totalGzip)}, budget ${kilobytes(BUNDLE_BUDGET_BYTES)}: ${verdict(totalGzip <= BUNDLE_BUDGET_BYTES)}`,
    );
    console.log(`\nTimings in Chromium over ${runs} runs after ${warmup} warm-up runs (ms)\n`);
    console.log('| measure | p50 | p95 | target | |\n| --- | --- | --- | --- | --- |');
    console.log(
      `| page load → interactive meeting page | ${percentile(loads, 0.5).toFixed(1)} | ${percentile(loads, 0.95).toFixed(1)} | — | |`,
    );
    const formP50 = percentile(forms, 0.5);
    console.log(
      `| Create task in Salesforce → interactive form (warm schema cache) | ${formP50.toFixed(1)} | ${percentile(forms, 0.95).toFixed(1)} | p50 ≤ ${FORM_P50_TARGET_MS} | ${verdict(formP50 <= FORM_P50_TARGET_MS)} |`,
    );
  } finally {
    await chromium.close();
    await test.stop();
    await emulator.stop();
  }
}
