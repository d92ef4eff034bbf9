import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg({ dailyApiRequestLimit: 3 });

describe('daily API request limit', () => {
  it('counts each request and refuses once the limit is spent, with headers and /limits consistent', async () => {
    const first = await org.api('/limits');
    expect(first.status).toBe(200);
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/3');
    expect(first.body.DailyApiRequests).toEqual({ Max: 3, Remaining: 2 });
    expect((await org.api('/sobjects')).headers.get('sforce-limit-info')).toBe('api-usage=2/3');
    const third = await org.api('/limits');
    expect(third.body.DailyApiRequests).toEqual({ Max: 3, Remaining: 0 });
    const refused = await org.api('/limits');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    // The version list is not an API call against the org's limit on Salesforce either.
    expect((await fetch(`${org.url}/services/data`)).status).toBe(200);
  });
});
