import { describe, expect, it } from 'vitest';
import { createAgent, say, startConversation } from '../../support/agents.ts';
import { connect } from '../../support/connections.ts';
import { lastToolResults } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { orgCreate } from '../org-calls.ts';

/**
 * A next_page cursor belongs to the connection that produced it: once the agent's connection for
 * the person changes it is refused, and so it is in a conversation on another connection.
 */
describe.each(STORE_DIALECTS)('next_page cursors and connections (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('refuses a cursor after the connection changes, and on another connection', async () => {
    const { emulator, board, alice, bob, carol } = chat;
    for (let index = 0; index < 30; index++)
      await orgCreate(emulator, 'Lead', { LastName: `Cursor${index}`, Company: `Cursor Co ${dialect}` });
    let cursor = '';
    const model = board.set('mock-cursor-connection', (prompt) => {
      const results = lastToolResults(prompt);
      const lastUser = [...prompt].reverse().find((message) => message.role === 'user');
      const asked = JSON.stringify(lastUser?.content ?? '');
      if (results.length > 0) {
        const value = results[0].value as { more?: { cursor: string } };
        if (value.more) cursor = value.more.cursor;
        return { text: 'Noted.' };
      }
      if (asked.includes('List'))
        return {
          toolCalls: [
            {
              toolName: 'query_records',
              input: { soql: `SELECT Id, LastName FROM Lead WHERE Company = 'Cursor Co ${dialect}'` },
            },
          ],
        };
      return { toolCalls: [{ toolName: 'next_page', input: { cursor } }] };
    });
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-cursor-connection' },
    });
    const conversation = await startConversation(bob, agentId);
    const listed = await say(bob, conversation, 'List them');
    expect(listed.body.message.steps[0]).toMatchObject({ tool: 'query_records', status: 'ok' });
    expect(cursor).toMatch(/^cur_/);

    // Bob connects another Salesforce login: the agent's connection for him is now that one.
    await connect(bob, emulator, { kind: 'personal', username: 'alice@acme.demo', name: 'Second login' });
    const refused = await say(bob, conversation, 'Next page please');
    expect(refused.status).toBe(200);
    expect(refused.body.message.steps[0]).toMatchObject({
      tool: 'next_page',
      status: 'error',
      code: 'cursor_unknown',
    });
    expect(lastToolResults(model.doStreamCalls.at(-1)!.prompt)[0].value).toMatchObject({
      ok: false,
      errorCode: 'CURSOR_UNKNOWN',
    });

    // A fresh cursor, then the same cursor in Carol's conversation on her own connection.
    const again = await say(bob, conversation, 'List them again');
    expect(again.body.message.steps[0]).toMatchObject({ tool: 'query_records', status: 'ok' });
    await connect(carol, emulator, { kind: 'personal', username: 'bob@acme.demo', name: 'Carol login' });
    const carolConversation = await startConversation(carol, agentId);
    const elsewhere = await say(carol, carolConversation, 'Next page please');
    // Unknown in that conversation: no tool it continues, so refused before any Salesforce call.
    expect(elsewhere.body.message.steps[0]).toMatchObject({ tool: 'next_page', status: 'refused' });
    expect(elsewhere.body.message.steps[0].result).toBeUndefined();
    // The cursor still works where it was made: it was refused, not spent.
    const own = await say(bob, conversation, 'Next page please');
    expect(own.body.message.steps[0]).toMatchObject({ tool: 'next_page', status: 'ok' });
    expect(own.body.message.steps[0].result.returned).toBe(5);
  });
});
