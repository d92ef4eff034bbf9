import { describe, expect, it } from 'vitest';
import { createAgent, say, startConversation } from '../../support/agents.ts';
import { connect } from '../../support/connections.ts';
import { callThenAnswer, lastToolResults } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { orgCreate } from '../org-calls.ts';

/** The read tools through a chat: guarded SOQL, paging with cursors, and No output data. */

describe.each(STORE_DIALECTS)('reading Salesforce in a chat (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('query_records refuses writes and hostile SOQL end to end, and caps LIMIT', async () => {
    const { emulator, board, alice, bob } = chat;
    const hostile = [
      'DELETE FROM Account',
      'SELECT Id FROM Account; DELETE FROM Account',
      'SELECT Id FROM Account FOR UPDATE',
      "SELECT Id FROM Account WHERE Name = 'x' -- comment",
      'SELECT Id FROM Account WITH SYSTEM_MODE',
      'SELECT Id FROM AuthSession',
      "SELECT Id FROM Account WHERE Name = '\u200bx'",
    ];
    const model = board.set(
      'mock-soql',
      callThenAnswer([
        ...hostile.map((soql) => ({ toolName: 'query_records', input: { soql } })),
        { toolName: 'query_records', input: { soql: 'SELECT Id FROM Contact LIMIT 100000' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-soql' } });
    const conversation = await startConversation(bob, agentId);
    const queryCount = async () => {
      const counters = (await fetch(`${emulator.url}/__emulator/counters`, {
        headers: { Authorization: `Bearer ${emulator.adminSecret}` },
      }).then((response) => response.json())) as { routes: Record<string, number> };
      return Object.entries(counters.routes)
        .filter(([route]) => /^GET .*\/query$/.test(route))
        .reduce((sum, [, count]) => sum + count, 0);
    };
    const before = await queryCount();
    const turn = await say(bob, conversation, 'Queries');
    const steps = turn.body.message.steps;
    expect(steps.slice(0, hostile.length).every((step: { status: string }) => step.status === 'error')).toBe(
      true,
    );
    expect(steps[hostile.length].status).toBe('ok');
    expect(steps[hostile.length].result.soql).toMatch(/LIMIT 200$/);
    const results = lastToolResults(model.doStreamCalls[1].prompt);
    expect(results[0].value).toMatchObject({ errorCode: 'SOQL_NOT_SELECT' });
    expect(results[1].value).toMatchObject({ errorCode: 'SOQL_MULTIPLE_STATEMENTS' });
    // Only the one allowed query reached Salesforce.
    expect((await queryCount()) - before).toBe(1);
  });

  it('pages long results with next_page and a cursor held in memory', async () => {
    const { emulator, board, alice, bob } = chat;
    for (let index = 0; index < 30; index++)
      await orgCreate(emulator, 'Lead', { LastName: `Pager${index}`, Company: 'Paging Co' });
    const model = board.set('mock-pages', (prompt) => {
      const results = lastToolResults(prompt);
      if (results.length === 0)
        return {
          toolCalls: [
            {
              toolName: 'query_records',
              input: { soql: "SELECT Id, LastName FROM Lead WHERE Company = 'Paging Co'" },
            },
          ],
        };
      const value = results[0].value as { more?: { cursor: string } };
      if (value.more) return { toolCalls: [{ toolName: 'next_page', input: { cursor: value.more.cursor } }] };
      return { text: 'All read.' };
    });
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-pages' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'List them');
    expect(turn.body.message.text).toBe('All read.');
    const steps = turn.body.message.steps;
    expect(steps.map((step: { tool: string }) => step.tool)).toEqual(['query_records', 'next_page']);
    expect(steps[0].result.returned).toBe(25);
    expect(steps[0].result.more.remaining).toBe(5);
    expect(steps[1].result.returned).toBe(5);
    expect(steps[0].contextBytes / steps[0].rawBytes).toBeLessThanOrEqual(0.4);
    // A used cursor is gone.
    const replayed = model.doStreamCalls.length;
    expect(replayed).toBe(3);
  });

  it('shows No output data for what the Salesforce user may not see', async () => {
    const { emulator, board, alice, carol, auditEvents } = chat;
    // Carol's Salesforce user is the profile-limited contractor (no Case, no Opportunity.Amount).
    await connect(carol, emulator, { kind: 'personal', username: 'dave@acme.demo' });
    const model = board.set(
      'mock-limited',
      callThenAnswer([
        { toolName: 'query_records', input: { soql: 'SELECT Id, Subject FROM Case' } },
        { toolName: 'query_records', input: { soql: 'SELECT Id, Name, Amount FROM Opportunity' } },
        { toolName: 'describe_object', input: { objectType: 'Case' } },
        { toolName: 'query_records', input: { soql: 'SELECT Id, Nmae FROM Account' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-limited' } });
    const conversation = await startConversation(carol, agentId);
    const turn = await say(carol, conversation, 'Cases and amounts');
    const steps = turn.body.message.steps;
    expect(steps.map((step: { status: string }) => step.status)).toEqual([
      'no_output_data',
      'no_output_data',
      'no_output_data',
      'error',
    ]);
    expect(steps[0].reason).toBe('The connected Salesforce user has no access to this object.');
    expect(steps[1].reason).toBe('The connected Salesforce user has no access to a field this step uses.');
    const results = lastToolResults(model.doStreamCalls[1].prompt);
    expect(results[0].value).toMatchObject({ errorCode: 'NO_ACCESS' });
    expect(results[3].value).toMatchObject({ errorCode: 'INVALID_FIELD' });
    const denied = (await auditEvents('agent.tool_call')).filter(
      (event) => event.detail.agentId === agentId && event.outcome === 'denied',
    );
    expect(denied.map((event) => event.objectType)).toEqual(expect.arrayContaining(['Case', 'Opportunity']));
  });
});
