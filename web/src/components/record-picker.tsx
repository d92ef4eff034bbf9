import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { Check, Info, Sparkles } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { useEffect, useId, useState } from 'react';
import { api } from '../lib/api.ts';
import type { RecordHit, RecordType } from '../lib/types.ts';
import { RadioGroupRoot } from './radio-group.tsx';

export interface SelectedRecord {
  type: RecordType;
  id: string;
  title: string;
}

function plural(type: RecordType): string {
  return type === 'Opportunity' ? 'opportunities' : `${type.toLowerCase()}s`;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/**
 * Exactly one related record: a type switch, then one list with the records suggested from the
 * participants first (each with why) and what the search box finds after them.
 */
export function RecordPicker({
  meetingId,
  connectionId,
  types,
  suggestions,
  suggestionsLoading,
  value,
  onChange,
  onTouch,
  error,
  errorId,
}: {
  meetingId: string;
  connectionId: string;
  types: RecordType[];
  suggestions: RecordHit[];
  suggestionsLoading: boolean;
  value: SelectedRecord | null;
  onChange: (record: SelectedRecord | null) => void;
  /** The person switched the type or searched: their choice is theirs, no preselection after it. */
  onTouch: () => void;
  error?: string;
  errorId: string;
}) {
  // The person's choice of type wins; until they choose, the chosen record's (a preselected
  // suggestion's) type, else Opportunity. Derived, not synced by an effect: an effect that copied
  // the record's type raced the switch's own update and could flip the type back (seen in a test).
  const [chosenType, setChosenType] = useState<RecordType | null>(null);
  const type: RecordType =
    chosenType ?? value?.type ?? types.find((entry) => entry === 'Opportunity') ?? types[0];
  const [term, setTerm] = useState('');
  const debouncedTerm = useDebounced(term.trim(), 250);
  const noteId = useId();

  const search = useQuery({
    queryKey: ['record-search', meetingId, connectionId, debouncedTerm],
    queryFn: () =>
      api<{ records: RecordHit[]; notice?: string }>(
        `/meetings/${encodeURIComponent(meetingId)}/record-search`,
        {
          query: { connectionId, q: debouncedTerm },
        },
      ),
    enabled: debouncedTerm.length >= 2,
    staleTime: 60_000,
  });

  const suggested = suggestions.filter((record) => record.type === type);
  const suggestedIds = new Set(suggested.map((record) => record.id));
  const found = (search.data?.records ?? []).filter(
    (record) => record.type === type && !suggestedIds.has(record.id),
  );

  function choose(record: RecordHit) {
    onChange({ type: record.type, id: record.id, title: record.title });
  }

  function renderItem(record: RecordHit) {
    const chosen = value?.id === record.id;
    return (
      <Command.Item
        key={`${record.type}:${record.id}`}
        value={`${record.type}:${record.id}`}
        className="record-option"
        onSelect={() => choose(record)}
      >
        <Check aria-hidden size={16} className={chosen ? 'record-check' : 'record-check invisible'} />
        <span className="record-text">
          <span className="record-title">
            {record.title}
            {chosen ? <span className="visually-hidden"> (selected)</span> : null}
          </span>
          {record.subtitle ? <span className="record-subtitle">{record.subtitle}</span> : null}
          {record.reason ? (
            <span className="record-reason">
              <Sparkles aria-hidden size={12} /> {record.reason}
            </span>
          ) : null}
        </span>
      </Command.Item>
    );
  }

  return (
    <fieldset className="record-picker" aria-describedby={error ? errorId : undefined}>
      <legend>
        Related record<span aria-hidden> *</span>
      </legend>
      <RadioGroupRoot
        className="segmented"
        aria-label="Record type"
        value={type}
        onValueChange={(next) => {
          onTouch();
          setChosenType(next as RecordType);
          if (value && value.type !== next) onChange(null);
        }}
      >
        {types.map((entry) => (
          <RadioGroup.Item key={entry} value={entry} className="segment">
            {entry}
          </RadioGroup.Item>
        ))}
      </RadioGroupRoot>
      {type === 'Lead' ? (
        <p className="hint" id={noteId}>
          <Info aria-hidden size={14} /> A Lead is linked as the person (Name). Salesforce cannot also link it
          to an Account, Opportunity or Case, so this record will only appear on the Lead.
        </p>
      ) : null}
      {value ? (
        <p className="selected-record">
          Linked to {value.type}: <strong>{value.title}</strong>
        </p>
      ) : (
        <p className="selected-record muted">No record chosen yet.</p>
      )}
      {/* cmdk names its input with this label (aria-labelledby), so it is the box's name. */}
      <Command label="Related record" shouldFilter={false} loop className="record-command">
        <Command.Input
          className="record-search"
          aria-invalid={error ? true : undefined}
          aria-describedby={
            [error ? errorId : '', type === 'Lead' ? noteId : ''].filter(Boolean).join(' ') || undefined
          }
          placeholder={`Search ${plural(type)} by name, email, company…`}
          value={term}
          onValueChange={(next) => {
            onTouch();
            setTerm(next);
          }}
        />
        <Command.List className="record-list" label={`${type} records`}>
          {suggested.length > 0 ? (
            <Command.Group heading="Suggested from the participants">
              {suggested.map(renderItem)}
            </Command.Group>
          ) : null}
          {found.length > 0 ? (
            <Command.Group heading="Search results">{found.map(renderItem)}</Command.Group>
          ) : null}
        </Command.List>
        {/* Outside the listbox, like every message here: a listbox may hold only options and
            groups (axe aria-required-children, which failed whenever a check ran mid-search). */}
        {suggestionsLoading || search.isFetching ? (
          <p className="picker-loading muted" role="status">
            {suggestionsLoading ? 'Finding suggestions…' : 'Searching…'}
          </p>
        ) : null}
        {search.isError && !search.isFetching ? (
          <p className="field-error" role="alert">
            The search failed: {search.error.message}
          </p>
        ) : null}
        {!search.isFetching &&
        !search.isError &&
        debouncedTerm.length >= 2 &&
        found.length === 0 &&
        suggested.length === 0 ? (
          <p className="picker-empty">
            No {type.toLowerCase()} matches “{debouncedTerm}”.
          </p>
        ) : null}
        {!suggestionsLoading && suggested.length === 0 && debouncedTerm.length < 2 ? (
          <p className="picker-empty">Type at least 2 characters to search {plural(type)}.</p>
        ) : null}
      </Command>
      {search.data?.notice && debouncedTerm.length >= 2 ? (
        <p className="muted">{search.data.notice}</p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
