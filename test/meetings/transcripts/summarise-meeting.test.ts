/**
 * The summariser over the real OpenAI-compatible provider path against a scripted server: valid
 * items kept with the transcript's own times; fabricated quotes, wrong times and guessed owners
 * and dates rejected; chunks merged without duplicates; re-runs idempotent; a model error changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseMeeting } from '../../../src/meetings/transcripts/summarise-meeting.ts';
import { useServiceWithBob } from '../../connections/service-with-bob.ts';
import { logIn } from '../../support/connections.ts';
import { type ScriptedModelServer, startScriptedModelServer } from './scripted-model-server.ts';

const teams = readFileSync(path.join(import.meta.dirname, 'samples', 'teams.vtt'), 'utf8');

const validItems = [
  {
    kind: 'task',
    text: 'Sofia sends the signed order form.',
    owner: 'Sofia Ibrahim',
    dueDate: '2027-03-05',
    dueDateStatedAs: 'by March 5th',
    evidence: [{ quote: "I'll send the signed order form", timestamp: '0:15', speaker: 'Sofia Ibrahim' }],
  },
  {
    kind: 'decision',
    text: 'The pilot covers two hotels.',
    // Nobody said Dana owns this: a guessed owner, removed. The date was never stated: removed.
    owner: 'Dana Lee',
    dueDate: '2027-04-01',
    dueDateStatedAs: 'in April',
    evidence: [
      { quote: 'two hotels works for us', timestamp: '0:11', speaker: 'Dana Lee' },
      { quote: 'We will launch in all hotels', timestamp: '0:12', speaker: 'Dana Lee' },
    ],
  },
];
const rejectedItems = [
  {
    kind: 'insight',
    text: 'Budget is approved.',
    owner: null,
    dueDate: null,
    dueDateStatedAs: null,
    evidence: [{ quote: 'our budget is approved for the year', timestamp: '0:06', speaker: 'Sofia Ibrahim' }],
  },
  {
    kind: 'next_step',
    text: 'Go over the pilot plan.',
    owner: null,
    dueDate: null,
    dueDateStatedAs: null,
    evidence: [{ quote: "Let's go over the pilot plan", timestamp: '5:00', speaker: 'Dana Lee' }],
  },
];

describe('summarising a meeting transcript', () => {
  const world = useServiceWithBob();
  let model: ScriptedModelServer;

  beforeAll(async () => {
    model = await startScriptedModelServer();
    const alice = await logIn(world.test.service.url, 'alice@forcefield.demo');
    const provider = await alice.call('POST', '/api/model-providers', {
      kind: 'openai_compatible',
      name: 'Local',
      apiKey: 'local-key',
      baseUrl: model.baseUrl,
    });
    const settings = await alice.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'openai_compatible', modelId: 'local-1', providerId: provider.body.provider.id },
    });
    expect(settings.status).toBe(200);
  });
  afterAll(async () => {
    await model.close();
  });

  async function importTeams(title: string): Promise<string> {
    const imported = await world.bob.call('POST', '/api/meetings/transcripts', {
      title,
      startTime: '2027-03-01T15:00:00Z',
      participants: [
        { name: 'Bob Member', email: 'bob@forcefield.demo', internal: true },
        { name: 'Sofia Ibrahim', email: 'sofia.ibrahim@harborviewhotels.example', internal: false },
      ],
      transcript: { content: teams },
    });
    return imported.body.meeting.id as string;
  }

  it('keeps verified items, drops fabricated or mistimed quotes, removes guessed owners and dates', async () => {
    const id = await importTeams('Verified summary');
    model.respond = () => ({
      status: 200,
      content: { overview: 'Pilot scope agreed.', items: [...validItems, ...rejectedItems] },
    });
    // The AI SDK's own warning hook: every warning of the call comes here instead of the console.
    const warnings: unknown[] = [];
    const sdkGlobal = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
    const previousLogger = sdkGlobal.AI_SDK_LOG_WARNINGS;
    sdkGlobal.AI_SDK_LOG_WARNINGS = (options: { warnings: unknown[] }) => warnings.push(...options.warnings);
    let answer: Awaited<ReturnType<typeof world.bob.call>>;
    try {
      answer = await world.bob.call('POST', `/api/meetings/${id}/summarise`);
    } finally {
      sdkGlobal.AI_SDK_LOG_WARNINGS = previousLogger;
    }
    expect(answer.status).toBe(200);
    expect(warnings).toEqual([]);
    expect(answer.body.outcome).toEqual({ summarised: true, kept: 2, flagged: 1, dropped: 2 });
    const { meeting } = answer.body;
    expect(meeting.summary).toMatchObject({
      overview: 'Pilot scope agreed.',
      model: 'openai_compatible:local-1',
      promptVersion: 'transcript-summary-v1',
      droppedItems: [
        { text: 'Budget is approved.', reasons: [expect.stringContaining('quote not in the transcript')] },
        { text: 'Go over the pilot plan.', reasons: [expect.stringContaining('quote not at 5:00')] },
      ],
    });
    const [task, decision] = meeting.items;
    expect(task).toMatchObject({
      kind: 'task',
      ownerEmail: 'sofia.ibrahim@harborviewhotels.example',
      dueDate: '2027-03-05',
      review: {
        origin: 'summary',
        status: 'open',
        flag: null,
        evidence: [
          { quote: "I'll send the signed order form", start: 14.5, end: 20, speaker: 'Sofia Ibrahim' },
        ],
      },
    });
    expect(decision).toMatchObject({ ownerEmail: null, dueDate: null, review: { ownerName: null } });
    expect(decision.review.flag).toContain('1 of 2 quotes did not verify');
    // The model was asked for structured output, with the transcript's lines and times.
    const request = model.requests.at(-1);
    // The schema itself reaches the server (json_schema, strict), not a bare json_object.
    expect(request.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {
        name: 'response',
        strict: true,
        schema: { type: 'object', required: ['overview', 'items'] },
      },
    });
    expect(JSON.stringify(request.messages)).toContain(
      "[0:14] Sofia Ibrahim: I'll send the signed order form",
    );
  });

  it('lets only admins choose the summary model, and only a provider that exists and matches', async () => {
    const alice = await logIn(world.test.service.url, 'alice@forcefield.demo');
    const before = await alice.call('GET', '/api/meetings/summary-settings');
    const chosen = before.body.settings.model;
    expect(chosen).toEqual(expect.objectContaining({ provider: 'openai_compatible', modelId: 'local-1' }));
    const byMember = await world.bob.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'openai', modelId: 'gpt-4.1-mini' },
    });
    expect(byMember.status).toBe(403);
    const missing = await alice.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'openai_compatible', modelId: 'local-2', providerId: 'no-such-provider' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('no such model provider');
    const wrongKind = await alice.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'anthropic', modelId: 'claude', providerId: chosen.providerId },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toContain('that provider is openai_compatible, not anthropic');
    const after = await world.bob.call('GET', '/api/meetings/summary-settings');
    expect(after.body.settings.model).toEqual(chosen);
  });

  it('is idempotent per prompt version: a re-run does not call the model', async () => {
    const id = await importTeams('Idempotent summary');
    model.respond = () => ({ status: 200, content: { overview: 'Once.', items: validItems } });
    await world.bob.call('POST', `/api/meetings/${id}/summarise`);
    const calls = model.requests.length;
    const again = await world.bob.call('POST', `/api/meetings/${id}/summarise`);
    expect(again.body.outcome).toMatchObject({ summarised: false, kept: 2 });
    expect(model.requests.length).toBe(calls);
    expect(again.body.meeting.items).toHaveLength(2);
  });

  it('leaves the meeting unchanged with a clear message when the model fails', async () => {
    const id = await importTeams('Model failure');
    model.respond = () => ({ status: 200, content: { overview: 'First.', items: validItems } });
    await world.bob.call('POST', `/api/meetings/${id}/summarise`);
    const before = (await world.bob.call('GET', `/api/meetings/${id}`)).body.meeting;
    model.respond = () => ({ status: 400, content: { error: { message: 'context length exceeded' } } });
    const failed = await world.bob.call('POST', `/api/meetings/${id}/summarise`, { force: true });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('model_failed');
    expect(failed.body.error.message).toContain('nothing was changed');
    expect((await world.bob.call('GET', `/api/meetings/${id}`)).body.meeting).toEqual(before);
  });

  it('lets a participant edit, dismiss and complete items; reviewed items survive a new summary', async () => {
    const id = await importTeams('Reviewed summary');
    model.respond = () => ({ status: 200, content: { overview: 'Review me.', items: validItems } });
    const first = await world.bob.call('POST', `/api/meetings/${id}/summarise`);
    const [task, decision] = first.body.meeting.items;
    const edited = await world.bob.call('PATCH', `/api/meetings/${id}/items/${task.id}`, {
      text: 'Sofia sends the countersigned order form.',
      status: 'done',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.meeting.items[0]).toMatchObject({
      text: 'Sofia sends the countersigned order form.',
      review: { status: 'done', evidence: [{ speaker: 'Sofia Ibrahim' }] },
    });
    const dismissed = await world.bob.call('PATCH', `/api/meetings/${id}/items/${decision.id}`, {
      status: 'dismissed',
    });
    expect(dismissed.body.meeting.items[1].review.status).toBe('dismissed');
    expect((await world.bob.call('PATCH', `/api/meetings/${id}/items/nope`, { status: 'done' })).status).toBe(
      404,
    );
    expect((await world.bob.call('PATCH', `/api/meetings/${id}/items/${task.id}`, {})).status).toBe(400);

    model.respond = () => ({ status: 200, content: { overview: 'Again.', items: [] } });
    const again = await world.bob.call('POST', `/api/meetings/${id}/summarise`, { force: true });
    expect(
      again.body.meeting.items.map((item: { review: { status: string } }) => item.review.status),
    ).toEqual(['done', 'dismissed']);
  });

  it('chunks a long transcript and merges the same item from overlapping chunks once', async () => {
    const id = await importTeams('Chunked summary');
    model.respond = () => ({ status: 200, content: { overview: 'Part.', items: [validItems[0]] } });
    const calls = model.requests.length;
    const actor = {
      id: await bobId(),
      email: 'bob@forcefield.demo',
      role: 'member' as const,
      surface: 'api' as const,
      name: 'Bob Member',
      sessionId: null,
    };
    const outcome = await summariseMeeting(world.test.service.context, actor, id, { chunkChars: 120 });
    expect(model.requests.length - calls).toBeGreaterThan(1);
    expect(outcome).toMatchObject({ summarised: true, kept: 1 });
  });

  async function bobId(): Promise<string> {
    const row = await world.test.service.store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'bob@forcefield.demo')
      .executeTakeFirstOrThrow();
    return row.id;
  }
});
