import { describe, expect, it } from 'vitest';
import { errorSummary } from '../../../src/meetings/send/error-summary.ts';
import { SalesforceApiError } from '../../../src/salesforce/errors.ts';

describe('errorSummary', () => {
  it("keeps Salesforce's code and status, and the page's words without its markup", () => {
    const page = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'<p>filler</p>'.repeat(200)}</body></html>`;
    const summary = errorSummary(
      new SalesforceApiError({ salesforceErrorCode: 'ERROR_HTTP_502', message: page, upstreamStatus: 502 }),
    );
    expect(summary).toMatchObject({ kind: 'SalesforceApiError', errorCode: 'ERROR_HTTP_502', status: 502 });
    expect(summary.message).not.toMatch(/[<>]/);
    expect(summary.message.startsWith('Salesforce: 502 Bad Gateway filler')).toBe(true);
    expect(summary.message.length).toBeLessThanOrEqual(160);
  });

  it('redacts tokens a message may quote', () => {
    const summary = errorSummary(
      new Error('refused: Authorization: Bearer 00Dxx!AQ.secret-token access_token=abc123&x=1 sid=zzz'),
    );
    expect(summary.message).not.toMatch(/secret-token|abc123|zzz/);
    expect(summary.message).toContain('[redacted]');
  });
});
