import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { describeAgentChanges } from '../../lib/agent-changes.ts';
import {
  type Agent,
  type AgentInput,
  type AgentModel,
  noConnector,
  useModelProviders,
} from '../../lib/agents.ts';
import { api } from '../../lib/api.ts';
import { useConnections } from '../../lib/connections.ts';
import { ErrorBanner } from '../status.tsx';
import { useToast } from '../toaster.tsx';
import { ConnectorsSection } from './connectors-section.tsx';
import { ModelFields } from './model-fields.tsx';

export function inputOf(agent: Agent): AgentInput {
  return {
    name: agent.name,
    instructions: agent.instructions,
    model: agent.model,
    connector: agent.connector,
  };
}

const NEW_AGENT: AgentInput = {
  name: '',
  instructions: '',
  model: { provider: 'openai', modelId: '' },
  connector: noConnector(),
};

/**
 * A new agent's provider until the admin picks one: the first provider added in Settings → Models,
 * else the first one the server's settings configure; never one that is not configured when a
 * configured one exists.
 */
function preferredModel(
  providers: ReturnType<typeof useModelProviders>['data'],
  modelId: string,
): AgentModel | undefined {
  const added = providers?.providers[0];
  if (added) return { provider: added.kind, providerId: added.id, modelId };
  const environment = providers?.environment[0];
  return environment ? { provider: environment, modelId } : undefined;
}

/** The Setup tab: admins edit and save (and see what changed); members read. */
export function AgentSetupForm({ agent, readOnly }: { agent: Agent | undefined; readOnly: boolean }) {
  const id = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const connections = useConnections();
  const saved = agent ? inputOf(agent) : NEW_AGENT;
  const [edited, setDraft] = useState<AgentInput>(saved);
  const providers = useModelProviders(!readOnly && !agent);
  const [modelChosen, setModelChosen] = useState(agent !== undefined);
  const suggested = modelChosen ? undefined : preferredModel(providers.data, edited.model.modelId);
  const draft = suggested ? { ...edited, model: suggested } : edited;
  const [changes, setChanges] = useState<string[] | null>(null);
  const connectionName = (connectionId: string | undefined) =>
    connections.data?.find((connection) => connection.id === connectionId)?.name ?? 'none';
  const pending = describeAgentChanges(saved, draft, connectionName);

  const save = useMutation({
    mutationFn: (input: AgentInput) =>
      agent
        ? api<{ agent: Agent }>(`/agents/${encodeURIComponent(agent.id)}`, { method: 'PUT', body: input })
        : api<{ agent: Agent }>('/agents', { method: 'POST', body: input }),
    onSuccess: async (answer, input) => {
      setChanges(
        agent ? describeAgentChanges(saved, input, connectionName) : [`Created ${answer.agent.name}`],
      );
      queryClient.setQueryData(['agents', answer.agent.id], { agent: answer.agent });
      await queryClient.invalidateQueries({ queryKey: ['agents'], exact: true });
      if (!agent) {
        toast({ title: `${answer.agent.name} created`, tone: 'success' });
        navigate(`/agents/${encodeURIComponent(answer.agent.id)}`, { replace: true });
      }
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChanges(null);
    save.mutate(draft);
  }

  const returnTo = agent ? `/agents/${encodeURIComponent(agent.id)}` : '/agents/new';
  return (
    <form className="stack agent-form" onSubmit={submit} aria-label="Agent setup">
      {changes ? (
        <div className="banner banner-success" role="status">
          <CircleCheck aria-hidden className="banner-icon" />
          <div>
            <p className="banner-title">{changes.length === 0 ? 'Saved: nothing changed' : 'Saved'}</p>
            {changes.length > 0 ? (
              <ul aria-label="What changed">
                {changes.map((change) => (
                  <li key={change}>{change}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : null}
      {readOnly ? (
        // First, not after the whole form: a member learns at once why nothing here can be changed.
        <p className="banner banner-info" role="note">
          Only admins can change an agent. You can chat with it.
        </p>
      ) : null}
      {save.isError ? <ErrorBanner title="The agent was not saved" error={save.error} /> : null}
      <section className="card stack" aria-labelledby={`${id}-basics`}>
        <h3 id={`${id}-basics`}>Agent</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={draft.name}
            readOnly={readOnly}
            required
            maxLength={100}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-instructions`}>Instructions</label>
          <textarea
            id={`${id}-instructions`}
            rows={6}
            value={draft.instructions}
            readOnly={readOnly}
            maxLength={20_000}
            placeholder="What this agent is for, and how it should answer."
            onChange={(event) => setDraft({ ...draft, instructions: event.target.value })}
          />
        </div>
        <ModelFields
          id={id}
          model={draft.model}
          readOnly={readOnly}
          onChange={(model) => {
            setModelChosen(true);
            setDraft({ ...draft, model });
          }}
        />
      </section>
      <ConnectorsSection
        connector={draft.connector}
        readOnly={readOnly}
        returnTo={returnTo}
        onChange={(connector) => setDraft({ ...draft, connector })}
      />
      {!readOnly ? (
        <div className="form-footer">
          <span className="muted" aria-live="polite">
            {agent && pending.length > 0
              ? `${pending.length} unsaved ${pending.length === 1 ? 'change' : 'changes'}`
              : ''}
          </span>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      ) : null}
    </form>
  );
}
