import { Connection } from 'jsforce';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, useTestOrg } from '../support/emulator.ts';

let conn: Connection;

const org = useTestOrg({ seed: 'demo' });

beforeAll(() => {
  conn = new Connection({ instanceUrl: org.url, accessToken: org.token, version: API_VERSION });
});

async function createQueryJob(query: string, extra: Record<string, unknown> = {}) {
  return org.api('/jobs/query', { method: 'POST', body: { operation: 'query', query, ...extra } });
}

async function page(jobId: string, search = '') {
  const response = await fetch(`${org.dataUrl}/jobs/query/${jobId}/results${search}`, {
    headers: { Authorization: `Bearer ${org.token}` },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('Bulk API 2.0 query', () => {
  it('returns every row through jsforce conn.bulk2.query, parent fields flattened', async () => {
    const stream = await conn.bulk2.query('SELECT Id, Name, Account.Name FROM Contact ORDER BY Id', {
      pollInterval: 10,
    });
    const rows = await new Promise<Array<Record<string, string>>>((resolve, reject) => {
      const collected: Array<Record<string, string>> = [];
      stream.on('record', (record) => collected.push(record as Record<string, string>));
      stream.on('end', () => resolve(collected));
      stream.on('error', reject);
    });
    const rest = await org.api(
      `/query?q=${encodeURIComponent('SELECT Id, Name, Account.Name FROM Contact ORDER BY Id')}`,
    );
    expect(rows).toHaveLength(rest.body.totalSize);
    expect(rows[0]).toEqual({
      Id: rest.body.records[0].Id,
      Name: rest.body.records[0].Name,
      'Account.Name': rest.body.records[0].Account?.Name ?? '',
    });
  });

  it('pages results with maxRecords, Sforce-Locator and Sforce-NumberOfRecords', async () => {
    const created = await createQueryJob('SELECT Id FROM Contact ORDER BY Id');
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      operation: 'query',
      object: 'Contact',
      state: 'UploadComplete',
      jobType: 'V2Query',
    });
    const jobId: string = created.body.id;
    const info = await org.api(`/jobs/query/${jobId}`);
    expect(info.body.state).toBe('JobComplete');
    const total: number = info.body.numberRecordsProcessed;
    expect(total).toBeGreaterThan(5);

    const ids: string[] = [];
    let locator: string | null = '';
    let pages = 0;
    while (locator !== 'null') {
      const result = await page(jobId, `?maxRecords=5${locator ? `&locator=${locator}` : ''}`);
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('text/csv');
      const lines = result.text.trim().split('\n');
      expect(lines[0]).toBe('"Id"');
      expect(Number(result.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
      ids.push(...lines.slice(1).map((line) => JSON.parse(line)));
      locator = result.headers.get('sforce-locator');
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 5));
    expect(new Set(ids).size).toBe(total);
  });

  it('refuses queries Salesforce refuses, results of an aborted job, and bad locators', async () => {
    const invalid = await createQueryJob('SELECT Nope FROM Account');
    expect(invalid.status).toBe(400);
    expect(invalid.body[0].errorCode).toBe('INVALID_FIELD');
    const aggregate = await createQueryJob('SELECT COUNT() FROM Account');
    expect(aggregate.status).toBe(400);
    expect(aggregate.body[0].errorCode).toBe('INVALIDJOB');
    const missing = await org.api('/jobs/query', { method: 'POST', body: { operation: 'query' } });
    expect(missing.status).toBe(400);

    const done = (await createQueryJob('SELECT Id FROM Account')).body.id;
    const abort = await org.api(`/jobs/query/${done}`, { method: 'PATCH', body: { state: 'Aborted' } });
    expect(abort.status).toBe(409);
    expect(abort.body[0].errorCode).toBe('INVALIDJOBSTATE');
    const badLocator = await page(done, '?locator=bm9wZQ');
    expect(badLocator.status).toBe(400);
    expect((await org.api(`/jobs/query/${done}`, { method: 'DELETE' })).status).toBe(204);
    expect((await page(done)).status).toBe(404);
  });

  it('includes deleted rows only for queryAll', async () => {
    const id = (
      await org.api('/sobjects/Lead', { method: 'POST', body: { LastName: 'Gone', Company: 'Gone Co' } })
    ).body.id;
    await org.api(`/sobjects/Lead/${id}`, { method: 'DELETE' });
    const soql = "SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'";
    const live = (await createQueryJob(soql)).body.id;
    expect((await page(live)).text).toBe('"Id","IsDeleted"\n');
    const all = (await createQueryJob(soql, { operation: 'queryAll' })).body.id;
    expect((await page(all)).text).toBe(`"Id","IsDeleted"\n"${id}","true"\n`);
  });
});
