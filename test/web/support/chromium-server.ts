import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Chromium (`inject('chromiumEndpoint')`); empty when there is no Chromium. */
    chromiumEndpoint: string;
  }
}

/**
 * Vitest global setup of the processes project: one Chromium for every browser file of the run.
 * Each file connects to it over the DevTools protocol, as Playwright drives a Chromium it launches,
 * and works in a fresh context (`connectChromium`); downloads stay local files
 * (`download.path()`), which a Playwright-server connection (`launchServer`) would not allow.
 * Without Chromium at CHROMIUM_PATH the endpoint is empty and every browser file fails with
 * launchChromium's message, as before: never a skip. Chromium failing to start fails the run.
 */
export default async function launchSharedChromium(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) {
    project.provide('chromiumEndpoint', '');
    return;
  }
  const userDataDirectory = mkdtempSync(path.join(tmpdir(), 'forcefield-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDirectory, {
    executablePath: CHROMIUM_PATH,
    // Port 0: Chromium picks a free one and writes it to DevToolsActivePort in its profile.
    args: [...CHROMIUM_ARGS, '--remote-debugging-port=0'],
  });
  const [port] = readFileSync(path.join(userDataDirectory, 'DevToolsActivePort'), 'utf8').split('\n');
  project.provide('chromiumEndpoint', `http://127.0.0.1:${port}`);
  return async () => {
    await browser.close();
    rmSync(userDataDirectory, { recursive: true, force: true });
  };
}
