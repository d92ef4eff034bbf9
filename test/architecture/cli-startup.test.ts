/**
 * `forcefield --help`, `users`, `meetings` and `keys` start without compiling the service: the
 * command list and the CLI's IO import nothing that reaches `src/main.ts` (the service, the agent,
 * the AI SDK) until a command that needs it runs (`await import(…)`). Statically, from the sources:
 * a cold start that compiled everything took 1.5 s instead of 0.5 s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Relative modules a file imports at load time (`import … from`, not `import type`, not `import()`). */
function staticImports(file: string): string[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(\.[^']+)';/gms)) {
    found.push(path.relative(root, path.resolve(path.dirname(path.join(root, file)), match[1])));
  }
  for (const match of source.matchAll(/^export\s+(?!type\s)[^;]*?from\s+'(\.[^']+)';/gms)) {
    found.push(path.relative(root, path.resolve(path.dirname(path.join(root, file)), match[1])));
  }
  return found;
}

/** Every module `entry` loads before any command runs. */
function loadedAtStart(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(file));
  }
  return seen;
}

describe('the forcefield command starts light', () => {
  it('reads a file’s load-time imports, and not its type-only or dynamic ones', () => {
    const imports = staticImports('src/main.ts');
    expect(imports).toContain('src/store/configured-store.ts');
    expect(imports).toContain('src/agent/turns/agent-runtime.ts');
    expect(staticImports('src/cli/commands.ts')).not.toContain('src/cli/users.ts');
  });

  it('loads neither the service nor the agent before a command that needs them runs', () => {
    const loaded = [...loadedAtStart('bin/forcefield.ts')];
    expect(loaded).toContain('src/cli/cli-io.ts');
    expect(loaded).toContain('src/store/configured-store.ts');
    expect(loaded.filter((file) => file === 'src/main.ts' || file.startsWith('src/agent/'))).toEqual([]);
    expect(
      loaded.filter((file) => file.startsWith('src/http/') || file.startsWith('emulator/rest/')),
    ).toEqual([]);
  });
});
