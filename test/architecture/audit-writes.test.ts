import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT as root, sourceFiles } from '../support/source-files.ts';

/**
 * Surfaces declare what a request audits (`audited('…')` / `noAudit('why')` on each route); the
 * services write the rows, so the same change audits the same way whichever surface made it
 * (API, web app, CLI, MCP). A surface that writes an audit row itself is listed here with why.
 */
const SURFACES = ['src/http', 'src/cli', 'src/mcp'];
const WRITES = /\bauditSuccess\(|\.audit\.record\(|new AuditLog\([^)]*\)\.record\(/g;
const SURFACE_WRITES_ALLOWED: Record<string, string> = {
  'src/cli/keys.ts':
    'key rotation is an operator command with no service behind it: the CLI is its only surface',
};

describe('audit writes', () => {
  it('happen in services, not in routes, CLI commands or the MCP server', () => {
    const offenders = SURFACES.flatMap(sourceFiles)
      .filter((file) => !(file in SURFACE_WRITES_ALLOWED))
      .flatMap((file) => {
        const text = readFileSync(path.join(root, file), 'utf8');
        return [...text.matchAll(WRITES)].map((match) => {
          const line = text.slice(0, match.index).split('\n').length;
          return `${file}:${line} ${match[0]}`;
        });
      });
    expect(offenders).toEqual([]);
  });

  it('lists only exceptions that still write audit rows', () => {
    for (const file of Object.keys(SURFACE_WRITES_ALLOWED)) {
      expect(readFileSync(path.join(root, file), 'utf8'), file).toMatch(WRITES);
    }
  });
});
