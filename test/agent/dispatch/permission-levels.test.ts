import { describe, expect, it } from 'vitest';
import {
  CONFIGURABLE_TOOL_NAMES,
  type ConfigurableToolName,
  PERMISSION_LEVELS,
} from '../../../src/agent/tools/tool-permissions.ts';
import { approvalOf, createAgent, decide, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer, lastToolResults } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { orgCreate, orgQuery } from '../org-calls.ts';

/** The dispatcher's gate, end to end: every permission level of every tool, and calls to tools never offered. */

describe.each(STORE_DIALECTS)('tool permissions in a chat (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  describe('each permission level × each tool', () => {
    const inputs = async (tool: ConfigurableToolName): Promise<Record<string, unknown>> => {
      const { emulator } = chat;
      switch (tool) {
        case 'search_records':
          return { term: 'Acme', objects: ['Account'] };
        case 'get_record':
          return { objectType: 'Task', id: await orgCreate(emulator, 'Task', { Subject: 'Matrix read' }) };
        case 'query_records':
          return { soql: 'SELECT Id, Subject FROM Task LIMIT 5' };
        case 'describe_object':
          return { objectType: 'Lead' };
        case 'create_record':
          return { objectType: 'Task', fields: { Subject: 'Matrix create' } };
        case 'update_record':
          return {
            objectType: 'Task',
            id: await orgCreate(emulator, 'Task', { Subject: 'Matrix before' }),
            fields: { Subject: 'Matrix after' },
          };
        case 'delete_record':
          return { objectType: 'Task', id: await orgCreate(emulator, 'Task', { Subject: 'Matrix delete' }) };
      }
    };

    for (const tool of CONFIGURABLE_TOOL_NAMES) {
      for (const level of PERMISSION_LEVELS) {
        it(`${tool} × ${level}`, async () => {
          const { board, alice, bob, bobConnection, auditEvents } = chat;
          const modelId = `mock-${tool}-${level}`;
          const input = await inputs(tool);
          const model = board.set(modelId, callThenAnswer([{ toolName: tool, input }]));
          const agentId = await createAgent(alice, {
            model: { provider: 'openai', modelId },
            connector: { permissions: { [tool]: level } },
          });
          const conversation = await startConversation(bob, agentId);
          const turn = await say(bob, conversation, `Use ${tool}`);
          expect(turn.status).toBe(200);
          const offered = (model.doStreamCalls[0].tools ?? []).map((entry) => entry.name);
          const step = turn.body.message.steps[0];
          expect(step.tool).toBe(tool);
          if (level === 'disabled') {
            expect(offered).not.toContain(tool);
            expect(step.status).toBe('refused');
            expect(turn.body.status).toBe('complete');
            expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toMatchObject({
              errorCode: 'TOOL_DISABLED',
            });
            const refusals = await auditEvents('agent.tool_call.refused');
            expect(
              refusals.some((event) => event.detail.agentId === agentId && event.detail.tool === tool),
            ).toBe(true);
          } else if (level === 'needs_approval') {
            expect(offered).toContain(tool);
            expect(turn.body.status).toBe('awaiting_approval');
            expect(step.status).toBe('awaiting_approval');
            expect(model.doStreamCalls.length).toBe(1);
            const approval = approvalOf(turn);
            expect(approval).toMatchObject({ tool, input });
            const approved = await decide(bob, conversation, approval, 'approve');
            expect(approved.status).toBe(200);
            expect(approved.body.status).toBe('complete');
            expect(approved.body.message.steps[0].status).toBe('ok');
            expect(approved.body.message.text).toBe('Done.');
          } else {
            expect(offered).toContain(tool);
            expect(step.status).toBe('ok');
            expect(step.durationMs).toBeGreaterThanOrEqual(0);
            expect(step.live).toBe(true);
            if (tool === 'get_record') {
              // The record form: text, `Type Id Name` first.
              expect(step.result).toMatch(new RegExp(`^Task ${input.id}\n`));
              expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toBe(step.result);
            } else expect(step.result.ok).toBe(true);
            expect(turn.body.message.text).toBe('Done.');
          }
          if (level !== 'disabled') {
            const calls = (await auditEvents('agent.tool_call')).filter(
              (event) => event.detail.agentId === agentId,
            );
            expect(calls).toHaveLength(1);
            expect(calls[0]).toMatchObject({
              actorUserId: expect.any(String),
              connectionId: bobConnection,
              surface: 'agent',
              outcome: 'success',
            });
          }
        });
      }
    }
  });

  it('refuses and audits a call to a disabled tool the model was never offered', async () => {
    const { emulator, board, alice, bob, bobConnection, auditEvents } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Keep me' });
    const model = board.set(
      'mock-rogue',
      callThenAnswer([
        { toolName: 'delete_record', input: { objectType: 'Task', id: taskId } },
        { toolName: 'drop_database', input: {} },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-rogue' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Delete it');
    expect((model.doStreamCalls[0].tools ?? []).map((entry) => entry.name)).not.toContain('delete_record');
    expect(turn.body.message.steps.map((step: { status: string }) => step.status)).toEqual([
      'refused',
      'refused',
    ]);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(1);
    const refused = (await auditEvents('agent.tool_call.refused')).filter(
      (event) => event.detail.agentId === agentId,
    );
    expect(refused.map((event) => event.detail.tool).sort()).toEqual(['delete_record', 'drop_database']);
    expect(refused[0]).toMatchObject({ outcome: 'denied', surface: 'agent', connectionId: bobConnection });
  });
});
