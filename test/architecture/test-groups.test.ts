import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESS_MARKERS, PROCESS_TEST_FILES } from '../support/test-groups.ts';

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

describe('test groups', () => {
  it('runs every file that starts a process or a browser in the one-at-a-time group', () => {
    const misplaced = testFiles('test').filter(
      (file) =>
        PROCESS_MARKERS.some((marker) => marker.test(readFileSync(file, 'utf8'))) &&
        !PROCESS_TEST_FILES.some((pattern) => path.matchesGlob(file, pattern)),
    );
    expect(misplaced).toEqual([]);
  });

  it('names only patterns that match a file', () => {
    const files = testFiles('test');
    const unused = PROCESS_TEST_FILES.filter(
      (pattern) =>
        pattern !== 'test/processes/**/*.test.ts' && !files.some((file) => path.matchesGlob(file, pattern)),
    );
    expect(unused).toEqual([]);
  });
});
