import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeModelError } from '../../../src/agent/models/describe-model-error.ts';

/** The table of model failures and what a person reads (the HTTP ones are also tested over HTTP). */

function apiError(statusCode: number | undefined, cause?: unknown): APICallError {
  return new APICallError({
    message: 'provider said something with the request body in it',
    url: 'http://127.0.0.1:1/v1/chat/completions',
    requestBodyValues: { messages: ['Salesforce data'] },
    statusCode,
    responseBody: '{"error":"secret-ish provider text"}',
    cause,
  });
}

function networkError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe('describeModelError', () => {
  it.each([
    [apiError(401), 'bad_key', 401],
    [apiError(403), 'bad_key', 403],
    [apiError(404), 'unknown_model', 404],
    [apiError(429), 'rate_limited', 429],
    [apiError(400), 'request_refused', 400],
    [apiError(503), 'provider_unavailable', 503],
    [apiError(undefined, networkError('ECONNREFUSED')), 'unreachable', undefined],
    [apiError(undefined, networkError('ENOTFOUND')), 'unreachable', undefined],
    [
      apiError(undefined, new TypeError('fetch failed', { cause: new Error('bad port') })),
      'blocked_port',
      undefined,
    ],
    [new LoadAPIKeyError({ message: 'no key' }), 'missing_key', undefined],
    [new DOMException('timed out', 'TimeoutError'), 'timeout', undefined],
    [new Error('something else'), 'model_error', undefined],
  ])('%# → %s', (error, code, statusCode) => {
    const described = describeModelError(error, 'model-x');
    expect(described.code).toBe(code);
    expect(described.statusCode).toBe(statusCode);
    // Our words only: never the provider's message, body or the request.
    expect(described.message).not.toMatch(/provider said|secret-ish|Salesforce data/);
    expect(described.message.length).toBeGreaterThan(20);
  });

  it('looks through the retries to the last error, and names the model when it is unknown', () => {
    const retried = new RetryError({
      message: 'failed after 2 attempts',
      reason: 'maxRetriesExceeded',
      errors: [apiError(500), apiError(404)],
    });
    const described = describeModelError(retried, 'gpt-imaginary');
    expect(described).toMatchObject({ code: 'unknown_model', statusCode: 404 });
    expect(described.message).toContain('"gpt-imaginary"');
  });
});
