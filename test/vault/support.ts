import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** A temp directory removed after the current test (registers its own afterEach). */
export function temporaryDirectories(): () => string {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'forcefield-vault-'));
    directories.push(directory);
    return directory;
  };
}
