import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { LONG_FILES_FIRST } from './test-groups.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** What the order needs of a file to run: its path and its project. */
export interface SequencedFile {
  moduleId: string;
  project: { name: string };
}

/**
 * `sorted` (vitest's order) with the files of `longFirst` (absolute paths) moved ahead of the rest of
 * their project, in the listed order; projects keep their places and other files their order.
 */
export function longFilesFirst<File extends SequencedFile>(sorted: File[], longFirst: string[]): File[] {
  const rank = new Map(longFirst.map((file, index) => [file, index]));
  const position = new Map(sorted.map((file, index) => [file, index]));
  const projectStart = new Map<string, number>();
  sorted.forEach((file, index) => {
    if (!projectStart.has(file.project.name)) projectStart.set(file.project.name, index);
  });
  return sorted.toSorted((a, b) => {
    if (a.project.name !== b.project.name) {
      return (projectStart.get(a.project.name) ?? 0) - (projectStart.get(b.project.name) ?? 0);
    }
    const rankA = rank.get(a.moduleId) ?? Number.POSITIVE_INFINITY;
    const rankB = rank.get(b.moduleId) ?? Number.POSITIVE_INFINITY;
    if (rankA !== rankB) return rankA - rankB;
    return (position.get(a) ?? 0) - (position.get(b) ?? 0);
  });
}

/**
 * Vitest's order (projects by `groupOrder`; within one, failed and longest first once timed), with
 * LONG_FILES_FIRST moved ahead of the rest of their project, timed or not.
 */
export class LongFilesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return longFilesFirst(
      await super.sort(files),
      LONG_FILES_FIRST.map((file) => path.join(root, file)),
    );
  }
}
