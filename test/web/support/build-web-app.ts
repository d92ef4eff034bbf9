import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: the browser tests run against the built SPA (dist/web), as `npm start`
 * serves it. `npm ci` builds it (prepare); this rebuilds it once per run, before any worker
 * starts, when it is missing or older than its sources, so an edit in web/ is never tested stale.
 */
const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BUILT_INDEX = path.join(ROOT, 'dist/web/index.html');

function newestModification(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry))
    newest = Math.max(newest, newestModification(path.join(entry, child)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(BUILT_INDEX)) return true;
  const sources = [path.join(ROOT, 'web'), path.join(ROOT, 'vite.config.ts')].filter((entry) =>
    existsSync(entry),
  );
  return sources.some((entry) => newestModification(entry) > statSync(BUILT_INDEX).mtimeMs);
}

export default async function buildWebApp(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'web/index.html')) || !webBuildIsStale()) return;
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build (≈ 60 KB
  // more gzip): the tests and `npm run bench -- web` must see what `npm ci` builds.
  const nodeEnvironment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      root: path.join(ROOT, 'web'),
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnvironment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnvironment;
  }
}
