import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { logIn, type ServiceSession } from '../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

export interface ServiceWithBob {
  emulator: RunningEmulator;
  test: TestService;
  /** bob@forcefield.demo, logged in, not connected to Salesforce yet. */
  bob: ServiceSession;
}

/**
 * The demo emulator org and a service on it, with bob logged in, started before the suite's tests
 * and stopped after them. The object returned is filled in by the suite's `beforeAll`: read it
 * inside hooks and tests only.
 */
export function useServiceWithBob(): ServiceWithBob {
  const world = {} as ServiceWithBob;
  beforeAll(async () => {
    world.emulator = await startEmulator({ port: 0, seed: 'demo' });
    world.test = await startTestService(emulatorSalesforce(world.emulator.url));
    world.bob = await logIn(world.test.service.url, 'bob@forcefield.demo');
  });
  afterAll(async () => {
    await world.test.stop();
    await world.emulator.stop();
  });
  return world;
}
