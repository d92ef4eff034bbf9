import { useQuery } from '@tanstack/react-query';
import { FileText } from 'lucide-react';
import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { formatOffset, utteranceAnchor } from '../lib/transcripts.ts';
import type { Utterance } from '../lib/types.ts';
import { ErrorBanner, LoadingBlock } from './status.tsx';

/**
 * Scrolls to a transcript line and moves focus there (so keyboard and screen-reader users land on
 * it too); the URL keeps the line's anchor for sharing.
 */
export function jumpToUtterance(index: number): void {
  const target = document.getElementById(utteranceAnchor(index));
  if (!target) return;
  history.replaceState(history.state, '', `#${utteranceAnchor(index)}`);
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}

/** The meeting's transcript as an anchored list of utterances (who, when, what). */
export function TranscriptView({ meetingId }: { meetingId: string }) {
  const transcript = useQuery({
    queryKey: ['meeting-transcript', meetingId],
    queryFn: () =>
      api<{ transcript: { utterances: Utterance[] } | null }>(
        `/meetings/${encodeURIComponent(meetingId)}/transcript`,
      ),
    select: (answer) => answer.transcript?.utterances ?? [],
    staleTime: Number.POSITIVE_INFINITY,
  });
  // A link to a moment (`…/meetings/:id#utterance-12`, as a Salesforce Description carries) lands on it.
  const loaded = transcript.data !== undefined;
  useEffect(() => {
    const match = /^#utterance-(\d+)$/.exec(window.location.hash);
    if (loaded && match) jumpToUtterance(Number(match[1]) - 1);
  }, [loaded]);
  return (
    <section className="card transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title">
        <FileText aria-hidden size={16} /> Transcript
      </h2>
      {transcript.isPending ? <LoadingBlock label="Loading the transcript" /> : null}
      {transcript.isError ? (
        <ErrorBanner title="The transcript could not be loaded" error={transcript.error} />
      ) : null}
      {transcript.data ? (
        <ol className="utterances" aria-label="Transcript lines">
          {transcript.data.map((utterance, index) => (
            <li
              // Lines never reorder; their position is their identity (and the evidence's index).
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={index}
              id={utteranceAnchor(index)}
              className="utterance"
              tabIndex={-1}
            >
              <span className="utterance-time muted">{formatOffset(utterance.start)}</span>
              <span className="utterance-speaker">{utterance.speaker ?? 'Unknown speaker'}</span>
              <span className="utterance-text">{utterance.text}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
