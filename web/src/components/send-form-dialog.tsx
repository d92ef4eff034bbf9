import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, api } from '../lib/api.ts';
import { fromLocalInput, timeZoneName, toLocalInput } from '../lib/format.ts';
import { quoteBlock, withQuote } from '../lib/transcripts.ts';
import type {
  Connection,
  FormField,
  FormValue,
  Meeting,
  MeetingItem,
  RecordHit,
  SendForm,
  SendKind,
  SendView,
} from '../lib/types.ts';
import { Modal } from './modal.tsx';
import { RecordPicker, type SelectedRecord } from './record-picker.tsx';
import { quoteField, SendEvidence } from './send-evidence.tsx';
import { ErrorBanner, LoadingBlock } from './status.tsx';
import { useToast } from './toaster.tsx';
import { UserPicker } from './user-picker.tsx';

const KIND_TITLES: Record<SendKind, string> = {
  note: 'Create note in Salesforce',
  task: 'Create task in Salesforce',
  event: 'Create event in Salesforce',
};

/** One-line texts that read better across the whole form. */
const WIDE_FIELDS = new Set(['subject', 'title']);

const KIND_NOUNS: Record<SendKind, string> = { note: 'Note', task: 'Task', event: 'Event' };

interface SendError {
  field: string | null;
  code: string;
  message: string;
}

/**
 * Answers that mean "the same send, a little later": the form tries again by itself with the same
 * idempotency key (which can only find or make the one record), a few times, when the wait is short.
 */
const AUTOMATIC_RETRIES = 3;
const AUTOMATIC_RETRY_MAX_SECONDS = 30;

function retryNoticeOf(error: ApiError, seconds: number): string | null {
  const when = seconds === 0 ? 'now' : `in ${seconds} s`;
  switch (error.code) {
    case 'send_retryable':
      return `Salesforce could not take the record just now (${String(error.details?.reason ?? 'busy')}); nothing was created. Trying again ${when}…`;
    case 'send_in_progress':
      return `This send is still under way. Checking again ${when}…`;
    case 'send_outcome_unknown':
      return `Salesforce has not confirmed the record yet. Checking again ${when}: the check finds the record if it exists and never creates a second one.`;
    default:
      return null;
  }
}

/** The wait before an automatic retry (seconds), or null when the person should decide. */
function automaticRetry(error: Error, retriesSoFar: number): { seconds: number; notice: string } | null {
  if (!(error instanceof ApiError) || retriesSoFar >= AUTOMATIC_RETRIES) return null;
  const seconds = Number(error.details?.retryAfterSeconds ?? 5);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > AUTOMATIC_RETRY_MAX_SECONDS) return null;
  const notice = retryNoticeOf(error, Math.ceil(seconds));
  return notice ? { seconds, notice } : null;
}

/** Once per form open, and again only after a refusal (nothing was created, so a new try is new). */
function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

function initialValue(field: FormField): string {
  const value = field.value ?? field.defaultValue;
  if (value === null || value === undefined) return '';
  if (field.type === 'datetime') return toLocalInput(String(value));
  return String(value);
}

function toApiValue(field: FormField, text: string): FormValue {
  if (text === '') return null;
  if (field.type === 'datetime') return fromLocalInput(text);
  if (field.type === 'integer') return Number(text);
  return text;
}

