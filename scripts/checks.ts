/**
 * `npm test`'s static checks — both type-checks, Biome and dependency-cruiser — two at a time (the
 * machine has two cores; the service's type-check is the long one), each one's output printed in
 * one piece when it ends. Exits non-zero when any check fails, after all have run.
 */
import { spawn } from 'node:child_process';

const CHECKS: Array<{ name: string; command: string[] }> = [
  { name: 'typecheck (service)', command: ['tsc', '--noEmit'] },
  { name: 'typecheck (web)', command: ['tsc', '--noEmit', '-p', 'web'] },
  { name: 'biome', command: ['biome', 'check', '.'] },
  {
    name: 'dependency-cruiser',
    command: ['depcruise', '--config', '.dependency-cruiser.cjs', 'src', 'emulator', 'bin'],
  },
];
const AT_ONCE = 2;

function run(check: (typeof CHECKS)[number]): Promise<boolean> {
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
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stdout.write(`✗ ${check.name}: ${error.message}\n`);
      resolve(false);
    });
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      process.stdout.write(`${ok ? '✓' : '✗'} ${check.name} (${seconds} s)\n${ok ? '' : output}`);
      resolve(ok);
    });
  });
}

const queue = [...CHECKS];
const results: boolean[] = [];
await Promise.all(
  Array.from({ length: AT_ONCE }, async () => {
    for (let check = queue.shift(); check; check = queue.shift()) results.push(await run(check));
  }),
);
if (results.some((ok) => !ok)) process.exit(1);
