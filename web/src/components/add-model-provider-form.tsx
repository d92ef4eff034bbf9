import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  MODEL_PROVIDER_KINDS,
  type ModelProvider,
  type ModelProviderKind,
  PROVIDER_LABELS,
} from '../lib/agents.ts';
import { ApiError, api } from '../lib/api.ts';
import { ErrorBanner } from './status.tsx';
import { useToast } from './toaster.tsx';

/** Adds OpenAI, Anthropic, Google or an OpenAI-compatible endpoint; the key goes one way, to the server. */
export function AddModelProviderForm() {
  const id = useId();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [kind, setKind] = useState<ModelProviderKind>('openai');
  const [name, setName] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const compatible = kind === 'openai_compatible';
  const add = useMutation({
    mutationFn: () =>
      api<{ provider: ModelProvider }>('/model-providers', {
        method: 'POST',
        body: {
          kind,
          name: name.trim() || PROVIDER_LABELS[kind],
          ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
          ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        },
      }),
    onSuccess: async (answer) => {
      // The key leaves the page's memory as soon as the server has it.
      setApiKey('');
      setName('');
      setBaseUrl('');
      toast({ title: `${answer.provider.name} added`, tone: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['model-providers'] });
    },
  });
  const issues =
    add.error instanceof ApiError
      ? (add.error.details?.issues as Array<{ path?: string; message: string }> | undefined)
      : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a provider</h2>
      {add.isError ? (
        <ErrorBanner title="The provider was not added" error={add.error}>
          {issues?.length ? (
            <ul>
              {issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
              ))}
            </ul>
          ) : null}
        </ErrorBanner>
      ) : null}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Provider</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(event) => setKind(event.target.value as ModelProviderKind)}
          >
            {MODEL_PROVIDER_KINDS.map((option) => (
              <option key={option} value={option}>
                {PROVIDER_LABELS[option]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={100}
            placeholder={PROVIDER_LABELS[kind]}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        {compatible ? (
          <div className="field">
            <label htmlFor={`${id}-base-url`}>Base URL</label>
            <input
              id={`${id}-base-url`}
              type="url"
              required
              value={baseUrl}
              placeholder="http://127.0.0.1:11434/v1"
              onChange={(event) => setBaseUrl(event.target.value)}
            />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-key`}>API key{compatible ? ' (optional for local servers)' : ''}</label>
          <input
            id={`${id}-key`}
            type="password"
            autoComplete="off"
            required={!compatible}
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
          <span className="hint">Stored encrypted. Forcefield never shows it again.</span>
        </div>
      </div>
      <div className="dialog-actions">
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add provider'}
        </button>
      </div>
    </form>
  );
}
