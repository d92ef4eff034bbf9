/**
 * `POST /api/meetings/intake`: signed with the workspace's secret (HMAC over timestamp and body),
 * refused when unsigned, mis-signed, stale or replayed; a transcript or a summary becomes a meeting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIntake } from '../../../src/meetings/transcripts/intake-signature.ts';
import { useServiceWithBob } from '../../connections/service-with-bob.ts';
import { logIn, type ServiceSession } from '../../support/connections.ts';

const teams = readFileSync(path.join(import.meta.dirname, 'samples', 'teams.vtt'), 'utf8');

describe('meeting intake webhook', () => {
  const world = useServiceWithBob();
  let alice: ServiceSession;
  let secret: string;

  beforeAll(async () => {
    alice = await logIn(world.test.service.url, 'alice@forcefield.demo');
  });

  async function deliver(body: string, headers: Record<string, string>) {
    const response = await world.test.service.app.request('/api/meetings/intake', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the JSON answer, asserted field by field
    const answer: any = await response.json();
    return { status: response.status, body: answer };
  }

  function signed(body: string, timestamp = Math.floor(Date.now() / 1000)) {
    return {
      'Forcefield-Timestamp': String(timestamp),
      'Forcefield-Signature': signIntake(secret, timestamp, body),
    };
  }

  it('is off until an admin makes a secret; members cannot make one', async () => {
    const body = JSON.stringify({ transcript: { content: teams } });
    expect((await deliver(body, {})).body.error.code).toBe('intake_disabled');
    expect((await world.bob.call('PUT', '/api/meetings/intake-secret')).status).toBe(403);
    const made = await alice.call('PUT', '/api/meetings/intake-secret');
    expect(made.status).toBe(200);
    secret = made.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect((await alice.call('GET', '/api/meetings/intake-secret')).body).toEqual({ configured: true });
    const stored = await world.test.service.store.db
      .selectFrom('workspace_settings')
      .select('value')
      .where('key', '=', 'meetings.intakeSecret')
      .executeTakeFirstOrThrow();
    expect(stored.value).not.toContain(secret);
    // Audited once (the admin's rotation; the member's refusal changed nothing), never the secret.
    const rotations = (await alice.call('GET', '/api/audit?action=meetings.intake_secret_rotated')).body
      .events;
    expect(rotations).toEqual([expect.objectContaining({ outcome: 'success', detail: {} })]);
    expect(JSON.stringify(rotations)).not.toContain(secret);
  });

  it('takes a signed transcript once, and refuses a replay, a bad signature and a stale timestamp', async () => {
    const body = JSON.stringify({
      title: 'Pushed transcript',
      startTime: '2027-03-01T15:00:00Z',
      participants: [{ name: 'Bob Member', email: 'bob@forcefield.demo', internal: true }],
      transcript: { content: teams, fileName: 'pushed.vtt' },
    });
    const headers = signed(body);
    const accepted = await deliver(body, headers);
    expect(accepted.status).toBe(201);
    // Bob took part: he sees it.
    const view = await world.bob.call('GET', `/api/meetings/${accepted.body.meeting.id}`);
    expect(view.body.meeting).toMatchObject({ source: 'intake', transcript: { utteranceCount: 4 } });

    expect(await deliver(body, headers)).toMatchObject({
      status: 409,
      body: { error: { code: 'replayed' } },
    });
    const tampered = body.replace('Pushed transcript', 'Tampered');
    expect((await deliver(tampered, headers)).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect(await deliver(body, signed(body, stale))).toMatchObject({
      status: 401,
      body: { error: { message: expect.stringContaining('300 seconds') } },
    });
    expect(
      (await deliver(body, { 'Forcefield-Timestamp': String(Math.floor(Date.now() / 1000)) })).status,
    ).toBe(401);
  });

  it('takes a finished summary in the meeting format, and audits it', async () => {
    const body = JSON.stringify({
      title: 'Pushed summary',
      startTime: '2027-03-01T15:00:00Z',
      endTime: '2027-03-01T15:30:00Z',
      participants: [{ name: 'Bob Member', email: 'bob@forcefield.demo', internal: true }],
      items: [{ kind: 'decision', text: 'Pilot in two hotels.' }],
    });
    const accepted = await deliver(body, signed(body));
    expect(accepted.status).toBe(201);
    const audit = await alice.call('GET', '/api/audit?action=meeting.intake');
    expect(audit.body.events[0]).toMatchObject({ outcome: 'success', detail: { items: 1 } });
  });
});
