import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { ServiceSession } from '../../support/connections.ts';
import { authorizeWithBrowser } from '../../support/oauth-browser.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** A `forcefield start` child process, listening. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * This process's environment without anything that configures the service (database, keys,
 * Salesforce, agent and send settings), for children that get exactly the settings a test gives.
 */
export function neutralEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([variable, value]) =>
        value !== undefined &&
        !/^(DATABASE_URL|PG|FORCEFIELD_|DATA_DIR|SALESFORCE_|OPENAI|AGENT_|MEETING_)/.test(variable),
    ),
  ) as Record<string, string>;
}

/**
 * Starts `forcefield start` with `environment` in `cwd`; answers once it listens. Everything it
 * prints goes to `output`, prefixed with `name` (for the message of a failing test).
 */
export function startServiceProcess(options: {
  name: string;
  cwd: string;
  environment: Record<string, string>;
  output: string[];
  children: ChildProcess[];
}): Promise<ServiceProcess> {
  const { name, output } = options;
  const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'start'], {
    cwd: options.cwd,
    env: options.environment,
  });
  options.children.push(child);
  let printed = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      printed += chunk;
      output.push(`[${name}] ${chunk}`);
      const match = /Forcefield is running at (\S+)/.exec(printed);
      if (match) resolve({ name, child, url: match[1], exited });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    exited.then((code) => reject(new Error(`${name} exited (${code}) before it listened:\n${printed}`)));
  });
}

/** Kills every child still running and waits for them to exit. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}

/**
 * Connects `username`'s Salesforce login as the session user's personal connection, through the
 * session's instance and the emulator at `emulatorUrl`; answers the connection id.
 */
export async function connectPersonal(
  session: ServiceSession,
  emulatorUrl: string,
  username = 'alice@acme.demo',
): Promise<string> {
  const started = await session.call('POST', '/api/connections/oauth/start', {
    kind: 'personal',
    loginHost: 'production',
  });
  if (started.status !== 200) throw new Error(`start: ${JSON.stringify(started.body)}`);
  const outcome = await authorizeWithBrowser(emulatorUrl, started.body.authorizationUrl, { username });
  if (!outcome.callback) throw new Error(`no callback: ${outcome.response.status}`);
  const finished = await session.call('GET', outcome.callback.toString());
  if (finished.status !== 201 && finished.status !== 200) {
    throw new Error(`callback: ${finished.status} ${JSON.stringify(finished.body)}`);
  }
  return finished.body.connection.id;
}