function FieldControl({
  field,
  value,
  onChange,
  error,
}: {
  field: FormField;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const id = useId();
  const labelId = `${id}-label`;
  const errorId = `${id}-error`;
  const common = {
    id,
    required: field.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  };
  let control: React.ReactNode;
  switch (field.type) {
    case 'textarea':
      control = (
        <textarea
          {...common}
          rows={5}
          maxLength={field.maxLength}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
    case 'picklist':
      control = (
        <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
          {field.required ? null : <option value="">--None--</option>}
          {(field.options ?? []).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'user':
      control = (
        <UserPicker
          id={id}
          labelId={labelId}
          options={(field.options ?? []).map((option) => ({ value: option.value, label: option.label }))}
          value={value}
          onChange={onChange}
          invalid={Boolean(error)}
          describedBy={error ? errorId : undefined}
          required={field.required}
        />
      );
      break;
    case 'date':
      control = (
        <input {...common} type="date" value={value} onChange={(event) => onChange(event.target.value)} />
      );
      break;
    case 'datetime':
      control = (
        <input
          {...common}
          type="datetime-local"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
    case 'integer':
      control = (
        <input
          {...common}
          type="number"
          step={1}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          maxLength={field.maxLength}
          list={field.options && field.options.length > 0 ? `${id}-options` : undefined}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
  }
  return (
    <div className={`field${WIDE_FIELDS.has(field.name) || field.type === 'textarea' ? ' field-wide' : ''}`}>
      <label id={labelId} htmlFor={id}>
        {field.label}
        {field.required ? (
          <span className="required" aria-hidden>
            {' '}
            *
          </span>
        ) : null}
        {field.type === 'datetime' ? <span className="label-hint"> ({timeZoneName()})</span> : null}
      </label>
      {control}
      {field.type !== 'user' && field.options && field.type !== 'picklist' ? (
        <datalist id={`${id}-options`}>
          {field.options.map((option) => (
            <option key={option.value} value={option.value} />
          ))}
        </datalist>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The creation form for one meeting item, built from the org's schema (the form description
 * API). Create makes exactly one record: the idempotency key is made once per form open and
 * reused for a double click or a retry, so the service answers the same record.
 */
export default function SendFormDialog({
  meeting,
  item,
  kind,
  connection,
  onClose,
}: {
  meeting: Meeting;
  item: MeetingItem;
  kind: SendKind;
  connection: Connection;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const recordErrorId = useId();
  const idempotencyKey = useRef(newIdempotencyKey());
  // A double click submits before React re-renders the pending state; this sees it at once.
  const submitting = useRef(false);
  // The last body sent, for an automatic retry of the very same send, and how many retries it had.
  const lastBody = useRef<unknown>(null);
  const retries = useRef(0);
  const retryTimer = useRef<number | undefined>(undefined);
  const [retryNotice, setRetryNotice] = useState<string | null>(null);
  useEffect(() => () => window.clearTimeout(retryTimer.current), []);
  const base = `/meetings/${encodeURIComponent(meeting.id)}`;

  const form = useQuery({
    queryKey: ['send-form', meeting.id, item.id, kind, connection.id],
    queryFn: () =>
      api<{ form: SendForm }>(`${base}/items/${encodeURIComponent(item.id)}/form`, {
        query: { kind, connectionId: connection.id },
      }),
    select: (answer) => answer.form,
    staleTime: 5 * 60_000,
  });
  const suggestions = useQuery({
    queryKey: ['suggestions', meeting.id, connection.id],
    queryFn: () =>
      api<{ suggestions: RecordHit[] }>(`${base}/suggestions`, { query: { connectionId: connection.id } }),
    select: (answer) => answer.suggestions,
    staleTime: 5 * 60_000,
  });

  const [values, setValues] = useState<Record<string, string>>({});
  const [record, setRecord] = useState<SelectedRecord | null>(null);
  const [recordTouched, setRecordTouched] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [includeQuote, setIncludeQuote] = useState(false);
  const evidence = item.review?.evidence ?? [];

  // The form starts from the org's defaults and the item's own text.
  useEffect(() => {
    if (!form.data) return;
    setValues(Object.fromEntries(form.data.fields.map((field) => [field.name, initialValue(field)])));
  }, [form.data]);

  // The best suggestion is preselected, unless the person already chose.
  useEffect(() => {
    if (recordTouched || record || !suggestions.data || !form.data) return;
    const preferred = suggestions.data.find((entry) => entry.preferred) ?? suggestions.data[0];
    if (preferred && form.data.record.types.includes(preferred.type)) {
      setRecord({ type: preferred.type, id: preferred.id, title: preferred.title });
    }
  }, [suggestions.data, form.data, record, recordTouched]);

  const send = useMutation({
    mutationFn: (body: unknown) =>
      api<{ outcome: 'created' | 'existing'; send: SendView }>(
        `${base}/items/${encodeURIComponent(item.id)}/sends`,
        {
          method: 'POST',
          body,
        },
      ),
    onSuccess: async (answer) => {
      setRetryNotice(null);
      await queryClient.invalidateQueries({ queryKey: ['meeting', meeting.id] });
      void queryClient.invalidateQueries({ queryKey: ['meetings'] });
      toast({
        title: `${KIND_NOUNS[kind]} created in Salesforce`,
        description: record ? `On ${record.type} ${record.title}` : undefined,
        tone: 'success',
        ...(answer.send.url ? { link: { label: 'Open in Salesforce', href: answer.send.url } } : {}),
      });
      onClose();
    },
    onError: (error) => {
      const retry = automaticRetry(error, retries.current);
      if (retry) {
        retries.current += 1;
        setFieldErrors({});
        setFormErrors([]);
        setRetryNotice(retry.notice);
        retryTimer.current = window.setTimeout(() => send.mutate(lastBody.current), retry.seconds * 1000);
        return; // still submitting: Create stays busy until the retry answers
      }
      setRetryNotice(null);
      submitting.current = false;
      const errors =
        error instanceof ApiError && Array.isArray(error.details?.errors)
          ? (error.details.errors as SendError[])
          : [];
      const known = new Set([...(form.data?.fields ?? []).map((field) => field.name), 'record']);
      const nextFieldErrors: Record<string, string> = {};
      const nextFormErrors: string[] = [];
      for (const entry of errors) {
        if (entry.field && known.has(entry.field)) {
          nextFieldErrors[entry.field] = nextFieldErrors[entry.field]
            ? `${nextFieldErrors[entry.field]} ${entry.message}`
            : entry.message;
        } else nextFormErrors.push(entry.message);
      }
      if (errors.length === 0) nextFormErrors.push(error.message);
      setFieldErrors(nextFieldErrors);
      setFormErrors(nextFormErrors);
      // A refusal created nothing: the next Create is a new attempt. An unknown outcome keeps the
      // key, so trying again can only find or make the one record.
      if (error instanceof ApiError && (error.status === 422 || error.code === 'idempotency_key_reused')) {
        idempotencyKey.current = newIdempotencyKey();
      }
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting.current || !form.data) return;
    if (!record) {
      setFieldErrors({ record: 'Choose the one record this belongs to.' });
      setFormErrors([]);
      return;
    }
    const target = includeQuote && evidence.length > 0 ? quoteField(form.data.fields) : undefined;
    const meetingUrl = `${window.location.origin}/meetings/${encodeURIComponent(meeting.id)}`;
    const textOf = (field: FormField) =>
      field === target
        ? withQuote(values[field.name] ?? '', quoteBlock(evidence, meetingUrl))
        : (values[field.name] ?? '');
    const body = {
      connectionId: connection.id,
      kind,
      values: Object.fromEntries(
        form.data.fields.map((field) => [field.name, toApiValue(field, textOf(field))]),
      ),
      records: [{ type: record.type, id: record.id }],
      idempotencyKey: idempotencyKey.current,
    };
    submitting.current = true;
    lastBody.current = body;
    retries.current = 0;
    send.mutate(body);
  }

  const alreadySent = item.sends.filter((entry) => entry.status === 'succeeded');

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={KIND_TITLES[kind]}
      description={`From “${meeting.title}”, sent as ${connection.salesforce.username}.`}
      wide
    >
      {form.isPending ? <LoadingBlock label="Reading the Salesforce form" /> : null}
      {form.isError ? <ErrorBanner title="The form could not be loaded" error={form.error} /> : null}
      {form.data ? (
        <form className="send-form" onSubmit={submit} noValidate>
          {alreadySent.length > 0 ? (
            <div className="banner banner-info" role="note">
              <div>
                This item was already sent ({alreadySent.length}{' '}
                {alreadySent.length === 1 ? 'record' : 'records'}). Create makes another record.
              </div>
            </div>
          ) : null}
          {retryNotice ? (
            <div className="banner banner-info" role="status">
              <div>{retryNotice}</div>
            </div>
          ) : null}
          {formErrors.length > 0 ? (
            <ErrorBanner title="Salesforce did not create the record">
              <ul>
                {formErrors.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            </ErrorBanner>
          ) : null}
          <div className="form-grid">
            {form.data.fields.map((field) => (
              <FieldControl
                key={field.name}
                field={field}
                value={values[field.name] ?? ''}
                onChange={(next) => setValues((current) => ({ ...current, [field.name]: next }))}
                error={fieldErrors[field.name]}
              />
            ))}
          </div>
          <SendEvidence
            evidence={evidence}
            field={quoteField(form.data.fields)}
            include={includeQuote}
            onIncludeChange={setIncludeQuote}
          />
          <RecordPicker
            meetingId={meeting.id}
            connectionId={connection.id}
            types={form.data.record.types}
            suggestions={suggestions.data ?? []}
            suggestionsLoading={suggestions.isPending}
            value={record}
            onChange={(next) => {
              setRecordTouched(true);
              setRecord(next);
            }}
            onTouch={() => setRecordTouched(true)}
            error={fieldErrors.record}
            errorId={recordErrorId}
          />
          {suggestions.isError ? (
            <p className="muted">
              Suggestions are unavailable ({suggestions.error.message}); search instead.
            </p>
          ) : null}
          <div className="dialog-actions dialog-actions-sticky">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              aria-disabled={send.isPending || retryNotice !== null || undefined}
            >
              {send.isPending || retryNotice !== null ? 'Creating…' : 'Create'}
            </button>
          </div>
        </form>
      ) : null}
    </Modal>
  );
}
