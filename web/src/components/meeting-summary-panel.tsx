import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Sparkles } from 'lucide-react';
import { api } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import type { Meeting } from '../lib/types.ts';
import { ErrorBanner } from './status.tsx';
import { useToast } from './toaster.tsx';

const KIND_NAMES: Record<string, string> = {
  insight: 'Insight',
  decision: 'Decision',
  next_step: 'Next step',
  task: 'Task',
};

/**
 * The summary of a meeting made from a transcript: Summarize asks the workspace's model; the
 * overview, who made it, and how many items were kept, flagged and dropped (with why).
 */
export function MeetingSummaryPanel({ meeting }: { meeting: Meeting }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const summary = meeting.summary ?? null;
  const summarise = useMutation({
    mutationFn: (force: boolean) =>
      api<{ outcome: unknown; meeting: Meeting }>(`/meetings/${encodeURIComponent(meeting.id)}/summarise`, {
        method: 'POST',
        body: { force },
      }),
    onSuccess: (answer) => {
      queryClient.setQueryData(['meeting', meeting.id], { meeting: answer.meeting });
      void queryClient.invalidateQueries({ queryKey: ['meetings'] });
      toast({ title: 'Meeting summarized', tone: 'success' });
    },
  });
  if (!meeting.transcript) return null;
  return (
    <section className="card meeting-summary" aria-labelledby="summary-title">
      <div className="card-header">
        <h2 id="summary-title">Summary</h2>
        {meeting.canShare ? (
          <button
            type="button"
            className={`button${summary ? '' : ' button-primary'}`}
            disabled={summarise.isPending}
            onClick={() => summarise.mutate(summary !== null)}
          >
            <Sparkles aria-hidden size={16} />
            {summarise.isPending ? 'Summarizing…' : summary ? 'Summarize again' : 'Summarize'}
          </button>
        ) : null}
      </div>
      {summarise.error ? <ErrorBanner title="Nothing was changed" error={summarise.error} /> : null}
      {summary ? (
        <>
          <p>{summary.overview}</p>
          <p className="muted">
            {summary.kept} kept · {summary.flagged} flagged · {summary.dropped} dropped · by {summary.model} (
            {summary.promptVersion}), {formatDateTime(summary.createdAt)}
          </p>
          {summary.droppedItems.length > 0 ? (
            <details>
              <summary>Dropped items: their quotes are not in the transcript</summary>
              <ul>
                {summary.droppedItems.map((item) => (
                  <li key={`${item.kind}:${item.text}`}>
                    {KIND_NAMES[item.kind] ?? item.kind}: {item.text}{' '}
                    <span className="muted">({item.reasons.join('; ')})</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : (
        <p className="muted">
          Not summarized yet. Summarize asks the workspace's model for insights, decisions, next steps and
          tasks, each with the quotes that show it; quotes are checked against the transcript.
        </p>
      )}
    </section>
  );
}
