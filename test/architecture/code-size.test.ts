import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT as root, sourceFiles } from '../support/source-files.ts';

/**
 * Small modules with one job: no file in src/ over MAX_FILE_LINES (declarative catalogs excepted,
 * listed here with the reason) and no function over MAX_FUNCTION_LINES.
 */
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
const CATALOGS: Record<string, string> = {};
/** Functions that are data, not logic: a long one reads as a table. */
const DECLARATIVE_FUNCTIONS: { file: RegExp; reason: string }[] = [
  {
    file: /^src\/store\/migrations\//,
    reason: 'a migration is the schema written out, one statement a table',
  },
  { file: /^src\/meetings\/demo-meetings\.ts$/, reason: 'the demo meetings are sample data' },
];

/** Every function-like node with its name and line count. */
function functionLengths(file: string): { name: string; lines: number }[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = (node as { name?: ts.Node }).name;
      const name = named ? named.getText(source) : `(anonymous at line ${start + 1})`;
      found.push({ name: `${file}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles('src');

describe('code size', () => {
  it(`keeps every file in src/ at ${MAX_FILE_LINES} lines or fewer`, () => {
    const large = files
      .filter((file) => !(file in CATALOGS))
      .map((file) => ({ file, lines: readFileSync(path.join(root, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES);
    expect(files.length).toBeGreaterThan(50);
    expect(large).toEqual([]);
  });

  it(`keeps every function in src/ at ${MAX_FUNCTION_LINES} lines or fewer`, () => {
    const long = files
      .filter((file) => !DECLARATIVE_FUNCTIONS.some((exempt) => exempt.file.test(file)))
      .flatMap(functionLengths)
      .filter(({ lines }) => lines > MAX_FUNCTION_LINES);
    expect(long).toEqual([]);
  });
});
