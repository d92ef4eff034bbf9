import { existsSync } from 'node:fs';
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
 * Vitest global setup of the processes project: one Chromium for every browser file of the run,
 * each file connecting to it with a fresh context (`connectChromium`). Without Chromium at
 * CHROMIUM_PATH the endpoint is empty and every browser file fails with launchChromium's message,
 * as before: never a skip. Chromium failing to start fails the run.
 */
export default async function launchSharedChromium(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) {
    project.provide('chromiumEndpoint', '');
    return;
  }
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
