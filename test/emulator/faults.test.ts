import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorArguments } from '../../emulator/cli.ts';
import { compilePathGlob, matchesPathGlob } from '../../emulator/faults/path-glob.ts';
import { type FaultRule, startEmulator } from '../../emulator/index.ts';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

afterEach(async () => {
  await admin('DELETE', '/faults');
});

async function admin(method: string, adminPath: string, body?: unknown): Promise<Response> {
  return fetch(`${org.url}/__emulator${adminPath}`, {
    method,
    headers: {
      Authorization: `Bearer ${org.emulator.adminSecret}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function setFaults(rules: FaultRule[], seed?: number): Promise<void> {
  const response = await admin('PUT', '/faults', seed === undefined ? rules : { seed, rules });
  expect(response.status, await response.clone().text()).toBe(200);
}

// biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
async function bodyOf(response: Response): Promise<any> {
  return response.json();
}

function rawApi(apiPath: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${org.dataUrl}${apiPath}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${org.token}`, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function taskCount(subject: string): Promise<number> {
  const soql = `SELECT Id FROM Task WHERE Subject = '${subject}'`;
  const result = await org.api(`/query?q=${encodeURIComponent(soql)}`);
  expect(result.status).toBe(200);
  return result.body.totalSize;
}

async function createAccount(name: string): Promise<string> {
  const result = await org.api('/sobjects/Account', { method: 'POST', body: { Name: name } });
  expect(result.status).toBe(201);
  return result.body.id;
}

describe('fault kinds as a client sees them', () => {
  it('http-500: Salesforce UNKNOWN_EXCEPTION JSON on REST, an HTML error page on OAuth', async () => {
    await setFaults([{ path: '/services/data/*/limits', kind: 'http-500' }]);
    const result = await org.api('/limits');
    expect(result.status).toBe(500);
    expect(result.body).toEqual([
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: expect.stringMatching(
          /^An unexpected error occurred\. Please include this ErrorId if you contact support: \d+-\d+ \(-?\d+\)$/,
        ),
      },
    ]);
    expect(result.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);

    await setFaults([{ path: '/services/oauth2/token', kind: 'http-500' }]);
    const token = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=forcefield-demo&client_secret=forcefield-demo-secret&username=alice%40acme.demo&password=demo1234',
    });
    expect(token.status).toBe(500);
    expect(token.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await token.text()).toMatch(/internal server error/i);
  });

  it('http-502 and http-503: the edge HTML pages, not JSON', async () => {
    await setFaults([
      { method: 'GET', path: '/services/data/*/sobjects', kind: 'http-502' },
      { method: 'GET', path: '/services/data/*/limits', kind: 'http-503' },
    ]);
    const badGateway = await rawApi('/sobjects');
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await badGateway.text()).toContain('502 Bad Gateway');
    const unavailable = await rawApi('/limits');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await unavailable.text()).toContain('Service Unavailable');
  });

  it('unable-to-lock-row: 400 naming the record in the path, or the parent in the body; nothing is written', async () => {
    const accountId = await createAccount('Locked Inc');
    await setFaults([
      { path: '/services/data/*/sobjects/Account/*', method: 'PATCH', kind: 'unable-to-lock-row' },
    ]);
    const update = await org.api(`/sobjects/Account/${accountId}`, {
      method: 'PATCH',
      body: { Name: 'Renamed' },
    });
    expect(update.status).toBe(400);
    expect(update.body).toEqual([
      {
        message: `unable to obtain exclusive access to this record or 1 records: ${accountId}`,
        errorCode: 'UNABLE_TO_LOCK_ROW',
        fields: [],
      },
    ]);
    expect((await org.api(`/sobjects/Account/${accountId}`)).body.Name).toBe('Locked Inc');

    await setFaults([{ path: '/services/data/*/sobjects/Task', method: 'POST', kind: 'unable-to-lock-row' }]);
    const create = await org.api('/sobjects/Task', {
      method: 'POST',
      body: { Subject: 'Locked task', WhatId: accountId },
    });
    expect(create.status).toBe(400);
    expect(create.body[0].message).toBe(
      `unable to obtain exclusive access to this record or 1 records: ${accountId}`,
    );
    expect(await taskCount('Locked task')).toBe(0);
  });

  it("validation-error: Salesforce's DML error body with the rule's code, message and fields; nothing is written", async () => {
    await setFaults([
      {
        path: '/services/data/*/sobjects/Task',
        method: 'POST',
        kind: 'validation-error',
        message: 'Subject must start with a project code.',
        fields: ['Subject'],
      },
    ]);
    const refused = await org.api('/sobjects/Task', { method: 'POST', body: { Subject: 'Validated task' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual([
      {
        message: 'Subject must start with a project code.',
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        fields: ['Subject'],
      },
    ]);
    expect(await taskCount('Validated task')).toBe(0);

    await setFaults([
      {
        path: '/services/data/*/sobjects/Task',
        kind: 'validation-error',
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Region__c]',
        fields: ['Region__c'],
        times: 1,
      },
    ]);
    const connection = new Connection({ instanceUrl: org.url, accessToken: org.token, version: '66.0' });
    const error = await connection
      .sobject('Task')
      .create({ Subject: 'Validated task' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Region__c]',
    });
    expect(await taskCount('Validated task')).toBe(0);
    // The fields belong to this kind only.
    const wrong = await admin('POST', '/faults', { path: '/**', kind: 'http-500', fields: ['Subject'] });
    expect(wrong.status).toBe(400);
  });

  it('unable-to-lock-row reaches jsforce as an error with its errorCode', async () => {
    const accountId = await createAccount('Via jsforce lock');
    await setFaults([{ path: '/services/data/*/sobjects/Task', kind: 'unable-to-lock-row', times: 1 }]);
    const connection = new Connection({ instanceUrl: org.url, accessToken: org.token, version: '66.0' });
    const failure = await connection
      .sobject('Task')
      .create({ Subject: 'jsforce locked', WhatId: accountId })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { errorCode?: string }).errorCode).toBe('UNABLE_TO_LOCK_ROW');
    // The rule retired after one fault: the retry goes through.
    const retried = await connection.sobject('Task').create({ Subject: 'jsforce locked', WhatId: accountId });
    expect(retried.success).toBe(true);
  });

  it('request-limit-exceeded and invalid-session: the real 403 and 401 bodies', async () => {
    await setFaults([
      { path: '/services/data/*/limits', kind: 'request-limit-exceeded' },
      { path: '/services/data/*/sobjects', kind: 'invalid-session' },
    ]);
    const limited = await org.api('/limits');
    expect(limited.status).toBe(403);
    expect(limited.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    const expired = await org.api('/sobjects');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    // The session itself is fine: the fault was only the answer.
    await admin('DELETE', '/faults');
    expect((await org.api('/sobjects')).status).toBe(200);
  });

  it.each([
    [
      'drop-before',
      'the connection ends before processing; fetch rejects and nothing is created',
      'Dropped before',
      0,
    ],
    [
      'drop-after',
      'the write happens, then the connection ends; fetch rejects but the record exists',
      'Dropped after',
      1,
    ],
  ] as const)('%s: %s', async (kind, _behaviour, subject, created) => {
    await setFaults([{ method: 'POST', path: '/services/data/*/sobjects/Task', kind }]);
    await expect(rawApi('/sobjects/Task', { method: 'POST', body: { Subject: subject } })).rejects.toThrow();
    await admin('DELETE', '/faults');
    expect(await taskCount(subject)).toBe(created);
  });

  it('latency: the answer comes no sooner than the configured delay, and is otherwise normal', async () => {
    await setFaults([{ path: '/services/data/*/limits', kind: 'latency', latencyMs: 150, jitterMs: 20 }]);
    const started = performance.now();
    const result = await org.api('/limits');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(result.status).toBe(200);
  });

  it('latencyMs on an error kind delays the error', async () => {
    await setFaults([{ path: '/services/data/*/limits', kind: 'http-503', latencyMs: 100 }]);
    const started = performance.now();
    const response = await rawApi('/limits');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(response.status).toBe(503);
  });

  it('method and path filters: other methods and paths are untouched', async () => {
    await setFaults([{ method: 'POST', path: '/services/data/*/sobjects/Task', kind: 'http-503' }]);
    expect((await org.api('/sobjects/Task')).status).toBe(200);
    expect((await org.api('/sobjects/Account', { method: 'POST', body: { Name: 'Untouched' } })).status).toBe(
      201,
    );
    expect((await rawApi('/sobjects/Task', { method: 'POST', body: { Subject: 'x' } })).status).toBe(503);
  });

  it('times N: exactly N faults, then normal answers, and the rule retires', async () => {
    await setFaults([{ id: 'three-503s', path: '/services/data/*/limits', kind: 'http-503', times: 3 }]);
    const listed = await bodyOf(await admin('GET', '/faults'));
    expect(listed.rules).toMatchObject([{ id: 'three-503s', remaining: 3, fired: 0 }]);
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await rawApi('/limits')).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
    expect((await bodyOf(await admin('GET', '/faults'))).rules).toEqual([]);
  });

  it('never applies to the admin API itself', async () => {
    await setFaults([{ path: '/**', kind: 'drop-before' }]);
    const health = await admin('GET', '/health');
    expect(health.status).toBe(200);
    await expect(rawApi('/limits')).rejects.toThrow();
  });
});

