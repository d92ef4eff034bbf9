import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { ApiError, api } from '../lib/api.ts';
import { isTranscriptFile, isTranscriptText, MAX_TRANSCRIPT_BYTES } from '../lib/transcripts.ts';
import { Modal } from './modal.tsx';
import { ErrorBanner } from './status.tsx';
import { useToast } from './toaster.tsx';
import { TranscriptImportForm } from './transcript-import-form.tsx';

interface PathError {
  path: string;
  message: string;
}

/** The request body limit of the API (256 KiB), checked here to say so before uploading. */
const MAX_FILE_BYTES = 256 * 1024;

/** A transcript on its way in: an uploaded file (with its name) or pasted text. */
interface PendingTranscript {
  fileName?: string;
  content: string;
}

/**
 * Import meetings from the documented JSON format (docs/meeting.schema.json), pasted or
 * uploaded. The service validates the whole file and imports nothing when anything is wrong;
 * its problems are listed by path. A transcript (.vtt, .srt, .txt, Fireflies or Google Meet
 * JSON), uploaded or pasted, is previewed (speakers and who they are) and imported as one
 * meeting instead.
 */
export function ImportMeetingsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [mode, setMode] = useState('paste');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [localError, setLocalError] = useState<string>();
  const [transcript, setTranscript] = useState<PendingTranscript>();
  const queryClient = useQueryClient();
  const toast = useToast();
  const textId = useId();
  const textHintId = useId();
  const fileHintId = useId();
  const fileId = useId();
  const pastedTranscript = useMemo(() => isTranscriptText(text), [text]);

  const importing = useMutation({
    mutationFn: (document: unknown) =>
      api<{ meetings: Array<{ id: string; title: string }> }>('/meetings/import', {
        method: 'POST',
        body: document,
      }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['meetings'] });
      const count = answer.meetings.length;
      toast({ title: count === 1 ? 'Meeting imported' : `${count} meetings imported`, tone: 'success' });
      close();
    },
  });

  function close() {
    setText('');
    setFileName(undefined);
    setTranscript(undefined);
    setLocalError(undefined);
    importing.reset();
    onOpenChange(false);
  }

  async function readFile(file: File | undefined) {
    setLocalError(undefined);
    importing.reset();
    setTranscript(undefined);
    if (!file) return;
    if (file.size > MAX_TRANSCRIPT_BYTES) {
      setLocalError(`${file.name} is larger than 2 MB, the limit for a transcript.`);
      return;
    }
    const content = await file.text();
    if (isTranscriptFile(file.name, content)) {
      setTranscript({ fileName: file.name, content });
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      setLocalError(`${file.name} is larger than 256 KB. Split it into smaller files.`);
      return;
    }
    setFileName(file.name);
    setText(content);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setLocalError(undefined);
    if (pastedTranscript) {
      if (new Blob([text]).size > MAX_TRANSCRIPT_BYTES) {
        setLocalError('The pasted transcript is larger than 2 MB, the limit for a transcript.');
        return;
      }
      importing.reset();
      setTranscript({ content: text });
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      setLocalError(`This is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    importing.mutate(document);
  }

  const apiError = importing.error;
  const pathErrors =
    apiError instanceof ApiError && Array.isArray(apiError.details?.errors)
      ? (apiError.details.errors as PathError[])
      : [];

  return (
    <Modal
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title="Import meetings"
      description="Paste or upload meetings or a transcript. Nothing is imported unless the whole file is valid."
      wide
    >
      {transcript ? (
        <>
          {transcript.fileName ? (
            <p>
              Transcript <strong>{transcript.fileName}</strong>{' '}
              <button type="button" className="link-button" onClick={() => setTranscript(undefined)}>
                Choose another file
              </button>
            </p>
          ) : (
            <p>
              Pasted transcript{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setTranscript(undefined);
                  setMode('paste');
                }}
              >
                Edit the pasted text
              </button>
            </p>
          )}
          <TranscriptImportForm
            fileName={transcript.fileName}
            content={transcript.content}
            onCancel={close}
            onImported={close}
          />
        </>
      ) : (
        <form onSubmit={submit} className="stack">
          <Tabs.Root value={mode} onValueChange={setMode}>
            <Tabs.List className="tabs" aria-label="How to import">
              <Tabs.Trigger className="tab" value="paste">
                Paste
              </Tabs.Trigger>
              <Tabs.Trigger className="tab" value="upload">
                Upload a file
              </Tabs.Trigger>
            </Tabs.List>
            <Tabs.Content value="paste" className="field">
              <label htmlFor={textId}>Meeting JSON or transcript</label>
              <textarea
                id={textId}
                rows={12}
                className="code-input"
                spellCheck={false}
                aria-describedby={textHintId}
                value={text}
                onChange={(event) => {
                  setText(event.target.value);
                  setFileName(undefined);
                }}
                placeholder={
                  '{ "title": "…", "startTime": "2027-02-01T15:00:00Z", "endTime": "…", "participants": [], "items": [] }\n\nor a transcript:\n\nWEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana Lee>Thanks for joining.</v>'
                }
              />
              <p id={textHintId} className="muted" aria-live="polite">
                {pastedTranscript
                  ? 'This reads as a transcript: its speakers are shown before anything is imported.'
                  : 'One meeting or { "meetings": [...] } in Forcefield’s meeting JSON, or a transcript (WebVTT, SRT, “Name: text” turns, Otter text, Fireflies or Google Meet JSON).'}
              </p>
            </Tabs.Content>
            <Tabs.Content value="upload" className="field">
              <label htmlFor={fileId}>Meeting JSON or transcript file</label>
              <input
                id={fileId}
                type="file"
                accept="application/json,.json,.vtt,.srt,.txt,text/vtt,text/plain"
                aria-describedby={fileHintId}
                onChange={(event) => void readFile(event.target.files?.[0])}
              />
              <p id={fileHintId} className="muted">
                {fileName
                  ? `Read ${fileName}. Check it in “Paste” if you like.`
                  : 'A meeting JSON file (.json) or a transcript (.vtt, .srt, .txt, or a Fireflies or Google Meet .json export).'}
              </p>
            </Tabs.Content>
          </Tabs.Root>
          {localError ? <ErrorBanner title="Nothing was imported">{<p>{localError}</p>}</ErrorBanner> : null}
          {apiError ? (
            <ErrorBanner title={apiError.message}>
              {pathErrors.length > 0 ? (
                <ul className="path-errors">
                  {pathErrors.map((problem) => (
                    <li key={`${problem.path}:${problem.message}`}>
                      <code>{problem.path === '' ? '(document)' : problem.path}</code>: {problem.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </ErrorBanner>
          ) : null}
          <div className="dialog-actions dialog-actions-sticky">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={importing.isPending || text.trim() === ''}
            >
              {importing.isPending ? 'Importing…' : pastedTranscript ? 'Preview transcript' : 'Import'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
