import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.ts';

/** Secrets are redacted at any depth of a log line, as written to the sink (not by logging less). */
function sinkLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

const ACCESS =
  '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nQ';
const REFRESH = '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrMZNr0vzEF0mQ8yUS4HhsIJ5sO0W7LdChfqXbVh7n83nSD4X';

describe('log redaction', () => {
  it.each([
    ['top level', { access_token: ACCESS, refresh_token: REFRESH }],
    ['one level down', { body: { access_token: ACCESS, refresh_token: REFRESH } }],
    [
      'three levels down',
      { response: { data: { tokens: { access_token: ACCESS, refresh_token: REFRESH } } } },
    ],
    [
      'in an array',
      { attempts: [{ answer: { access_token: ACCESS } }, { answer: { refresh_token: REFRESH } }] },
    ],
    ['camel case, deep', { connection: { session: { accessToken: ACCESS, refreshToken: REFRESH } } }],
  ])('redacts access_token and refresh_token %s', (_where, payload) => {
    const { logger, lines } = sinkLogger();
    logger.info(payload, 'token answer');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(ACCESS);
    expect(lines[0]).not.toContain(REFRESH);
    expect(lines[0]).toContain('[redacted]');
    // The rest of the line is kept.
    expect(JSON.parse(lines[0]).msg).toBe('token answer');
  });

  it('keeps what is not a secret, and survives a cycle', () => {
    const { logger, lines } = sinkLogger();
    const cyclic: Record<string, unknown> = { connectionId: 'conn_1', nested: { status: 'active' } };
    cyclic.self = cyclic;
    logger.info(cyclic, 'connection');
    const line = JSON.parse(lines[0]);
    expect(line.connectionId).toBe('conn_1');
    expect(line.nested).toEqual({ status: 'active' });
  });
});