describe('seeded chance', () => {
  async function outcomes(seed: number): Promise<number[]> {
    const emulator = await startEmulator({
      port: 0,
      seed: 'none',
      faultSeed: seed,
      faults: [{ path: '/services/data/*/limits', kind: 'http-503', probability: 0.5 }],
    });
    try {
      const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
      const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
      const statuses: number[] = [];
      for (let index = 0; index < 30; index++) {
        const response = await fetch(`${emulator.url}/services/data/v66.0/limits`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    } finally {
      await emulator.stop();
    }
  }

  it('gives the same outcomes for the same seed and request sequence', async () => {
    const first = await outcomes(42);
    const second = await outcomes(42);
    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await outcomes(7)).not.toEqual(first);
  });

  it('restarts the sequence from the seed when rules are replaced through the admin API', async () => {
    const rules: FaultRule[] = [{ path: '/services/data/*/limits', kind: 'http-503', probability: 0.3 }];
    const run = async () => {
      await setFaults(rules, 99);
      const statuses: number[] = [];
      for (let index = 0; index < 20; index++) statuses.push((await rawApi('/limits')).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(503);
  });
});

describe('fault rule validation and syntax', () => {
  it('refuses bad rules with a 400 that names the field, and unknown kinds', async () => {
    const badKind = await admin('POST', '/faults', { path: '/services/data/**', kind: 'http-418' });
    expect(badKind.status).toBe(400);
    expect((await bodyOf(badKind)).message).toMatch(/^kind:/);
    const badProbability = await admin('PUT', '/faults', [{ path: '/x', kind: 'http-500', probability: 2 }]);
    expect(badProbability.status).toBe(400);
    expect((await bodyOf(badProbability)).message).toMatch(/^\[0\]\.probability:/);
    const noLatency = await admin('POST', '/faults', { path: '/x', kind: 'latency' });
    expect(noLatency.status).toBe(400);
    expect((await bodyOf(noLatency)).message).toMatch(/latencyMs/);
    const typo = await admin('POST', '/faults', { path: '/x', kind: 'http-500', probabilty: 0.5 });
    expect(typo.status).toBe(400);
    expect((await bodyOf(typo)).message).toMatch(/probabilty/);
    const notJson = await fetch(`${org.url}/__emulator/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.emulator.adminSecret}`, 'Content-Type': 'application/json' },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect((await bodyOf(notJson)).error).toBe('invalid_json');
    await expect(
      startEmulator({ port: 0, faults: [{ path: 'no-slash', kind: 'http-500' }] }),
    ).rejects.toThrow();
  });

  it('adds, lists and removes single rules; duplicate ids conflict', async () => {
    const added = await admin('POST', '/faults', {
      id: 'one',
      path: '/services/data/**',
      kind: 'http-503',
      times: 2,
    });
    expect(added.status).toBe(201);
    expect(await bodyOf(added)).toMatchObject({ id: 'one', method: '*', remaining: 2, fired: 0 });
    expect((await admin('POST', '/faults', { id: 'one', path: '/x', kind: 'http-500' })).status).toBe(409);
    const generated = await bodyOf(await admin('POST', '/faults', { path: '/x', kind: 'http-500' }));
    expect(generated.id).toMatch(/^fault-\d+$/);
    expect(
      (await bodyOf(await admin('GET', '/faults'))).rules.map((rule: { id: string }) => rule.id),
    ).toEqual(['one', generated.id]);
    expect((await admin('DELETE', '/faults/one')).status).toBe(204);
    expect((await admin('DELETE', '/faults/one')).status).toBe(404);
  });

  it('path globs: * stays in a segment, ** crosses segments, case and trailing slash ignored', () => {
    const task = compilePathGlob('/services/data/*/sobjects/Task');
    expect(matchesPathGlob(task, '/services/data/v66.0/sobjects/Task')).toBe(true);
    expect(matchesPathGlob(task, '/services/data/v66.0/sobjects/task/')).toBe(true);
    expect(matchesPathGlob(task, '/services/data/v66.0/sobjects/Task/00T000000000001')).toBe(false);
    expect(matchesPathGlob(task, '/services/data/v66.0/extra/sobjects/Task')).toBe(false);
    const everything = compilePathGlob('/services/data/**');
    expect(matchesPathGlob(everything, '/services/data/v66.0/composite/sobjects')).toBe(true);
    expect(matchesPathGlob(everything, '/services/oauth2/token')).toBe(false);
    const version = compilePathGlob('/services/data/v6?.0');
    expect(matchesPathGlob(version, '/services/data/v66.0')).toBe(true);
    expect(matchesPathGlob(compilePathGlob('/a.b'), '/aXb')).toBe(false);
  });
});

describe('--faults', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'forcefield-faults-'));

  it('loads a rule array or { seed, rules } and refuses a bad file clearly', () => {
    const arrayFile = path.join(directory, 'array.json');
    writeFileSync(
      arrayFile,
      JSON.stringify([{ method: 'post', path: '/services/oauth2/token', kind: 'http-503' }]),
    );
    expect(parseEmulatorArguments(['--faults', arrayFile], {})).toMatchObject({
      faults: { rules: [{ method: 'POST', path: '/services/oauth2/token', kind: 'http-503' }] },
    });
    const objectFile = path.join(directory, 'object.json');
    writeFileSync(
      objectFile,
      JSON.stringify({ seed: 5, rules: [{ path: '/**', kind: 'latency', latencyMs: 10 }] }),
    );
    expect(parseEmulatorArguments(['--faults', objectFile], {})).toMatchObject({
      faults: { seed: 5, rules: [{ kind: 'latency', latencyMs: 10 }] },
    });
    const badRule = path.join(directory, 'bad-rule.json');
    writeFileSync(badRule, JSON.stringify([{ path: '/x', kind: 'explode' }]));
    expect(() => parseEmulatorArguments(['--faults', badRule], {})).toThrow(
      /Invalid --faults: .*\[0\]\.kind/,
    );
    const notJson = path.join(directory, 'not-json.json');
    writeFileSync(notJson, 'kind: http-500');
    expect(() => parseEmulatorArguments(['--faults', notJson], {})).toThrow(
      /Invalid --faults: .* is not JSON/,
    );
    expect(() => parseEmulatorArguments(['--faults', path.join(directory, 'missing.json')], {})).toThrow(
      /Invalid --faults: cannot read/,
    );
  });
});
