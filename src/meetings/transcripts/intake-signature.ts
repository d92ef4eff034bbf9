import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed delivery may be; older ones (and ones from the future) are refused. */
export const INTAKE_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` with the workspace's secret. */
export function signIntake(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type IntakeVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a delivery's signature and age (a pure function: the replay check needs the store). */
export function verifyIntakeSignature(options: {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  body: string;
  nowSeconds: number;
}): IntakeVerdict {
  const { timestampHeader, signatureHeader } = options;
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: 'Send the Unix time of signing in the Forcefield-Timestamp header.' };
  }
  const timestamp = Number(timestampHeader);
  if (Math.abs(options.nowSeconds - timestamp) > INTAKE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `The timestamp is more than ${INTAKE_TOLERANCE_SECONDS} seconds from now.` };
  }
  const expected = Buffer.from(signIntake(options.secret, timestamp, options.body));
  // Several signatures may be sent while a secret is rotated: any one valid is enough.
  const presented = (signatureHeader ?? '').split(',').map((part) => Buffer.from(part.trim()));
  const valid = presented.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
  );
  return valid ? { ok: true } : { ok: false, reason: 'The Forcefield-Signature does not match the body.' };
}
