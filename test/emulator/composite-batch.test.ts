import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

function batch(batchRequests: unknown[], options: Record<string, unknown> = {}) {
  return org.api('/composite/batch', { method: 'POST', body: { ...options, batchRequests } });
}

function apiUsed(headers: Headers): number {
  return Number(/api-usage=(\d+)\//.exec(headers.get('sforce-limit-info') ?? '')?.[1]);
}

describe('composite/batch', () => {
  it('runs independent subrequests in order and answers each status and body', async () => {
    const created = await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Batch Co' } });
    const id = created.body.id;
    const result = await batch([
      { method: 'PATCH', url: `v66.0/sobjects/Account/${id}`, richInput: { Name: 'Batch Co Renamed' } },
      { method: 'GET', url: `v66.0/sobjects/Account/${id}?fields=Name` },
      {
        method: 'POST',
        url: '/services/data/v66.0/sobjects/Contact',
        richInput: { LastName: 'Batchley', AccountId: id },
      },
      {
        method: 'GET',
        url: `/v66.0/query?q=${encodeURIComponent(`SELECT LastName FROM Contact WHERE AccountId = '${id}'`)}`,
      },
    ]);
    expect(result.status).toBe(200);
    expect(result.body.hasErrors).toBe(false);
    expect(result.body.results.map((entry: { statusCode: number }) => entry.statusCode)).toEqual([
      204, 200, 201, 200,
    ]);
    expect(result.body.results[0].result).toBeNull();
    expect(result.body.results[1].result).toMatchObject({ Name: 'Batch Co Renamed' });
    expect(result.body.results[2].result).toMatchObject({ success: true, id: expect.stringMatching(/^003/) });
    expect(result.body.results[3].result.records).toEqual([
      expect.objectContaining({ LastName: 'Batchley' }),
    ]);
  });

  it('counts as one API call', async () => {
    const before = apiUsed((await org.api('/limits')).headers);
    const result = await batch([
      { method: 'GET', url: 'v66.0/limits' },
      { method: 'GET', url: 'v66.0/sobjects' },
      { method: 'GET', url: 'v66.0/sobjects/Account/describe' },
    ]);
    expect(apiUsed(result.headers)).toBe(before + 1);
  });

  it('keeps going after a failure by default, and reports hasErrors', async () => {
    const result = await batch([
      { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { NoSuchField: 1 } },
      { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'After Failure Co' } },
    ]);
    expect(result.status).toBe(200);
    expect(result.body.hasErrors).toBe(true);
    expect(result.body.results[0]).toEqual({
      statusCode: 400,
      result: [expect.objectContaining({ errorCode: 'INVALID_FIELD' })],
    });
    expect(result.body.results[1]).toMatchObject({ statusCode: 201, result: { success: true } });
  });

  it('with haltOnError answers 412 BATCH_PROCESSING_HALTED for everything after the first failure', async () => {
    const result = await batch(
      [
        { method: 'GET', url: 'v66.0/sobjects/Account/001000000000000' },
        { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'Never Created Co' } },
        { method: 'GET', url: 'v66.0/limits' },
      ],
      { haltOnError: true },
    );
    expect(result.status).toBe(200);
    expect(result.body.hasErrors).toBe(true);
    expect(result.body.results[0].statusCode).toBe(404);
    const halted = {
      statusCode: 412,
      result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
    };
    expect(result.body.results.slice(1)).toEqual([halted, halted]);
    const query = await org.api(
      `/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Never Created Co'")}`,
    );
    expect(query.body.totalSize).toBe(0);
  });

  it('refuses more than 25 subrequests, and malformed ones, before running any', async () => {
    const tooMany = await batch(
      Array.from({ length: 26 }, () => ({
        method: 'POST',
        url: 'v66.0/sobjects/Account',
        richInput: { Name: 'Too Many Co' },
      })),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('INVALID_BATCH_REQUEST');
    const badMethod = await batch([
      { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'Too Many Co' } },
      { method: 'FETCH', url: 'v66.0/limits' },
    ]);
    expect(badMethod.status).toBe(400);
    const badUrl = await batch([{ method: 'GET', url: 'sobjects/Account' }]);
    expect(badUrl.status).toBe(400);
    const query = await org.api(
      `/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Too Many Co'")}`,
    );
    expect(query.body.totalSize).toBe(0);
    const missing = await org.api('/composite/batch', { method: 'POST', body: { haltOnError: true } });
    expect(missing.status).toBe(400);
    expect(missing.body[0].errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('does not nest composite resources', async () => {
    const result = await batch([
      { method: 'POST', url: 'v66.0/composite/batch', richInput: { batchRequests: [] } },
    ]);
    expect(result.body.results[0].statusCode).toBe(400);
    expect(result.body.hasErrors).toBe(true);
  });
});
