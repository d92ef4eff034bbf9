import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { LONG_FILES_FIRST } from './test-groups.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rank = new Map(LONG_FILES_FIRST.map((file, index) => [path.join(root, file), index]));

/**
 * Vitest's order (projects by `groupOrder`; within one, failed and longest first once timed), with
 * LONG_FILES_FIRST moved ahead of the rest of their project in the listed order, timed or not.
 */
export class LongFilesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((spec, index) => [spec, index]));
    return sorted.toSorted((a, b) => {
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (group !== 0 || a.project.name !== b.project.name) return position.get(a)! - position.get(b)!;
      const rankA = rank.get(a.moduleId) ?? Number.POSITIVE_INFINITY;
      const rankB = rank.get(b.moduleId) ?? Number.POSITIVE_INFINITY;
      if (rankA !== rankB) return rankA - rankB;
      return position.get(a)! - position.get(b)!;
    });
  }
}
