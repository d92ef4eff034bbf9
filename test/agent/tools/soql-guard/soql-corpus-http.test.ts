import { describe, expect, it } from 'vitest';
import { toolInputSchemas } from '../../../../src/agent/tools/tool-catalog.ts';
import { createAgent, say, startConversation } from '../../../support/agents.ts';
import { callThenAnswer, lastToolResults } from '../../../support/models.ts';
import { STORE_DIALECTS } from '../../../support/store.ts';
import { useChatHarness } from '../../chat-harness.ts';
import { HOSTILE_CORPUS } from './hostile-soql.ts';

/**
 * The whole hostile SOQL corpus, end to end: a scripted model calls `query_records` once per
 * entry (all in one model step), through the HTTP chat API, against the emulator. Refused entries
 * must not reach Salesforce at all; normalized ones must reach it as exactly the recomposed,
 * capped text — checked in the emulator's own request log, not in what the service says it sent.
 */

const QUERY_ROUTE = 'GET /services/data/vXX.X/query';

interface Counters {
  total: number;
  routes: Record<string, number>;
}

interface LoggedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
}

/** Entries the tool's input schema refuses before the SOQL guard sees them (not a string, empty, too long). */
function refusedBySchema(input: unknown): boolean {
  return !toolInputSchemas.query_records.safeParse({ soql: input }).success;
}

describe.each(STORE_DIALECTS)('hostile SOQL corpus over the chat API (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  async function admin<T>(resource: string): Promise<T> {
    const response = await fetch(`${chat.emulator.url}/__emulator${resource}`, {
      headers: { Authorization: `Bearer ${chat.emulator.adminSecret}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it(`refuses or normalizes each of the ${HOSTILE_CORPUS.length} inputs; only normalized text reaches Salesforce`, async () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(30);
    // Each call carries its index in its id, so a step and a result map back to their entry.
    const model = chat.board.set(
      'mock-corpus',
      callThenAnswer(
        HOSTILE_CORPUS.map(([, soql], index) => ({
          toolName: 'query_records',
          input: { soql },
          toolCallId: `corpus_${index}`,
        })),
      ),
    );
    const agentId = await createAgent(chat.alice, { model: { provider: 'openai', modelId: 'mock-corpus' } });
    const conversation = await startConversation(chat.bob, agentId);

    const before = await admin<Counters>('/counters');
    const turn = await say(chat.bob, conversation, 'Run these queries');
    const after = await admin<Counters>('/counters');
    expect(turn.status).toBe(200);
    expect(turn.body.status).toBe('complete');
    expect(turn.body.message.text).toBe('Done.');

    const steps = turn.body.message.steps as Array<{
      tool: string;
      status: string;
      code?: string;
      result?: { ok?: boolean; soql?: string };
    }>;
    expect(steps).toHaveLength(HOSTILE_CORPUS.length);
    const results = lastToolResults(model.doStreamCalls[1].prompt);
    expect(results).toHaveLength(HOSTILE_CORPUS.length);

    const expectedSent: string[] = [];
    HOSTILE_CORPUS.forEach(([name, input, expected], index) => {
      const step = steps[index];
      const told = results[index].value as { ok?: boolean; errorCode?: string; soql?: string };
      expect(step.tool, name).toBe('query_records');
      if ('refused' in expected) {
        // The schema refuses a few entries first (not a string, empty, over 20,000 characters);
        // everything else is the guard's refusal, with the guard's code.
        const code = refusedBySchema(input) ? 'invalid_input' : `soql_${expected.refused}`;
        expect({ name, status: step.status, code: step.code }).toEqual({ name, status: 'error', code });
        expect(told, name).toMatchObject({ ok: false, errorCode: code.toUpperCase() });
      } else {
        expect(refusedBySchema(input), name).toBe(false);
        expectedSent.push(expected.soql);
        // Whatever the emulator made of it, the model is told the text that was sent.
        if (step.status === 'ok') expect(step.result?.soql, name).toBe(expected.soql);
        else expect(step.status, name).toBe('error');
      }
    });

    // Only the normalized entries reached the query endpoint, once each.
    const queries = (after.routes[QUERY_ROUTE] ?? 0) - (before.routes[QUERY_ROUTE] ?? 0);
    expect(queries).toBe(expectedSent.length);
    // And the emulator received exactly the recomposed texts: every request of the turn, from its log.
    const requestCount = after.total - before.total;
    const log = await admin<{ requests: LoggedRequest[] }>(`/requests?limit=${requestCount}`);
    expect(log.requests).toHaveLength(requestCount);
    const sent = log.requests
      .filter(
        (request) => request.method === 'GET' && /^\/services\/data\/v[\d.]+\/query$/.test(request.path),
      )
      .map((request) => request.query?.q);
    expect(sent).toEqual(expectedSent);
    expect(log.requests.filter((request) => /\/query/.test(request.path))).toHaveLength(expectedSent.length);
  });
});
