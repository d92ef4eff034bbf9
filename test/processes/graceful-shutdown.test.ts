/**
 * SIGTERM on a `forcefield start` child process: readiness goes false and answers say
 * `Connection: close`; a request under way finishes; a second signal ends the readiness delay; a
 * drain deadline cuts off a request that never ends. Every step waits for an explicit signal (a
 * log line, an answer, the exit): no sleeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRawAnswer, RawConnection } from '../support/raw-http.ts';

const root = path.resolve(import.meta.dirname, '../..');

interface Child {
  process: ChildProcess;
  url: string;
  /** Resolves when the child's output contains `text`. */
  printed(text: string): Promise<void>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const directories: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function startChild(environment: Record<string, string>): Promise<Child> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-drain-'));
  directories.push(dataDir);
  const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'start'], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // A connected app that is never called: no emulator, nothing but the service.
      SALESFORCE_CLIENT_ID: 'drain-test',
      SALESFORCE_CLIENT_SECRET: 'drain-test-secret',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      ...environment,
    },
  });
  children.push(child);
  let output = '';
  const listeners: Array<() => void> = [];
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(text)) resolve();
      };
      listeners.push(check);
      exited.then(() => reject(new Error(`exited before printing "${text}":\n${output}`)));
      check();
    });
  await printed('Press Ctrl+C to stop.');
  const url = /Forcefield is running at (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`no URL in:\n${output}`);
  return { process: child, url, printed, exited };
}

/** GET over a fresh connection, with the raw headers (fetch hides Connection). */
function get(url: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent: false, headers: { Connection: 'keep-alive' } }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => {
        body += chunk;
      });
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, connection: incoming.headers.connection, body }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Starts a login whose body is only half sent: a request under way until the rest arrives. */
async function requestUnderWay(url: string): Promise<{ connection: RawConnection; rest: string }> {
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' });
  const connection = await RawConnection.open(url);
  await connection.write(
    'POST /api/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
  );
  // The server parsed the headers and is waiting for the body: the request is under way.
  await connection.until('100 Continue');
  await connection.write(body.slice(0, 10));
  return { connection, rest: body.slice(10) };
}

describe('graceful shutdown', () => {
  it('goes unready on SIGTERM, keeps serving with Connection: close, and lets a request under way finish', {
    timeout: 90_000,
  }, async () => {
    const child = await startChild({
      SHUTDOWN_READINESS_DELAY_MS: '600000',
      SHUTDOWN_DRAIN_TIMEOUT_MS: '600000',
    });
    const ready = await get(`${child.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.connection).toBe('keep-alive');
    const underWay = await requestUnderWay(child.url);

    child.process.kill('SIGTERM');
    await child.printed('draining: readiness is now false');
    const draining = await get(`${child.url}/readyz`);
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body).status).toBe('draining');
    expect(draining.connection).toBe('close');
    const health = await get(`${child.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.connection).toBe('close');

    // A second signal ends the readiness delay: no new connections; the request under way goes on.
    child.process.kill('SIGTERM');
    await child.printed('draining: stopped accepting connections');
    await expect(get(`${child.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    await underWay.connection.write(underWay.rest);
    const { received, error } = await underWay.connection.closed;
    expect(error).toBeUndefined();
    const answer = parseRawAnswer(received.slice(received.indexOf('HTTP/1.1 4')));
    expect(answer?.status).toBe(401);
    expect(answer?.headers.connection).toBe('close');
    expect(await child.exited).toBe(0);
  });

  it('cuts off a request that outlives the drain deadline, then exits', { timeout: 90_000 }, async () => {
    const child = await startChild({ SHUTDOWN_DRAIN_TIMEOUT_MS: '100' });
    const underWay = await requestUnderWay(child.url);
    child.process.kill('SIGTERM');
    await child.printed('draining: deadline reached');
    const { received } = await underWay.connection.closed;
    // The request never got its body, so it never got an answer: the deadline closed it.
    expect(received).not.toContain('HTTP/1.1 401');
    expect(await child.exited).toBe(0);
  });
});
