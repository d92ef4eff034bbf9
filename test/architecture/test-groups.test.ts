import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longFilesFirst } from '../support/sequencer.ts';
import { LONG_FILES_FIRST, PROCESS_MARKERS, PROCESS_TEST_FILES } from '../support/test-groups.ts';

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

describe('test groups', () => {
  it('runs every file that starts a process or a browser in the processes group', () => {
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

  it('starts only files that exist first', () => {
    const files = testFiles('test');
    expect(LONG_FILES_FIRST.filter((file) => !files.includes(file))).toEqual([]);
  });
});

describe('the order files start in', () => {
  const file = (moduleId: string, project: string) => ({ moduleId, project: { name: project } });

  it('moves the long files ahead in their own project, in the listed order, and keeps the rest as vitest sorted them', () => {
    const sorted = [
      file('a', 'in-process'),
      file('long-2', 'in-process'),
      file('b', 'in-process'),
      file('c', 'processes'),
      file('long-3', 'processes'),
      file('d', 'processes'),
      file('long-1', 'processes'),
    ];
    expect(longFilesFirst(sorted, ['long-1', 'long-2', 'long-3']).map((entry) => entry.moduleId)).toEqual([
      'long-2',
      'a',
      'b',
      'long-1',
      'long-3',
      'c',
      'd',
    ]);
  });

  it('leaves vitest’s order alone when no long file is in the run', () => {
    const sorted = [file('b', 'in-process'), file('a', 'in-process'), file('c', 'processes')];
    expect(longFilesFirst(sorted, ['long-1'])).toEqual(sorted);
  });
});
