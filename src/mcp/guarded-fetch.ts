import { type LookupAddress, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A fetch for URLs that someone outside chose (an OAuth client's metadata document URL): it
 * refuses to reach this machine or the private network behind it (SSRF). The address check runs in
 * the connection's own DNS lookup, so the address checked is the address connected to (a name
 * that resolves to a public address for the check and a private one for the connection — DNS
 * rebinding — cannot slip through). IP literals are checked before any connection.
 */
export type GuardedFetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

/** Addresses no outside-chosen URL may reach: loopback, private, link-local, CGNAT, multicast, reserved. */
const PRIVATE_ADDRESSES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE_ADDRESSES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped and NAT64 addresses reach IPv4 hosts: refused whole rather than decoded.
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE_ADDRESSES.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is one an outside-chosen URL may reach. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !PRIVATE_ADDRESSES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class BlockedAddressError extends Error {
  constructor(host: string) {
    super(`${host} is a private, loopback or reserved address; it may not be fetched.`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export function createGuardedFetch(options: {
  /** Test/dev only: allow loopback and private addresses (a local metadata server). */
  allowPrivateHosts: boolean;
  /** Extra trusted CA certificates (PEM), added to Node's own roots. */
  extraCa?: string;
  timeoutMs: number;
}): GuardedFetch {
  const guardedLookup = (
    hostname: string,
    lookupOptions: { all?: boolean; family?: number },
    callback: LookupCallback,
  ) => {
    lookup(hostname, { all: true, family: lookupOptions.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find(
        (candidate) => !options.allowPrivateHosts && !isPublicAddress(candidate.address),
      );
      if (refused || addresses.length === 0)
        return callback(Object.assign(new BlockedAddressError(hostname), { code: 'EBLOCKED' }), []);
      if (lookupOptions.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const dispatcher = new Agent({
    connect: {
      lookup: guardedLookup as never,
      timeout: options.timeoutMs,
      ...(options.extraCa ? { ca: [...rootCertificates, options.extraCa] } : {}),
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: 4,
  });
  return async (url, init) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !options.allowPrivateHosts && !isPublicAddress(host))
      throw new BlockedAddressError(host);
    return (await undiciFetch(url, {
      dispatcher,
      signal: init.signal,
      redirect: 'manual',
      headers: { accept: 'application/json' },
    })) as unknown as Response;
  };
}
