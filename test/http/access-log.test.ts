import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from '../support/test-service.ts';

let test: TestService;

beforeAll(async () => {
  test = await createTestService();
});

afterAll(async () => {
  await test.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: log lines are JSON the assertions read
function accessLines(): any[] {
  return test.logs.map((line) => JSON.parse(line)).filter((line) => line.type === 'access');
}

describe('access log', () => {
  it('writes one line per request: method, route template, status, duration, actor and request id', async () => {
    const bob = await test.logIn('bob@forcefield.demo');
    const meetings = await bob.call('GET', '/api/meetings');
    const meetingId = meetings.body.meetings[0].id as string;
    const before = accessLines().length;
    const answer = await bob.call(
      'GET',
      `/api/meetings/${meetingId}?access_token=secret-in-the-query`,
      undefined,
      {
        'X-Request-Id': 'req-42.abc',
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('req-42.abc');
    const lines = accessLines().slice(before);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      msg: 'request',
      requestId: 'req-42.abc',
      method: 'GET',
      route: '/api/meetings/:id',
      status: 200,
      actorId: expect.any(String),
    });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    const bobRow = await test.store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'bob@forcefield.demo')
      .executeTakeFirstOrThrow();
    expect(line.actorId).toBe(bobRow.id);
    // Neither the query string nor the id in the path is logged.
    const text = test.logs.join('');
    expect(text).not.toContain('secret-in-the-query');
    expect(JSON.stringify(line)).not.toContain(meetingId);
  });

  it('logs refusals and unknown paths too, and replaces a request id that is not plain', async () => {
    const before = accessLines().length;
    const answer = await test.fetch(`${test.url}/api/connections`, {
      headers: { 'X-Request-Id': 'has spaces and "quotes"' },
    });
    expect(answer.status).toBe(401);
    const generated = answer.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await test.fetch(`${test.url}/api/nothing-here`);
    const lines = accessLines().slice(before);
    expect(lines.map((line) => [line.status, line.actorId, line.requestId === generated])).toEqual([
      [401, null, true],
      [404, null, false],
    ]);
    expect(test.logs.join('')).not.toContain('has spaces');
  });
});
