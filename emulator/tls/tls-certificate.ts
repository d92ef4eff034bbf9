import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** A server certificate and its private key, both PEM. */
export interface TlsCertificate {
  cert: string;
  key: string;
}

/**
 * A fresh self-signed certificate for the emulator's host (plus localhost and 127.0.0.1), valid
 * for a year. Clients that insist on https trust it by its fingerprint or as an extra CA file.
 */
export async function generateSelfSignedCertificate(host: string): Promise<TlsCertificate> {
  const names = new Set([host, 'localhost', '127.0.0.1']);
  const altNames = [...names].map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  );
  // Loaded on demand: the X.509 library is large, and most emulator starts never need it.
  const { generate } = await import('selfsigned');
  const notAfterDate = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: host }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** The certificate's SHA-256 fingerprint, colon-separated hex as browsers and openssl print it. */
export function certificateFingerprint(cert: string): string {
  return new X509Certificate(cert).fingerprint256;
}
