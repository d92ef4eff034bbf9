import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Download, ScrollText } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { LoadMoreButton, OutcomeBadge, TableRegion } from '../components/table-region.tsx';
import { api } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import type { AuditEvent, User } from '../lib/types.ts';

interface Filters {
  action: string;
  outcome: string;
  surface: string;
  actorUserId: string;
}

const EMPTY: Filters = { action: '', outcome: '', surface: '', actorUserId: '' };

export default function AuditPage() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const id = useId();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: User[] }>('/users') });
  const events = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const query: Record<string, string> = { limit: '50' };
      for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
      if (pageParam) query.cursor = pageParam;
      return api<{ events: AuditEvent[]; nextCursor: string | null }>('/audit', { query });
    },
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const nameOf = (userId: string | null) =>
    userId === null ? 'System' : (users.data?.users.find((user) => user.id === userId)?.name ?? userId);
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>Audit</h1>
      </header>
      <form className="filters" onSubmit={apply} aria-label="Audit filters">
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            placeholder="e.g. meeting.send"
            value={draft.action}
            onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select
            id={`${id}-outcome`}
            value={draft.outcome}
            onChange={(event) => setDraft({ ...draft, outcome: event.target.value })}
          >
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-surface`}>Surface</label>
          <select
            id={`${id}-surface`}
            value={draft.surface}
            onChange={(event) => setDraft({ ...draft, surface: event.target.value })}
          >
            <option value="">Any</option>
            {['web', 'api', 'cli', 'agent', 'mcp', 'system'].map((surface) => (
              <option key={surface} value={surface}>
                {surface}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Person</label>
          <select
            id={`${id}-actor`}
            value={draft.actorUserId}
            onChange={(event) => setDraft({ ...draft, actorUserId: event.target.value })}
          >
            <option value="">Anyone</option>
            {(users.data?.users ?? []).map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Apply filters
        </button>
        <a className="button" href="/api/audit/export" download>
          <Download aria-hidden size={16} />
          Export JSON lines
        </a>
      </form>
      {events.isPending ? <LoadingBlock label="Loading the audit log" /> : null}
      {events.isError ? <ErrorBanner title="The audit log could not be loaded" error={events.error} /> : null}
      {events.data && rows.length === 0 ? <EmptyState icon={<ScrollText />} title="No events match" /> : null}
      {rows.length > 0 ? (
        <TableRegion label="Audit events">
          <table className="table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Person</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Surface</th>
                <th scope="col">Object</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id}>
                  <td className="table-time">{formatDateTime(event.at)}</td>
                  <td>{nameOf(event.actorUserId)}</td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    <OutcomeBadge outcome={event.outcome}>{event.outcome}</OutcomeBadge>
                  </td>
                  <td>{event.surface}</td>
                  <td>
                    {event.objectType ?? ''} {event.recordIds.join(', ')}
                  </td>
                  <td>{event.errorCode ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      <LoadMoreButton query={events} />
    </div>
  );
}
