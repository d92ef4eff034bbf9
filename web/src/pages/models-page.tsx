import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, Cpu, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { AddModelProviderForm } from '../components/add-model-provider-form.tsx';
import { ConfirmDialog } from '../components/modal.tsx';
import { SettingsNav } from '../components/settings-nav.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { SummaryModelSection } from '../components/summary-model-section.tsx';
import { useToast } from '../components/toaster.tsx';
import {
  MODEL_PROVIDER_KINDS,
  type ModelProvider,
  PROVIDER_LABELS,
  useModelProviders,
} from '../lib/agents.ts';
import { ApiError, api, errorMessage } from '../lib/api.ts';
import { formatRelative } from '../lib/format.ts';

interface TestAnswer {
  ok: boolean;
  modelId?: string;
  durationMs?: number;
  code?: string;
  message?: string;
  statusCode?: number;
}

/** The result of one tiny call: the server's own words for what failed (bad key, unreachable host…). */
function TestResult({ result }: { result: TestAnswer }) {
  return (
    <p className={result.ok ? 'check-ok' : 'check-bad'} role="status">
      {result.ok ? <CircleCheck aria-hidden size={16} /> : <CircleAlert aria-hidden size={16} />}
      <span>
        {result.ok
          ? `${result.modelId ?? 'The model'} answered${result.durationMs === undefined ? '' : ` in ${result.durationMs} ms`}.`
          : (result.message ?? 'The test failed.')}
        {!result.ok && result.code ? <span className="muted"> ({result.code})</span> : null}
      </span>
    </p>
  );
}

function ProviderCard({ provider }: { provider: ModelProvider }) {
  const id = useId();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [modelId, setModelId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const path = `/model-providers/${encodeURIComponent(provider.id)}`;
  const test = useMutation({
    mutationFn: async (): Promise<TestAnswer> => {
      try {
        const answer = await api<{ test: TestAnswer }>(`${path}/test`, {
          method: 'POST',
          body: { modelId: modelId.trim() },
        });
        return answer.test;
      } catch (error) {
        // A refusal from the test endpoint is the answer itself (its code and message say why).
        if (error instanceof ApiError) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => api(path, { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      toast({ title: `${provider.name} removed`, tone: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['model-providers'] });
    },
    onError: (error) => {
      setConfirming(false);
      toast({ title: 'Not removed', description: errorMessage(error), tone: 'error' });
    },
  });
  return (
    <li className="card stack" aria-labelledby={`${id}-name`}>
      <div className="connection-head">
        <Cpu aria-hidden className="connection-icon" />
        <div className="connection-title">
          <h3 id={`${id}-name`}>{provider.name}</h3>
          <span className="badge badge-muted">{PROVIDER_LABELS[provider.kind]}</span>
        </div>
      </div>
      <dl className="facts">
        {provider.baseUrl ? (
          <div>
            <dt>Base URL</dt>
            <dd>{provider.baseUrl}</dd>
          </div>
        ) : null}
        <div>
          <dt>API key</dt>
          <dd>{provider.hasApiKey ? 'Stored (hidden)' : 'None'}</dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd>{formatRelative(provider.createdAt)}</dd>
        </div>
      </dl>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          test.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-model`}>Model to test</label>
          <input
            id={`${id}-model`}
            required
            value={modelId}
            placeholder="e.g. gpt-4.1-mini"
            onChange={(event) => setModelId(event.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test'}
        </button>
        <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)}>
          <Trash2 aria-hidden size={16} />
          Remove
        </button>
      </form>
      {test.data ? <TestResult result={test.data} /> : null}
      {test.isError ? <ErrorBanner title="The test could not run" error={test.error} /> : null}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Remove ${provider.name}?`}
        description="Its key is deleted. Agents and the meeting summary model that use it must be changed first."
        confirmLabel="Remove"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </li>
  );
}

/** Settings → Models (admins): the model providers agents can use, and the meeting summary model. */
export default function ModelsPage() {
  const providers = useModelProviders();
  const environment = providers.data?.environment ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <SettingsNav />
      <p className="muted">
        Model providers that agents can use. Keys are stored encrypted and never shown again.
      </p>
      {providers.isPending ? <LoadingBlock label="Loading model providers" /> : null}
      {providers.isError ? (
        <ErrorBanner title="Model providers could not be loaded" error={providers.error} />
      ) : null}
      {providers.data ? (
        <section aria-labelledby="providers-title" className="integration-section">
          <h2 id="providers-title">Providers</h2>
          {providers.data.providers.length === 0 ? (
            <EmptyState icon={<Cpu />} title="No provider added yet">
              <p className="muted">Add one below, then pick it in an agent's Setup.</p>
            </EmptyState>
          ) : (
            <ul className="connection-list">
              {providers.data.providers.map((provider) => (
                <ProviderCard key={provider.id} provider={provider} />
              ))}
            </ul>
          )}
          <p className="muted">
            {environment.length === 0
              ? 'The server’s settings configure no provider: agents can use only the providers added here.'
              : `Also configured in the server’s settings: ${MODEL_PROVIDER_KINDS.filter((kind) =>
                  environment.includes(kind),
                )
                  .map((kind) => PROVIDER_LABELS[kind])
                  .join(', ')}.`}
          </p>
        </section>
      ) : null}
      <AddModelProviderForm />
      <SummaryModelSection />
    </div>
  );
}
