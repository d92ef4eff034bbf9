import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { type AgentModel, PROVIDER_LABELS, useModelProviders } from '../lib/agents.ts';
import { api } from '../lib/api.ts';
import { ModelFields } from './agents/model-fields.tsx';
import { ErrorBanner, LoadingBlock } from './status.tsx';
import { useToast } from './toaster.tsx';

interface SummarySettings {
  model: AgentModel | null;
}

const SETTINGS_KEY = ['meetings', 'summary-settings'];

/** "Local server (OpenAI-compatible) / llama3.1:8b", or the provider kind when it was removed. */
function modelLabel(model: AgentModel, providers: ReadonlyArray<{ id: string; name: string }>): string {
  const added = model.providerId ? providers.find((provider) => provider.id === model.providerId) : undefined;
  const provider = model.providerId
    ? added
      ? `${added.name} (${PROVIDER_LABELS[model.provider]})`
      : `${PROVIDER_LABELS[model.provider]} (removed provider)`
    : `${PROVIDER_LABELS[model.provider]} from the server settings`;
  return `${provider} / ${model.modelId}`;
}

/**
 * Settings → Models: which model summarises meeting transcripts (PUT /api/meetings/summary-settings,
 * admins only; the server checks the role and that the provider exists).
 */
export function SummaryModelSection() {
  const id = useId();
  const queryClient = useQueryClient();
  const toast = useToast();
  const providers = useModelProviders();
  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: () => api<{ settings: SummarySettings }>('/meetings/summary-settings'),
    select: (answer) => answer.settings,
  });
  // The form's own choice once the person changes something; until then, what is saved.
  const [draft, setDraft] = useState<AgentModel>();
  const added = providers.data?.providers ?? [];
  const saved = settings.data?.model ?? null;
  const firstAdded = added[0];
  const model: AgentModel =
    draft ??
    saved ??
    (firstAdded
      ? { provider: firstAdded.kind, providerId: firstAdded.id, modelId: '' }
      : { provider: 'openai_compatible', modelId: '' });

  const save = useMutation({
    mutationFn: (chosen: AgentModel) =>
      api<{ settings: SummarySettings }>('/meetings/summary-settings', {
        method: 'PUT',
        body: { model: { ...chosen, modelId: chosen.modelId.trim() } },
      }),
    onSuccess: async (answer) => {
      queryClient.setQueryData(SETTINGS_KEY, answer);
      setDraft(undefined);
      toast({ title: 'Meeting summary model saved', tone: 'success' });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(model);
  }

  return (
    <section aria-labelledby={`${id}-title`} className="integration-section">
      <h2 id={`${id}-title`}>Meeting summaries</h2>
      {settings.isPending || providers.isPending ? <LoadingBlock label="Loading the summary model" /> : null}
      {settings.isError ? (
        <ErrorBanner title="The summary model could not be loaded" error={settings.error} />
      ) : null}
      {settings.data ? (
        <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
          <p>
            Meeting summaries use: <strong>{saved ? modelLabel(saved, added) : 'no model chosen yet'}</strong>
          </p>
          <ModelFields
            id={`${id}-model`}
            model={model}
            onChange={setDraft}
            readOnly={false}
            linkToModels={false}
          />
          {save.error ? <ErrorBanner title="Not saved" error={save.error} /> : null}
          <div className="dialog-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={save.isPending || model.modelId.trim() === ''}
            >
              {save.isPending ? 'Saving…' : 'Save summary model'}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
