import { Link } from 'react-router';
import {
  type AgentModel,
  MODEL_PROVIDER_KINDS,
  type ModelProviderKind,
  PROVIDER_LABELS,
  useModelProviders,
} from '../../lib/agents.ts';

function selectValueOf(model: AgentModel): string {
  return model.providerId ? `provider:${model.providerId}` : `env:${model.provider}`;
}

/** Provider (added in Settings → Models, or from the server's environment) and the model id. */
export function ModelFields({
  id,
  model,
  onChange,
  readOnly,
  linkToModels = true,
}: {
  id: string;
  model: AgentModel;
  onChange: (model: AgentModel) => void;
  readOnly: boolean;
  /** The hint that links to Settings → Models: off where the fields are on that page already. */
  linkToModels?: boolean;
}) {
  const providers = useModelProviders(!readOnly);
  const added = providers.data?.providers ?? [];
  const environment = providers.data?.environment ?? [];
  const options = [
    ...added.map((provider) => ({
      value: `provider:${provider.id}`,
      label: `${provider.name} (${PROVIDER_LABELS[provider.kind]})`,
    })),
    ...MODEL_PROVIDER_KINDS.map((kind) => ({
      value: `env:${kind}`,
      label: `${PROVIDER_LABELS[kind]} from the server settings${environment.includes(kind) ? '' : ' (not configured)'}`,
    })),
  ];
  const current = selectValueOf(model);
  if (!options.some((option) => option.value === current))
    options.unshift({ value: current, label: `${PROVIDER_LABELS[model.provider]} (removed provider)` });

  function choose(value: string) {
    if (value.startsWith('provider:')) {
      const provider = added.find((entry) => `provider:${entry.id}` === value);
      if (provider) onChange({ provider: provider.kind, providerId: provider.id, modelId: model.modelId });
    } else {
      onChange({ provider: value.slice('env:'.length) as ModelProviderKind, modelId: model.modelId });
    }
  }

  return (
    <div className="form-grid">
      <div className="field">
        <label htmlFor={`${id}-provider`}>Model provider</label>
        {readOnly ? (
          <input id={`${id}-provider`} value={PROVIDER_LABELS[model.provider]} readOnly />
        ) : (
          <select id={`${id}-provider`} value={current} onChange={(event) => choose(event.target.value)}>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        )}
        {!readOnly && linkToModels ? (
          <span className="hint">
            {/* One text run: the hint lays out its children as flex items. */}
            <span>
              Add providers and test them in <Link to="/settings/models">Settings → Models</Link>.
            </span>
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-model`}>Model</label>
        <input
          id={`${id}-model`}
          value={model.modelId}
          readOnly={readOnly}
          required
          maxLength={200}
          placeholder="e.g. gpt-4.1"
          onChange={(event) => onChange({ ...model, modelId: event.target.value })}
        />
      </div>
    </div>
  );
}
