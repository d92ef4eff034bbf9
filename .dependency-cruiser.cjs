/**
 * The import rules of the codebase (run by `npm run lint`, so `npm test` fails on a violation).
 * Layers point one way: surfaces → features → platform. See docs/architecture.md.
 */
// The composition root (main.ts, services.ts) sits with the surfaces: it builds everything once.
const SURFACES = '^src/(http|web|cli|mcp)/|^src/(main|services)\\.ts$';
const FEATURES = '^src/(accounts|connections|meetings|agent)/';
const PLATFORM = '^src/(salesforce|store|audit|vault|core|platform)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'features-not-to-surfaces',
      severity: 'error',
      comment: 'Services never know HTTP, the web app, the CLI or MCP.',
      from: { path: FEATURES },
      to: { path: SURFACES },
    },
    {
      name: 'platform-not-up',
      severity: 'error',
      comment: 'The platform (salesforce, store, audit, vault, core) knows no feature and no surface.',
      from: { path: PLATFORM },
      to: { path: `${SURFACES}|${FEATURES}` },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment: 'core/ imports nothing else of src/.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-http-below-surfaces',
      severity: 'error',
      comment: 'Only surfaces speak HTTP (Hono).',
      from: { path: `${FEATURES}|${PLATFORM}` },
      to: { path: 'node_modules/(hono|@hono)/' },
    },
    {
      name: 'src-never-imports-emulator',
      severity: 'error',
      comment: 'The service reaches the emulator only over HTTP.',
      from: { path: '^src/' },
      to: { path: '^emulator/' },
    },
    {
      name: 'emulator-never-imports-src',
      severity: 'error',
      comment: 'The emulator is Salesforce: it knows nothing of Forcefield.',
      from: { path: '^emulator/' },
      to: { path: '^(src|bin)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web)/' },
  },
};
