import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../lib/api.ts';
import type { ChatStep, StepStatus } from '../../lib/chat-types.ts';
import { toolName } from '../../lib/tool-names.ts';

export const STEP_STATUS_TEXT: Record<StepStatus, string> = {
  running: 'running',
  ok: 'ok',
  no_output_data: 'No output data',
  error: 'error',
  awaiting_approval: 'awaiting approval',
  rejected: 'rejected',
  refused: 'refused: the tool is disabled',
  expired: 'expired: nobody decided in time',
};

function duration(milliseconds: number | null): string {
  if (milliseconds === null) return '';
  // Durations are measured to fractions of a millisecond; a person reads whole ones.
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

/** What the step asked: the query or search text first, else the input as readable lines. */
function describeInput(input: unknown): string {
  if (input && typeof input === 'object') {
    const record = input as Record<string, unknown>;
    if (typeof record.soql === 'string') return record.soql;
    if (typeof record.query === 'string') return record.query;
    if (typeof record.term === 'string') return `Search: ${record.term}`;
  }
  return JSON.stringify(input, null, 2);
}

function StepDetails({
  conversationId,
  step,
  retentionMinutes,
}: {
  conversationId: string;
  step: ChatStep;
  retentionMinutes: number;
}) {
  const details = useQuery({
    queryKey: ['step', conversationId, step.id],
    queryFn: () =>
      api<{ step: ChatStep }>(
        `/conversations/${encodeURIComponent(conversationId)}/steps/${encodeURIComponent(step.id)}`,
      ),
    retry: false,
  });
  if (details.isPending) return <p className="muted">Loading the step…</p>;
  const gone = details.error instanceof ApiError && details.error.status === 410;
  if (gone || (details.data && !details.data.step.live)) {
    return (
      <p className="muted">
        Salesforce data is not kept: this step's query and results were held in memory for {retentionMinutes}{' '}
        minutes after the conversation's last activity, and are gone.
      </p>
    );
  }
  if (details.isError) return <p className="field-error">{details.error.message}</p>;
  const live = details.data?.step;
  return (
    <div className="step-details">
      <p className="step-label">Query</p>
      <pre className="step-code">{describeInput(live?.input)}</pre>
      {live?.result !== undefined ? (
        <>
          <p className="step-label">Results</p>
          <pre className="step-code">
            {typeof live.result === 'string' ? live.result : JSON.stringify(live.result, null, 2)}
          </pre>
        </>
      ) : null}
      <p className="muted">
        Held in memory only, for {retentionMinutes} minutes after the last activity; never stored.
      </p>
    </div>
  );
}

/** One step; its query and results are fetched only when a person opens it. */
function StepItem({
  conversationId,
  step,
  retentionSeconds,
}: {
  conversationId: string;
  step: ChatStep;
  retentionSeconds: number;
}) {
  const [open, setOpen] = useState(false);
  return (
    <li className={`step step-${step.status}`}>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>
          <span className="step-tool">{toolName(step.tool)}</span>
          {step.objectType ? <span className="step-object">{step.objectType}</span> : null}
          <span className="step-status">{STEP_STATUS_TEXT[step.status]}</span>
          {step.durationMs !== null ? <span className="muted">{duration(step.durationMs)}</span> : null}
        </summary>
        {step.reason ? <p className="step-reason">{step.reason}</p> : null}
        {step.recordIds.length > 0 ? (
          <p className="muted">
            Records: <code>{step.recordIds.join(', ')}</code>
          </p>
        ) : null}
        {open ? (
          <StepDetails
            conversationId={conversationId}
            step={step}
            retentionMinutes={Math.round(retentionSeconds / 60)}
          />
        ) : null}
      </details>
    </li>
  );
}

/** Each assistant turn's steps, collapsed: tool, object, status and duration; open a step for its query and results. */
export function AnalyzedSources({
  conversationId,
  steps,
  retentionSeconds,
}: {
  conversationId: string;
  steps: ChatStep[];
  retentionSeconds: number;
}) {
  if (steps.length === 0) return null;
  return (
    <details className="analyzed-sources">
      <summary>
        Analyzed sources <span className="muted">({steps.length})</span>
      </summary>
      <ol className="step-list">
        {steps.map((step) => (
          <StepItem
            key={step.id}
            conversationId={conversationId}
            step={step}
            retentionSeconds={retentionSeconds}
          />
        ))}
      </ol>
    </details>
  );
}
