/**
 * `npm test`: the test run (`vitest run`, with any arguments given to `npm test -- …`) and, beside
 * it, the static checks (`scripts/checks.ts`), one at a time. The first test files run in process
 * and leave about half of the machine's two cores idle while they wait on their databases; the
 * checks fill that (about 16 s cold when they ran before the tests instead). Their results are
 * printed after the test run's summary; the exit code is non-zero when the tests or any check failed.
 */
import { spawn } from 'node:child_process';
import { type CheckResult, formatCheck, runChecks } from './checks.ts';

const vitest = spawn('node_modules/.bin/vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit' });
const tests = new Promise<number>((resolve) => {
  vitest.on('error', (error) => {
    process.stderr.write(`Could not start vitest: ${error.message}\n`);
    resolve(1);
  });
  vitest.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});
// Ctrl-C reaches the whole process group; a SIGTERM to this process alone is passed on.
process.on('SIGTERM', () => vitest.kill('SIGTERM'));

const [checks, testsCode] = await Promise.all([runChecks(1), tests]);
process.stdout.write(`\nStatic checks (run beside the tests)\n${checks.map(formatCheck).join('')}`);
const failed: CheckResult[] = checks.filter((check) => !check.ok);
if (failed.length > 0) process.stdout.write(`${failed.length} static check(s) failed.\n`);
process.exit(testsCode !== 0 || failed.length > 0 ? 1 : 0);
