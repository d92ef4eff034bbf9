import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:https';
import path from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  generateSelfSignedCertificate,
  startEmulator,
} from '../../emulator/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function httpsGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The SHA-256 fingerprint of the certificate a TLS server presents. */
async function presentedFingerprint(host: string, port: number): Promise<string> {
  const socket = connect({ host, port, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  socket.destroy();
  return fingerprint;
}

describe('HTTPS', () => {
  it('serves https with a given certificate, trusted by a client that has it as CA, refused by others', async () => {
    const tls = await generateSelfSignedCertificate('127.0.0.1');
    const emulator = await startEmulator({ port: 0, seed: 'none', tls });
    try {
      expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const trusted = await httpsGet(`${emulator.url}/services/data`, tls.cert);
      expect(trusted.status).toBe(200);
      expect(JSON.parse(trusted.body)).toEqual(
        expect.arrayContaining([expect.objectContaining({ version: '66.0' })]),
      );
      await expect(httpsGet(`${emulator.url}/services/data`)).rejects.toThrow(/self[- ]signed/i);
      // OAuth answers carry the https instance URL.
      const discovery = JSON.parse(
        (await httpsGet(`${emulator.url}/.well-known/openid-configuration`, tls.cert)).body,
      );
      expect(discovery.token_endpoint).toBe(`${emulator.url}/services/oauth2/token`);
    } finally {
      await emulator.stop();
    }
  });

  it('forcefield emulator --tls generates a certificate and prints the fingerprint it serves', async () => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/forcefield.ts'), 'emulator', '--port', '0', '--seed', 'none', '--tls'],
      { cwd: root },
    );
    children.push(child);
    let output = '';
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Press Ctrl+C')) resolve(output);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const url = /running at (https:\/\/127\.0\.0\.1:(\d+))/.exec(banner);
    const printed = /TLS certificate SHA-256 fingerprint: ([0-9A-F:]{95})/.exec(banner);
    expect(url).not.toBeNull();
    expect(printed).not.toBeNull();
    expect(await presentedFingerprint('127.0.0.1', Number(url![2]))).toBe(printed![1]);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('computes the fingerprint of a PEM certificate as openssl prints it', async () => {
    const tls = await generateSelfSignedCertificate('localhost');
    expect(certificateFingerprint(tls.cert)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});
