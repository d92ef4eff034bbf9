import pino, { type Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log line: tokens, secrets,
 * passwords, cookies and authorization headers never reach the logs.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'code',
  '*.code',
  'code_verifier',
  '*.code_verifier',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'headers["set-cookie"]',
];

export type { Logger };

/**
 * Keys redacted at any depth (pino's paths reach one level of nesting only): a token answer logged
 * inside an error's response body, three levels down, must not reach the logs either. `code` is
 * not among them: deeper down it is an error code far more often than an authorization code.
 */
const SECRET_KEYS = new Set(
  [
    'password',
    'token',
    'accessToken',
    'refreshToken',
    'access_token',
    'refresh_token',
    'id_token',
    'clientSecret',
    'client_secret',
    'secret',
    'apiKey',
    'code_verifier',
    'authorization',
    'cookie',
    'set-cookie',
  ].map((key) => key.toLowerCase()),
);
const MAX_REDACTION_DEPTH = 12;

/** The value with every secret key replaced, copying only what changes (pino handles cycles itself). */
export function redactSecretsDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_REDACTION_DEPTH || seen.has(value))
    return value;
  seen.add(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSecretsDeep(item, seen, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = SECRET_KEYS.has(key.toLowerCase()) ? '[redacted]' : redactSecretsDeep(item, seen, depth + 1);
    if (next !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'forcefield' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => redactSecretsDeep(object) as Record<string, unknown> },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
