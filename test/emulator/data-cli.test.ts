import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOrgDataFile } from '../../emulator/data/org-data-file.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';
import { passwordGrant } from '../support/emulator.ts';
import { handWrittenOrg } from '../support/org-data.ts';
import { emulatorReady } from '../support/process-output.ts';

/**
 * The emulator CLI's --data and --save as an operator runs them: a child process (the processes
 * project). The org data itself is tested in process, in data.test.ts.
 */

const root = path.resolve(import.meta.dirname, '../..');
const VERSION = 'v66.0';
let child: ChildProcess | undefined;
let directory: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (directory) await rm(directory, { recursive: true, force: true });
  child = undefined;
  directory = undefined;
});

describe('saving to the data file from the CLI', () => {
  it('the CLI loads --data and writes it back with --save on SIGTERM', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'forcefield-data-'));
    const file = path.join(directory, 'cli-org.json');
    await writeFile(file, JSON.stringify(handWrittenOrg()));
    child = spawn(
      process.execPath,
      [path.join(root, 'bin/forcefield.ts'), 'emulator', '--port', '0', '--data', file, '--save'],
      { cwd: root },
    );
    const stopped = once(child, 'exit') as Promise<[number | null]>;
    const { url, output } = await emulatorReady(child);
    expect(output).toContain(`org data file ${file}`);
    const login = await passwordGrant(url, 'erin@globex.test', 'pw-erin');
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const response = await fetch(`${url}/services/data/${VERSION}/sobjects/Lead`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ LastName: 'Persisted', Company: 'Saved Co' }),
    });
    const leadId = ((await response.json()) as { id: string }).id;
    child.kill('SIGTERM');
    const [code] = await stopped;
    expect(code).toBe(0);
    const saved = await readOrgDataFile(file);
    expect((saved.records.Lead as StoredRecord[]).find((record) => record.Id === leadId)).toMatchObject({
      Company: 'Saved Co',
    });
    expect(await readdir(directory)).toEqual(['cli-org.json']);
  });
});
