/**
 * `npm test`'s static checks — both type-checks, Biome and dependency-cruiser — `atOnce` at a time,
 * each one's output kept in one piece (`scripts/test.ts` runs them beside the test run). Run alone
 * (`node scripts/checks.ts`) it prints each check as it ends and exits non-zero when any failed,
 * after all have run.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHECKS: Array<{ name: string; command: string[] }> = [
  { name: 'typecheck (service)', command: ['tsc', '--noEmit'] },
  { name: 'typecheck (web)', command: ['tsc', '--noEmit', '-p', 'web'] },
  { name: 'biome', command: ['biome', 'check', '.'] },
  {
    name: 'dependency-cruiser',
    command: ['depcruise', '--config', '.dependency-cruiser.cjs', 'src', 'emulator', 'bin'],
  },
];

export interface CheckResult {
  name: string;
  ok: boolean;
  seconds: number;
  /** What the check printed (stdout and stderr), or why it could not start. */
  output: string;
}

/** One line per check, with the failing checks' output after their line. */
export function formatCheck(result: CheckResult): string {
  return `${result.ok ? '✓' : '✗'} ${result.name} (${result.seconds.toFixed(1)} s)\n${result.ok ? '' : result.output}`;
}

function run(check: (typeof CHECKS)[number]): Promise<CheckResult> {
  const started = performance.now();
  const [program, ...args] = check.command;
  const child = spawn(`node_modules/.bin/${program}`, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const finish = (ok: boolean, text: string): CheckResult => ({
    name: check.name,
    ok,
    seconds: (performance.now() - started) / 1000,
    output: text,
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(finish(false, `${error.message}\n`)));
    child.on('close', (code) => resolve(finish(code === 0, output)));
  });
}

/** Runs every check, `atOnce` at a time; `onResult` hears of each as it ends. */
export async function runChecks(
  atOnce: number,
  onResult: (result: CheckResult) => void = () => {},
): Promise<CheckResult[]> {
  const queue = [...CHECKS];
  const results: CheckResult[] = [];
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      for (let check = queue.shift(); check; check = queue.shift()) {
        const result = await run(check);
        results.push(result);
        onResult(result);
      }
    }),
  );
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runChecks(2, (result) => process.stdout.write(formatCheck(result)));
  if (results.some((result) => !result.ok)) process.exit(1);
}
