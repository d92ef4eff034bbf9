import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository's root folder. */
export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '../..');

/** Every .ts/.tsx file below `directory` (relative to the repository root), as relative paths. */
export function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(REPOSITORY_ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}
