import { afterAll, beforeAll, expect } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';
import { SfCli, type SfResult } from '../support/sf-cli.ts';

// Each `sf` start costs a second or two of CPU; the files run them one after the other.
export const SF_TIMEOUT = 90_000;

/** The alias the fixture logs the CLI in under. */
export const SF_ALIAS = 'emu';

export function expectSfSuccess(result: SfResult): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.json?.status).toBe(0);
}

export interface SfCliOrg {
  org: TestOrg;
  sf: SfCli;
  /** The `org login access-token` result, for files that assert on what sf stored. */
  login: SfResult;
  /** Runs `sf <command…> --target-org emu <flags…>`. */
  runOnOrg(command: string[], flags?: string[]): Promise<SfResult>;
}

/**
 * Starts a demo-seeded emulator and logs a fresh `sf` in to it before the file's tests, and stops
 * both after them. The returned object is filled in by the `beforeAll`; read it inside tests.
 */
export function useSfCliOrg(): SfCliOrg {
  const session = {
    runOnOrg: (command: string[], flags: string[] = []) =>
      session.sf.run([...command, '--target-org', SF_ALIAS, ...flags]),
  } as SfCliOrg;

  beforeAll(async () => {
    session.org = await startTestOrg({ seed: 'demo' });
    session.sf = new SfCli();
    // The instance URL as a user types it; sf stores it with a trailing slash (→ `//services/…`).
    session.login = await session.sf.run(
      ['org', 'login', 'access-token', '--instance-url', session.org.url, '--no-prompt', '--alias', SF_ALIAS],
      { SF_ACCESS_TOKEN: session.org.token },
    );
    expectSfSuccess(session.login);
  }, SF_TIMEOUT);

  afterAll(async () => {
    session.sf?.dispose();
    await session.org?.emulator.stop();
  });

  return session;
}
