import type { ChildProcess } from 'node:child_process';

/** What a finished child process printed, and how it ended. */
export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Gathers a child's stdout and stderr until it closes. With `input`, writes it to stdin and ends
 * stdin, so a command that reads a prompt's answer gets it (or an end of file) and never waits.
 */
export function collectOutput(
  child: ChildProcess,
  { input }: { input?: string } = {},
): Promise<ProcessOutput> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<ProcessOutput>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code: number | null) => resolve({ code, stdout, stderr }));
  });
  if (input !== undefined) child.stdin?.end(input);
  return closed;
}

/**
 * Resolves with the URL an `forcefield emulator` child prints once it is ready to serve, and
 * everything it printed until then; rejects if it exits first.
 */
export function emulatorReady(child: ChildProcess): Promise<{ url: string; output: string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match && output.includes('Press Ctrl+C')) resolve({ url: match[1], output });
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
}
