import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useDeferredValue, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../lib/api.ts';
import { fromLocalInput } from '../lib/format.ts';
import { useUser } from '../lib/session.tsx';
import { contentFingerprint, formatOffset } from '../lib/transcripts.ts';
import type { TranscriptPreview } from '../lib/types.ts';
import { ErrorBanner, LoadingBlock } from './status.tsx';
import { useToast } from './toaster.tsx';

interface Participant {
  name: string;
  email: string;
  internal: boolean;
}

const FORMAT_NAMES: Record<string, string> = {
  webvtt: 'WebVTT',
  srt: 'SubRip (SRT)',
  plain_text: 'Plain text',
  otter_text: 'Otter text export',
  fireflies_json: 'Fireflies JSON',
  google_meet_json: 'Google Meet JSON',
};

/**
 * "Name <email>" (or a bare email) a line → participants; people of the signed-in person's own
 * email domain are their team. Lines that are not that shape are reported, not dropped silently.
 */
export function parseParticipants(
  text: string,
  ownDomain: string,
): { participants: Participant[]; problems: string[] } {
  const participants: Participant[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const match = /^(?:(.+?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/.exec(line);
    if (!match) {
      problems.push(`Line ${index + 1}: write “Name <email>” or an email address.`);
      return;
    }
    const email = (match[2] ?? match[3]).toLowerCase();
    const name = match[1]?.trim() || email.split('@')[0];
    participants.push({ name, email, internal: email.split('@')[1] === ownDomain });
  });
  return { participants, problems };
}

function stem(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '');
}

/**
 * A transcript in the Import dialog (a file, or pasted text without a file name): the detected
 * format and speakers (and which participant each is) before anything is stored, then Import makes
 * the meeting and opens it.
 */
export function TranscriptImportForm({
  fileName,
  content,
  onCancel,
  onImported,
}: {
  fileName?: string;
  content: string;
  onCancel: () => void;
  onImported: () => void;
}) {
  const user = useUser();
  const ownDomain = user.email.split('@')[1] ?? '';
  const [title, setTitle] = useState(() => (fileName ? stem(fileName) : ''));
  const fingerprint = useMemo(() => contentFingerprint(content), [content]);
  const [start, setStart] = useState('');
  const [participantsText, setParticipantsText] = useState('');
  // Line problems show once the person leaves the box, not at every keystroke of a half-typed line.
  const [participantsLeft, setParticipantsLeft] = useState(false);
  const deferredParticipants = useDeferredValue(participantsText);
  const { participants, problems } = parseParticipants(deferredParticipants, ownDomain);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const ids = { title: useId(), start: useId(), participants: useId(), hint: useId() };

  const preview = useQuery({
    queryKey: ['transcript-preview', fileName, fingerprint, participants],
    queryFn: () =>
      api<{ preview: TranscriptPreview }>('/meetings/transcripts/preview', {
        method: 'POST',
        body: { transcript: { content, fileName }, participants },
      }),
    select: (answer) => answer.preview,
    retry: false,
    placeholderData: (previous) => previous,
  });

  const importing = useMutation({
    mutationFn: () =>
      api<{ meeting: { id: string; title: string } }>('/meetings/transcripts', {
        method: 'POST',
        body: {
          title: title.trim() || undefined,
          ...(start ? { startTime: fromLocalInput(start) } : {}),
          participants,
          transcript: { content, fileName },
        },
      }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['meetings'] });
      toast({ title: 'Meeting imported from the transcript', tone: 'success' });
      onImported();
      navigate(`/meetings/${encodeURIComponent(answer.meeting.id)}`);
    },
  });

  const needsStart = preview.data ? preview.data.startedAt === null : true;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (problems.length > 0 || !preview.data || (needsStart && !start)) return;
    importing.mutate();
  }

  return (
    <form onSubmit={submit} className="stack" aria-label="Import a transcript">
      {preview.isPending ? <LoadingBlock label="Reading the transcript" /> : null}
      {preview.isError ? <ErrorBanner title={preview.error.message} /> : null}
      {preview.data ? <PreviewSummary preview={preview.data} /> : null}
      <div className="form-grid">
        <div className="field field-wide">
          <label htmlFor={ids.title}>Title</label>
          <input
            id={ids.title}
            value={title}
            maxLength={255}
            placeholder={fileName ? undefined : 'Imported transcript'}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        {needsStart ? (
          <div className="field">
            <label htmlFor={ids.start}>
              Started at<span aria-hidden> *</span>
            </label>
            <input
              id={ids.start}
              type="datetime-local"
              required
              value={start}
              onChange={(event) => setStart(event.target.value)}
            />
          </div>
        ) : null}
        <div className="field field-wide">
          <label htmlFor={ids.participants}>Participants</label>
          <textarea
            id={ids.participants}
            rows={4}
            aria-describedby={ids.hint}
            value={participantsText}
            onChange={(event) => setParticipantsText(event.target.value)}
            onBlur={() => setParticipantsLeft(true)}
            aria-invalid={participantsLeft && problems.length > 0 ? true : undefined}
            placeholder={'Dana Lee <dana@pinecrest.example>\nBob Member <bob@forcefield.demo>'}
          />
          <p id={ids.hint} className="muted">
            One “Name &lt;email&gt;” a line; speakers are matched to them. People at @{ownDomain} are your
            team, everyone else external.
          </p>
          {(participantsLeft ? problems : []).map((problem) => (
            <p key={problem} className="field-error">
              {problem}
            </p>
          ))}
        </div>
      </div>
      {importing.error ? <ErrorBanner title={importing.error.message} /> : null}
      <div className="dialog-actions dialog-actions-sticky">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={importing.isPending || !preview.data || problems.length > 0 || (needsStart && !start)}
        >
          {importing.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
    </form>
  );
}

function PreviewSummary({ preview }: { preview: TranscriptPreview }) {
  return (
    <section className="card transcript-preview" aria-label="Transcript preview">
      <p>
        {FORMAT_NAMES[preview.format] ?? preview.format} · {preview.utteranceCount}{' '}
        {preview.utteranceCount === 1 ? 'line' : 'lines'}
        {preview.durationSeconds !== null ? ` · ${formatOffset(preview.durationSeconds)} long` : ''}
      </p>
      <table className="table">
        <caption className="visually-hidden">Detected speakers</caption>
        <thead>
          <tr>
            <th scope="col">Speaker</th>
            <th scope="col">Lines</th>
            <th scope="col">Participant</th>
          </tr>
        </thead>
        <tbody>
          {preview.speakers.map((speaker) => (
            <tr key={speaker.speaker}>
              <td>{speaker.speaker}</td>
              <td>{speaker.utterances}</td>
              <td>
                {speaker.participant
                  ? `${speaker.participant.name} (${speaker.participant.email})`
                  : 'Not matched'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.speakers.length === 0 ? <p className="muted">The file names no speakers.</p> : null}
    </section>
  );
}
