import { isIP } from 'node:net';

/** Whether a URL's host is this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/**
 * Whether the service may keep a connection to the instance URL Salesforce answered with. Real
 * orgs are https. Plain http is accepted only for an emulator on this machine (demo mode, or a
 * staging deployment whose login host is a loopback address): then both the login host and the
 * instance are loopback, and tokens never cross a network in clear text.
 */
export function acceptsInstanceUrl({
  loginHost,
  instanceUrl,
  embedded,
}: {
  loginHost: string;
  instanceUrl: string;
  embedded: boolean;
}): boolean {
  const instance = new URL(instanceUrl);
  if (instance.protocol === 'https:') return true;
  if (instance.protocol !== 'http:') return false;
  if (embedded) return true;
  return isLoopbackUrl(new URL(loginHost)) && isLoopbackUrl(instance);
}
