import { Connection } from 'jsforce';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, useTestOrg } from '../support/emulator.ts';

let conn: Connection;

const org = useTestOrg({ seed: 'demo' });

beforeAll(() => {
  conn = new Connection({ instanceUrl: org.url, accessToken: org.token, version: API_VERSION });
});

async function createJob(body: Record<string, unknown>): Promise<string> {
  const result = await org.api('/jobs/ingest', { method: 'POST', body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.id;
}

async function upload(jobId: string, csv: string): Promise<Response> {
  return fetch(`${org.dataUrl}/jobs/ingest/${jobId}/batches`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${org.token}`, 'Content-Type': 'text/csv' },
    body: csv,
  });
}

async function results(jobId: string, kind: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${org.dataUrl}/jobs/ingest/${jobId}/${kind}`, {
    headers: { Authorization: `Bearer ${org.token}` },
  });
  return { status: response.status, text: await response.text() };
}

/** Polls the job until it leaves the processing states (never a fixed sleep). */
async function finished(jobId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const info = await org.api(`/jobs/ingest/${jobId}`);
    if (!['UploadComplete', 'InProgress'].includes(info.body.state)) return info.body;
  }
}

describe('Bulk API 2.0 ingest with jsforce', () => {
  it('inserts rows and reports successes and failures row by row', async () => {
    const outcome = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: 'Name,Industry,NumberOfEmployees\nJsforce Bulk One,Retail,12\nJsforce Bulk Two,Energy,many\n',
      pollInterval: 10,
      pollTimeout: 30_000,
    });
    expect(outcome.successfulResults).toHaveLength(1);
    expect(outcome.successfulResults[0]).toMatchObject({ sf__Created: 'true', Name: 'Jsforce Bulk One' });
    expect(outcome.failedResults).toHaveLength(1);
    expect(outcome.failedResults[0].sf__Error).toMatch(
      /^INVALID_TYPE_ON_FIELD_IN_RECORD:.*:NumberOfEmployees --$/,
    );
    expect(outcome.unprocessedRecords).toHaveLength(0);
    const id = outcome.successfulResults[0].sf__Id as string;
    const record = await conn.sobject('Account').retrieve(id);
    expect(record).toMatchObject({ Name: 'Jsforce Bulk One', NumberOfEmployees: 12 });
  });

  it('updates and deletes by Id, with #N/A clearing a field and empty values left alone', async () => {
    const id = (
      await org.api('/sobjects/Account', {
        method: 'POST',
        body: { Name: 'Before', Industry: 'Retail', Phone: '555' },
      })
    ).body.id;
    const update = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: `Id,Name,Industry,Phone\n${id},After,,#N/A\n`,
      pollInterval: 10,
    });
    expect(update.successfulResults[0]).toMatchObject({ sf__Id: id, sf__Created: 'false' });
    expect((await org.api(`/sobjects/Account/${id}`)).body).toMatchObject({
      Name: 'After',
      Industry: 'Retail',
      Phone: null,
    });

    const removal = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'delete',
      input: `Id\n${id}\n`,
      pollInterval: 10,
    });
    expect(removal.successfulResults).toHaveLength(1);
    expect((await org.api(`/sobjects/Account/${id}`)).status).toBe(404);
  });

  it('upserts on Id: a known Id updates, a row without one creates', async () => {
    const id = (
      await org.api('/sobjects/Lead', { method: 'POST', body: { LastName: 'Upsert', Company: 'Old Co' } })
    ).body.id;
    const outcome = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'upsert',
      externalIdFieldName: 'Id',
      input: `Id,LastName,Company\n${id},Upsert,New Co\n,Fresh,Fresh Co\n`,
      pollInterval: 10,
    });
    expect(outcome.failedResults).toEqual([]);
    expect(
      outcome.successfulResults.map((row) => [row.sf__Created, (row as Record<string, unknown>).LastName]),
    ).toEqual([
      ['false', 'Upsert'],
      ['true', 'Fresh'],
    ]);
    expect(outcome.successfulResults[0].sf__Id).toBe(id);
    expect((await org.api(`/sobjects/Lead/${id}`)).body.Company).toBe('New Co');
  });

  it('reads the job delimiter and CRLF line endings as declared', async () => {
    const jobId = await createJob({
      object: 'Lead',
      operation: 'insert',
      columnDelimiter: 'SEMICOLON',
      lineEnding: 'CRLF',
    });
    expect((await upload(jobId, 'LastName;Company\r\nSemi;Colon Inc\r\n')).status).toBe(201);
    await org.api(`/jobs/ingest/${jobId}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
    expect(await finished(jobId)).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 1,
      numberRecordsFailed: 0,
    });
    const success = await results(jobId, 'successfulResults');
    expect(success.text).toMatch(
      /^"sf__Id";"sf__Created";"LastName";"Company"\r\n"00Q\w{15}";"true";"Semi";"Colon Inc"\r\n$/,
    );
  });
});

describe('Bulk API 2.0 ingest state machine and errors (plain fetch)', () => {
  it('answers UploadComplete at once, then the job completes; a second upload or close is refused', async () => {
    const jobId = await createJob({ object: 'Contact', operation: 'insert' });
    const info = await org.api(`/jobs/ingest/${jobId}`);
    expect(info.body).toMatchObject({
      state: 'Open',
      jobType: 'V2Ingest',
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    });
    expect(info.body.contentUrl).toBe(`services/data/v${API_VERSION}/jobs/ingest/${jobId}/batches`);
    expect((await upload(jobId, 'LastName\nOne\n')).status).toBe(201);
    const again = await upload(jobId, 'LastName\nTwo\n');
    expect(again.status).toBe(409);
    expect(((await again.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALIDJOBSTATE');
    const closed = await org.api(`/jobs/ingest/${jobId}`, {
      method: 'PATCH',
      body: { state: 'UploadComplete' },
    });
    expect(closed.body.state).toBe('UploadComplete');
    expect(await finished(jobId)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
    const reclose = await org.api(`/jobs/ingest/${jobId}`, {
      method: 'PATCH',
      body: { state: 'UploadComplete' },
    });
    expect(reclose.status).toBe(409);
    const abort = await org.api(`/jobs/ingest/${jobId}`, { method: 'PATCH', body: { state: 'Aborted' } });
    expect(abort.status).toBe(409);
  });

  it('refuses results before the job is finished and deletion while it is Open', async () => {
    const jobId = await createJob({ object: 'Contact', operation: 'insert' });
    const early = await results(jobId, 'successfulResults');
    expect(early.status).toBe(409);
    expect(JSON.parse(early.text)[0].errorCode).toBe('INVALIDJOBSTATE');
    const removal = await org.api(`/jobs/ingest/${jobId}`, { method: 'DELETE' });
    expect(removal.status).toBe(409);
  });

  it('aborts an open job: its uploaded rows come back as unprocessed, nothing is written', async () => {
    const before = (
      await org.api(`/query?q=${encodeURIComponent("SELECT COUNT() FROM Contact WHERE LastName = 'Never'")}`)
    ).body.totalSize;
    const jobId = await createJob({ object: 'Contact', operation: 'insert' });
    await upload(jobId, 'LastName\nNever\n');
    const abort = await org.api(`/jobs/ingest/${jobId}`, { method: 'PATCH', body: { state: 'Aborted' } });
    expect(abort.status).toBe(200);
    expect(abort.body.state).toBe('Aborted');
    expect((await results(jobId, 'unprocessedrecords')).text).toBe('"LastName"\n"Never"\n');
    const after = (
      await org.api(`/query?q=${encodeURIComponent("SELECT COUNT() FROM Contact WHERE LastName = 'Never'")}`)
    ).body.totalSize;
    expect(after).toBe(before);
    expect((await org.api(`/jobs/ingest/${jobId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await org.api(`/jobs/ingest/${jobId}`)).status).toBe(404);
  });

  it('fails the whole job for an unknown column or CRLF data in an LF job', async () => {
    const unknown = await createJob({ object: 'Account', operation: 'insert' });
    await upload(unknown, 'Name,Bogus__c\nA,B\n');
    await org.api(`/jobs/ingest/${unknown}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
    expect(await finished(unknown)).toMatchObject({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Bogus__c',
    });

    const crlf = await createJob({ object: 'Account', operation: 'insert' });
    await upload(crlf, 'Name\r\nA\r\n');
    await org.api(`/jobs/ingest/${crlf}`, { method: 'PATCH', body: { state: 'UploadComplete' } });
    expect((await finished(crlf)).errorMessage).toBe(
      'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
    );
  });

  it('refuses bad job definitions', async () => {
    const unknownObject = await org.api('/jobs/ingest', {
      method: 'POST',
      body: { object: 'Nothing', operation: 'insert' },
    });
    expect(unknownObject.status).toBe(400);
    expect(unknownObject.body[0].errorCode).toBe('INVALIDJOB');
    const badOperation = await org.api('/jobs/ingest', {
      method: 'POST',
      body: { object: 'Account', operation: 'merge' },
    });
    expect(badOperation.status).toBe(400);
    const upsertWithoutKey = await org.api('/jobs/ingest', {
      method: 'POST',
      body: { object: 'Account', operation: 'upsert' },
    });
    expect(upsertWithoutKey.body[0].errorCode).toBe('INVALIDJOB');
    const hardDelete = await org.api('/jobs/ingest', {
      method: 'POST',
      body: { object: 'Account', operation: 'hardDelete' },
    });
    expect(hardDelete.body[0].errorCode).toBe('FEATURENOTENABLED');
  });

  it("lists the caller's jobs and hides other users' jobs from them", async () => {
    const jobId = await createJob({ object: 'Account', operation: 'insert' });
    const list = await org.api('/jobs/ingest');
    expect(list.body.done).toBe(true);
    expect(list.body.records.map((job: { id: string }) => job.id)).toContain(jobId);
    const bobId = org.emulator.org.userIdByUsername('bob@acme.demo')!;
    const bobToken = org.emulator.org.tokens.issueAccessToken(bobId, 'forcefield-demo', ['api']).token;
    const asBob = await fetch(`${org.dataUrl}/jobs/ingest/${jobId}`, {
      headers: { Authorization: `Bearer ${bobToken}` },
    });
    expect(asBob.status).toBe(404);
  });
});
