import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSelfSignedCertificate, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { SfCli } from '../support/sf-cli.ts';

const SF_TIMEOUT = 90_000;

let emulator: RunningEmulator;
let sf: SfCli;
let environment: Record<string, string>;

beforeAll(async () => {
  const tls = await generateSelfSignedCertificate('127.0.0.1');
  emulator = await startEmulator({ port: 0, seed: 'demo', tls });
  sf = new SfCli();
  const caFile = path.join(sf.home, 'emulator-ca.pem');
  writeFileSync(caFile, tls.cert);
  const token = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
    'api',
  ]).token;
  // The child trusts the emulator's certificate as an extra CA; nothing else is relaxed.
  environment = { SF_ACCESS_TOKEN: token, NODE_EXTRA_CA_CERTS: caFile };
});

afterAll(async () => {
  sf?.dispose();
  await emulator?.stop();
});

describe('the Salesforce CLI over HTTPS (--tls)', () => {
  it(
    'logs in with an https instance URL and queries',
    async () => {
      const login = await sf.run(
        ['org', 'login', 'access-token', '--instance-url', emulator.url, '--no-prompt', '--alias', 'emu'],
        environment,
      );
      expect(login.code, login.stdout + login.stderr).toBe(0);
      expect(login.json.result.instanceUrl).toBe(`${emulator.url}/`);
      expect(login.json.warnings.join(' ')).not.toContain('insecure protocol');

      const count = await sf.run(
        ['data', 'query', '--target-org', 'emu', '--query', 'SELECT COUNT() FROM Account'],
        environment,
      );
      expect(count.code, count.stdout + count.stderr).toBe(0);
      const expected = emulator.org.store.table('Account').records.size;
      expect(count.json.result.totalSize).toBe(expected);
    },
    SF_TIMEOUT,
  );
});
